/**
 * Recognises a TLS ClientHello at the start of a TCP direction and reads its SNI, so the analysis can tell
 * a SmartLink broker session (server_name smartlink.flexradio.com) from the radio's own TLS port.
 *
 * Layouts: TLS record header (RFC 8446 §5.1: type 22 = handshake, legacy version 0x03xx, 16-bit length),
 * ClientHello (RFC 8446 §4.1.2; same prefix in TLS 1.0–1.2, RFC 5246 §7.4.1.2), server_name extension
 * (RFC 6066 §3: extension type 0, a list of (name type 0 = host_name, 16-bit length, name)).
 */

export type ClientHelloResult =
  /** A ClientHello; `sni` when it carried a host_name. */
  | { kind: 'tls'; sni?: string; version: number }
  /** The bytes so far are a plausible TLS start but the ClientHello is not complete yet. */
  | { kind: 'incomplete' }
  | { kind: 'not-tls' };

const CONTENT_HANDSHAKE = 22;
const HANDSHAKE_CLIENT_HELLO = 1;
const EXT_SERVER_NAME = 0;
const NAME_HOST = 0;

/** Parses the first bytes of a TCP direction. Reads only the first record (a ClientHello fits in one in practice). */
export function parseClientHello(buf: Buffer): ClientHelloResult {
  if (buf.length === 0) return { kind: 'incomplete' };
  if (buf[0] !== CONTENT_HANDSHAKE) return { kind: 'not-tls' };
  if (buf.length >= 2 && buf[1] !== 3) return { kind: 'not-tls' };
  if (buf.length < 5) return { kind: 'incomplete' };
  const recordLength = buf.readUInt16BE(3);
  // RFC 8446 §5.1: a record fragment is at most 2^14 bytes (+256 slack that older stacks used).
  if (recordLength < 4 || recordLength > 16384 + 256) return { kind: 'not-tls' };
  if (buf.length >= 6 && buf[5] !== HANDSHAKE_CLIENT_HELLO) return { kind: 'not-tls' };
  if (buf.length < 5 + recordLength) return { kind: 'incomplete' };
  const end = 5 + recordLength;
  const hsLength = buf.readUIntBE(6, 3);
  // A ClientHello larger than one record continues in the next; only what is here is read.
  const helloEnd = Math.min(end, 9 + hsLength);
  let off = 9;
  if (off + 2 + 32 + 1 > helloEnd) return { kind: 'not-tls' };
  const version = buf.readUInt16BE(off);
  off += 2 + 32;
  off += 1 + buf[off]!; // session id
  if (off + 2 > helloEnd) return { kind: 'not-tls' };
  off += 2 + buf.readUInt16BE(off); // cipher suites
  if (off + 1 > helloEnd) return { kind: 'not-tls' };
  off += 1 + buf[off]!; // compression methods
  if (off > helloEnd) return { kind: 'not-tls' };
  if (off + 2 > helloEnd) return { kind: 'tls', version }; // no extensions (SSL 3.0-style hello)
  const extEnd = Math.min(helloEnd, off + 2 + buf.readUInt16BE(off));
  off += 2;
  while (off + 4 <= extEnd) {
    const type = buf.readUInt16BE(off);
    const len = buf.readUInt16BE(off + 2);
    off += 4;
    if (off + len > extEnd) break;
    if (type === EXT_SERVER_NAME) {
      const sni = hostName(buf, off, off + len);
      return sni === undefined ? { kind: 'tls', version } : { kind: 'tls', sni, version };
    }
    off += len;
  }
  return { kind: 'tls', version };
}

function hostName(buf: Buffer, start: number, end: number): string | undefined {
  if (start + 2 > end) return undefined;
  const listEnd = Math.min(end, start + 2 + buf.readUInt16BE(start));
  let off = start + 2;
  while (off + 3 <= listEnd) {
    const type = buf[off]!;
    const len = buf.readUInt16BE(off + 1);
    off += 3;
    if (off + len > listEnd) return undefined;
    if (type === NAME_HOST) return buf.toString('ascii', off, off + len);
    off += len;
  }
  return undefined;
}
