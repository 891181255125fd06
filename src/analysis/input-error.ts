/**
 * Why a capture could not be read, in one line a support agent can act on. A file that is one raw
 * VITA-49 datagram (copied out of Wireshark) is not a capture: point at `flexpath decode`.
 */
import { open } from 'node:fs/promises';
import { DecodeError } from '../common/decode-error.js';
import { errorText } from '../common/error-text.js';
import { header } from '../vita/header.js';

/** True when the bytes are exactly one VITA-49 packet by its own header's size field. */
function isRawVitaPacket(bytes: Buffer): boolean {
  if (bytes.length < 8 || bytes.length % 4 !== 0) return false;
  try {
    const h = header.decode(bytes);
    // Types 0–5 are defined (VITA-49.2 §5.1.1); the size field counts 32-bit words of the whole packet.
    return h.packetType <= 5 && h.packetSize * 4 === bytes.length;
  } catch {
    return false;
  }
}

/** A readable message for an error thrown while reading `path` (or a stream, when path is undefined). */
export async function describeInputError(e: unknown, path: string | undefined): Promise<string> {
  if (e instanceof DecodeError) {
    if (e.field === 'magic' && path !== undefined && (await rawVitaFile(path))) {
      return `not a capture file but one raw VITA-49 packet: try \`flexpath decode ${path}\``;
    }
    return e.message;
  }
  return errorText(e);
}

/** Largest VITA-49 packet: a 16-bit size field of 32-bit words. */
const MAX_VITA_BYTES = 0xffff * 4;

async function rawVitaFile(path: string): Promise<boolean> {
  try {
    const fh = await open(path, 'r');
    try {
      const size = (await fh.stat()).size;
      if (size > MAX_VITA_BYTES) return false;
      const buf = Buffer.alloc(size);
      await fh.read(buf, 0, size, 0);
      return isRawVitaPacket(buf);
    } finally {
      await fh.close();
    }
  } catch {
    return false;
  }
}
