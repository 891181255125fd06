/**
 * Plain words for a file FlexPath could not read as a capture: what it looks like (from its first
 * bytes — well-known magic numbers) and what FlexPath needs instead. Only for files the user chose.
 */
import { open } from 'node:fs/promises';

const NEEDS =
  'FlexPath needs a packet capture (.pcap or .pcapng) recorded on this computer or the radio’s network: Wireshark or dumpcap, tcpdump, or on Windows pktmon (then “pktmon etl2pcap” converts its .etl file).';

/** What the first bytes say the file is; undefined when they match nothing known. */
function kindOfBytes(head: Buffer, name: string): string | undefined {
  if (head.length === 0) return 'an empty file';
  if (/\.etl$/i.test(name)) return 'a Windows event trace (.etl) from pktmon or netsh, which must be converted first: pktmon etl2pcap <file>.etl --out <file>.pcapng';
  const starts = (...b: number[]): boolean => b.every((v, i) => head[i] === v);
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'a ZIP archive that could not be opened (see the details)';
  if (starts(0x1f, 0x8b)) return 'a gzip-compressed file that does not hold a capture';
  if (starts(0x25, 0x50, 0x44, 0x46)) return 'a PDF document';
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'a PNG image';
  if (starts(0xff, 0xd8, 0xff)) return 'a JPEG image';
  if (starts(0x37, 0x7a, 0xbc, 0xaf)) return 'a 7-Zip archive';
  if (starts(0x52, 0x61, 0x72, 0x21)) return 'a RAR archive';
  // Mostly printable ASCII/UTF-8: a log, a text export of packets, a screenshot's description…
  const printable = [...head].filter((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 0xc2).length;
  if (printable / head.length > 0.95) return 'a text file (a log or a text export of packets, not the packets themselves)';
  return undefined;
}

/** The sentence the verdict panel shows for a file that did not open as a capture. */
export async function badCaptureText(path: string, name: string, detail: string): Promise<string> {
  let head = Buffer.alloc(0);
  try {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(64);
      const { bytesRead } = await fh.read(buf, 0, 64, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch {
    return `${name} could not be read (${detail}). ${NEEDS}`;
  }
  const kind = kindOfBytes(head, name);
  return `${name} is not a packet capture FlexPath can read${kind ? `: it looks like ${kind}` : ''}. ${NEEDS} (Details: ${detail})`;
}
