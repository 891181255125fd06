/**
 * What the pcap and pcapng parsers share with the streaming driver (source.ts): they are push parsers
 * that consume whole records from a window of bytes and say how many more bytes they need, so the same
 * parser serves a file read in chunks and a pipe.
 */

/** Receives each captured frame. buf[start, start + caplen) is valid only during the call. */
export interface RecordSink {
  record(linkType: number, sec: number, nsec: number, buf: Buffer, start: number, caplen: number, origLen: number, interfaceId: number): void;
}

export interface FormatParser {
  readonly format: 'pcap' | 'pcapng';
  /**
   * Consumes every complete record in buf[pos, end); `base` is the file offset of buf[0]. Returns the
   * position of the first byte not consumed.
   */
  parse(buf: Buffer, pos: number, end: number, base: number): number;
  /** Bytes needed at the returned position before parse can make progress. */
  readonly want: number;
  /** Set after a corrupt structure: nothing more can be read (a warning says why). */
  readonly stopped: boolean;
  /** Describes what the input cut off: `have` bytes of the item starting at file offset `offset`. */
  describeCut(offset: number, have: number): string;
  /** End of input: adds summary warnings. */
  finish(): void;
  readonly linkTypes: ReadonlySet<number>;
  /** Packets the capturing machine reported dropping (pcapng interface statistics), if any were recorded. */
  readonly captureDropped: number | undefined;
  /** The program that wrote the file: pcapng's shb_userappl of the first section (pcap names none). */
  readonly application: string | undefined;
}

/** A frame or block longer than this is treated as a corrupt length (Wireshark caps blocks at 16 MiB). */
export const MAX_RECORD = 64 * 1024 * 1024;
