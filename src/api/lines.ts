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

const HEX = /^[0-9A-Fa-f]{1,8}$/;
const DEC = /^\d{1,10}$/;

function hex(text: string, offset: number, field: string): number {
  if (!HEX.test(text)) throw new DecodeError(offset, field, `"${text.slice(0, 20)}" is not a hex number`);
  return parseInt(text, 16) >>> 0;
}

function dec(text: string, offset: number, field: string): number {
  if (!DEC.test(text) || Number(text) > 0xffffffff) throw new DecodeError(offset, field, `"${text.slice(0, 20)}" is not a sequence number`);
  return Number(text);
}

/** Parses one line (without its terminator; a trailing CR is tolerated). Throws DecodeError. */
export function parseLine(raw: string): ApiLine {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const tag = line[0];
  const bar = line.indexOf('|');
  switch (tag) {
    case 'C': {
      const debug = line[1] === 'D';
      const start = debug ? 2 : 1;
      if (bar < 0) throw new DecodeError(line.length, 'command', 'missing "|" after the sequence number');
      return { type: 'command', seq: dec(line.slice(start, bar), start, 'command sequence'), debug, command: line.slice(bar + 1) };
    }
    case 'R': {
      if (bar < 0) throw new DecodeError(line.length, 'reply', 'missing "|" after the sequence number');
      const seq = dec(line.slice(1, bar), 1, 'reply sequence');
      const bar2 = line.indexOf('|', bar + 1);
      const codeText = bar2 < 0 ? line.slice(bar + 1) : line.slice(bar + 1, bar2);
      const code = hex(codeText, bar + 1, 'reply code');
      if (bar2 < 0) return { type: 'reply', seq, code, message: '' };
      const bar3 = line.indexOf('|', bar2 + 1);
      if (bar3 < 0) return { type: 'reply', seq, code, message: line.slice(bar2 + 1) };
      return { type: 'reply', seq, code, message: line.slice(bar2 + 1, bar3), debug: line.slice(bar3 + 1) };
    }
    case 'S': {
      if (bar < 0) throw new DecodeError(line.length, 'status', 'missing "|" after the handle');
      return { type: 'status', handle: hex(line.slice(1, bar), 1, 'status handle'), body: line.slice(bar + 1) };
    }
    case 'M': {
      if (bar < 0) throw new DecodeError(line.length, 'message', 'missing "|" after the code');
      return { type: 'message', code: hex(line.slice(1, bar), 1, 'message code'), text: line.slice(bar + 1) };
    }
    case 'V':
      if (!/^\d+(\.\d+){0,3}$/.test(line.slice(1))) throw new DecodeError(1, 'version', `"${line.slice(1, 21)}" is not a version`);
      return { type: 'version', version: line.slice(1) };
    case 'H':
      return { type: 'handle', handle: hex(line.slice(1), 1, 'client handle') };
    default:
      throw new DecodeError(0, 'line type', `"${line.slice(0, 20)}" does not start with C, R, S, M, V or H`);
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

/**
 * Splits text into complete lines, keeping the unfinished tail for the next chunk. The radio ends lines
 * with LF; clients may use CR, LF or CRLF (reference §5.1). NULs are stripped as FlexLib does; the
 * 0x04 byte FlexLib sends before closing is dropped too.
 */
export class LineSplitter {
  private tail = '';
  /** Lines longer than this are cut and reported: a binary stream on the port must not grow memory. */
  constructor(private readonly maxLine = 64 * 1024) {}

  push(chunk: string, onLine: (line: string) => void, onOverflow?: (length: number) => void): void {
    // Only the new chunk is scanned: the tail holds no line end, and rescanning it on every push made a
    // long line in tiny TCP segments quadratic (a 64 KiB line in 1–4-byte segments took seconds).
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk.charCodeAt(i);
      if (ch === 10 || ch === 13) {
        const line = this.tail + chunk.slice(start, i);
        this.tail = '';
        if (line.length > 0) onLine(clean(line));
        start = i + 1;
      }
    }
    let rest = this.tail + chunk.slice(start);
    if (rest.length > this.maxLine) {
      onOverflow?.(rest.length);
      rest = '';
    }
    this.tail = rest;
  }

  /** The unterminated remainder at end of stream, if any. */
  flush(onLine: (line: string) => void): void {
    if (this.tail.length > 0) onLine(clean(this.tail));
    this.tail = '';
  }
}

function clean(s: string): string {
  return s.includes('\0') || s.includes('\x04') ? s.replace(/[\0\x04]/g, '') : s;
}
