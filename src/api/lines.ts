/**
 * SmartSDR TCP API lines (reference §5.3): one line per message, both directions.
 *   C<seq>|<command>            client → radio (CD<seq>| asks for debug text)
 *   R<seq>|<hex code>|<msg>[|<debug>]  radio → client, one per command, code 0 = OK
 *   S<hex handle>|<status>      radio → client
 *   M<hex code>|<text>          radio → client
 *   V<version> / H<hex handle>  prologue
 * Parse and format are symmetric: format(parse(line)) === line for every well-formed line.
 */
import { DecodeError } from '../common/decode-error.js';

export type ApiLine =
  | { type: 'command'; seq: number; debug: boolean; command: string }
  | { type: 'reply'; seq: number; code: number; message: string; debug?: string }
  | { type: 'status'; handle: number; body: string }
  | { type: 'message'; code: number; text: string }
  | { type: 'version'; version: string }
  | { type: 'handle'; handle: number };

/** A line that is not one of the above: where and what, as DecodeError says it (without building an Error). */
export interface LineProblem {
  type: 'invalid';
  offset: number;
  field: string;
  detail: string;
}

/** Value of the 1–8 hex digits line[from, to), or -1. Char codes, not a regex: this runs on every line of a capture. */
function hexAt(line: string, from: number, to: number): number {
  if (to <= from || to - from > 8) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = line.charCodeAt(i);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** Value of the 1–10 decimal digits line[from, to) if it fits 32 bits, or -1. */
function decAt(line: string, from: number, to: number): number {
  if (to <= from || to - from > 10) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v > 0xffffffff ? -1 : v;
}

function notHex(line: string, from: number, to: number, field: string): LineProblem {
  return { type: 'invalid', offset: from, field, detail: `"${line.slice(from, to).slice(0, 20)}" is not a hex number` };
}

function notSeq(line: string, from: number, to: number, field: string): LineProblem {
  return { type: 'invalid', offset: from, field, detail: `"${line.slice(from, to).slice(0, 20)}" is not a sequence number` };
}

const VERSION = /^\d+(\.\d+){0,3}$/;

/** Parses one line (without its terminator; a trailing CR is tolerated). Throws DecodeError. */
export function parseLine(raw: string): ApiLine {
  const l = readLine(raw);
  if (l.type === 'invalid') throw new DecodeError(l.offset, l.field, l.detail);
  return l;
}

/** parseLine for the capture path, where a broken line is common and an Error per line would dominate. */
export function readLine(raw: string): ApiLine | LineProblem {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const tag = line.charCodeAt(0);
  const bar = line.indexOf('|');
  switch (tag) {
    case 0x43 /* C */: {
      const debug = line.charCodeAt(1) === 0x44; /* D */
      const start = debug ? 2 : 1;
      if (bar < 0) return { type: 'invalid', offset: line.length, field: 'command', detail: 'missing "|" after the sequence number' };
      const seq = decAt(line, start, bar);
      if (seq < 0) return notSeq(line, start, bar, 'command sequence');
      return { type: 'command', seq, debug, command: line.slice(bar + 1) };
    }
    case 0x52 /* R */: {
      if (bar < 0) return { type: 'invalid', offset: line.length, field: 'reply', detail: 'missing "|" after the sequence number' };
      const seq = decAt(line, 1, bar);
      if (seq < 0) return notSeq(line, 1, bar, 'reply sequence');
      const bar2 = line.indexOf('|', bar + 1);
      const codeEnd = bar2 < 0 ? line.length : bar2;
      const code = hexAt(line, bar + 1, codeEnd);
      if (code < 0) return notHex(line, bar + 1, codeEnd, 'reply code');
      if (bar2 < 0) return { type: 'reply', seq, code, message: '' };
      const bar3 = line.indexOf('|', bar2 + 1);
      if (bar3 < 0) return { type: 'reply', seq, code, message: line.slice(bar2 + 1) };
      return { type: 'reply', seq, code, message: line.slice(bar2 + 1, bar3), debug: line.slice(bar3 + 1) };
    }
    case 0x53 /* S */: {
      if (bar < 0) return { type: 'invalid', offset: line.length, field: 'status', detail: 'missing "|" after the handle' };
      const handle = hexAt(line, 1, bar);
      if (handle < 0) return notHex(line, 1, bar, 'status handle');
      return { type: 'status', handle, body: line.slice(bar + 1) };
    }
    case 0x4d /* M */: {
      if (bar < 0) return { type: 'invalid', offset: line.length, field: 'message', detail: 'missing "|" after the code' };
      const code = hexAt(line, 1, bar);
      if (code < 0) return notHex(line, 1, bar, 'message code');
      return { type: 'message', code, text: line.slice(bar + 1) };
    }
    case 0x56 /* V */:
      if (!VERSION.test(line.slice(1))) return { type: 'invalid', offset: 1, field: 'version', detail: `"${line.slice(1, 21)}" is not a version` };
      return { type: 'version', version: line.slice(1) };
    case 0x48 /* H */: {
      const handle = hexAt(line, 1, line.length);
      if (handle < 0) return notHex(line, 1, line.length, 'client handle');
      return { type: 'handle', handle };
    }
    default:
      return { type: 'invalid', offset: 0, field: 'line type', detail: `"${line.slice(0, 20)}" does not start with C, R, S, M, V or H` };
  }
}

/**
 * The radio prints handles in upper-case hex without zero padding: `S7F6B5B|…` and `S0|…` appear in the
 * real session fixture next to `S3621C7F5|…`.
 */
function handleText(h: number): string {
  return h.toString(16).toUpperCase();
}

/** Reply codes are hex without 0x, `0` for success (`R3|0|`, `R39|50000029|`). */
function codeText(c: number): string {
  return c.toString(16).toUpperCase();
}

export function formatLine(l: ApiLine): string {
  switch (l.type) {
    case 'command':
      return `C${l.debug ? 'D' : ''}${l.seq}|${l.command}`;
    case 'reply':
      return `R${l.seq}|${codeText(l.code)}|${l.message}${l.debug !== undefined ? `|${l.debug}` : ''}`;
    case 'status':
      return `S${handleText(l.handle)}|${l.body}`;
    case 'message':
      return `M${handleText(l.code)}|${l.text}`;
    case 'version':
      return `V${l.version}`;
    case 'handle':
      // Unlike S lines, the prologue pads the handle to 8 digits (`H07717FA5` in the samples fixture).
      return `H${handleText(l.handle).padStart(8, '0')}`;
  }
}

/** `0x786D7CEC` as status lines write handles in key=value pairs. */
export function formatHandle(h: number): string {
  return '0x' + h.toString(16).toUpperCase().padStart(8, '0');
}

/** Claims the line in buf[from, to) (true) so that it is not decoded. */
export type LineSkip = (buf: Buffer, from: number, to: number) => boolean;

const EMPTY = Buffer.alloc(0);
/** A held line start is copied into a buffer of at least this size (doubling up to the line limit). */
const MIN_TAIL = 256;

/**
 * Splits a byte stream into complete lines, keeping the unfinished tail for the next chunk. The radio ends
 * lines with LF; clients may use CR, LF or CRLF (reference §5.1). NULs are stripped as FlexLib does; the
 * 0x04 byte FlexLib sends before closing is dropped too. Lines are decoded as `encoding` (the API text is
 * ASCII, so latin1 maps bytes 1:1; the broker client decodes UTF-8 line by line, which also keeps a
 * character split across two chunks whole).
 *
 * Bytes, not strings: line ends are found by Buffer#indexOf (memchr) and each line is decoded once from
 * the chunk, so a capture's command channel costs one string per line. Only a line that spans chunks is
 * copied, into `tail`, which `heldBytes` reports so the capture budget can count it.
 */
export class LineSplitter {
  private tail = EMPTY;
  private tailLen = 0;
  /** The tail holds a NUL or 0x04 byte. */
  private tailDirty = false;

  /** Lines longer than `maxLine` are cut and reported: a binary stream on the port must not grow memory. */
  constructor(
    private readonly maxLine = 64 * 1024,
    private readonly encoding: 'latin1' | 'utf8' = 'latin1',
  ) {}

  /**
   * Bytes of memory held for the unfinished line (its buffer's size), 0 when none is held. A buffer of
   * MIN_TAIL bytes is kept for reuse while no line is held (bounded per connection by the caller's limits).
   */
  get heldBytes(): number {
    return this.tailLen > 0 ? this.tail.length : 0;
  }

  /**
   * `skip` may claim a line from its bytes before it is decoded (the caller then accounts for it): a line
   * whose text nobody reads need not become a string. Lines holding a NUL or 0x04 are always decoded.
   */
  push(chunk: Buffer | string, onLine: (line: string) => void, onOverflow?: (length: number) => void, skip?: LineSkip): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, this.encoding) : chunk;
    const end = buf.length;
    const dirty = buf.indexOf(0) >= 0 || buf.indexOf(4) >= 0;
    // Each search starts where the last stopped, so every byte is looked at once per terminator kind.
    let cr = buf.indexOf(13);
    let lf = buf.indexOf(10);
    let start = 0;
    for (;;) {
      if (cr >= 0 && cr < start) cr = buf.indexOf(13, start);
      if (lf >= 0 && lf < start) lf = buf.indexOf(10, start);
      const stop = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
      if (stop < 0) break;
      if (this.tailLen > 0) {
        this.append(buf, start, stop);
        this.emit(this.tail, 0, this.tailLen, this.tailDirty || dirty, onLine, skip);
        this.release();
      } else if (stop > start) {
        this.emit(buf, start, stop, dirty, onLine, skip);
      }
      start = stop + 1;
    }
    if (start >= end) return;
    const total = this.tailLen + end - start;
    if (total > this.maxLine) {
      onOverflow?.(total);
      this.release();
      return;
    }
    this.append(buf, start, end);
    this.tailDirty ||= dirty;
  }

  /** The unterminated remainder at end of stream, if any. */
  flush(onLine: (line: string) => void): void {
    if (this.tailLen > 0) this.emit(this.tail, 0, this.tailLen, this.tailDirty, onLine);
    this.release();
  }

  /** Forgets the unfinished line (a gap in the stream, or the capture budget gave up on it). */
  reset(): void {
    this.release();
  }

  private emit(buf: Buffer, from: number, to: number, dirty: boolean, onLine: (line: string) => void, skip?: LineSkip): void {
    if (!dirty && skip?.(buf, from, to) === true) return;
    const line = buf.toString(this.encoding, from, to);
    onLine(dirty ? line.replace(/[\0\x04]/g, '') : line);
  }

  private append(buf: Buffer, from: number, to: number): void {
    const need = this.tailLen + to - from;
    if (need > this.tail.length) {
      let cap = Math.max(MIN_TAIL, this.tail.length * 2);
      while (cap < need) cap *= 2;
      // Its own allocation (not a slice of Node's shared pool, which would keep a whole pool slab alive).
      const next = Buffer.allocUnsafeSlow(cap);
      this.tail.copy(next, 0, 0, this.tailLen);
      this.tail = next;
    }
    buf.copy(this.tail, this.tailLen, from, to);
    this.tailLen = need;
  }

  private release(): void {
    if (this.tail.length > MIN_TAIL) this.tail = EMPTY;
    this.tailLen = 0;
    this.tailDirty = false;
  }
}
