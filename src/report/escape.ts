/**
 * Capture text is untrusted: a nickname, a status line or a file name may carry terminal escapes (ESC ]
 * 0 sets the window title, ESC ] 52 writes the clipboard), bidi overrides that reorder what is shown,
 * Markdown links and images, or HTML. Every report format passes its strings through this module, once.
 */
import { escapeControls } from '../common/text.js';

/** A deep copy of `v` with `f` applied to every string in it (keys stay). */
export function mapStrings<T>(v: T, f: (s: string) => string): T {
  const walk = (x: unknown): unknown => {
    if (typeof x === 'string') return f(x);
    if (Array.isArray(x)) return x.map(walk);
    if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y)]));
    return x;
  };
  return walk(v) as T;
}

/**
 * A Markdown code span holding `s` literally: inside one nothing is a link, an image, HTML or emphasis
 * (CommonMark §6.1), including GFM's bare-URL and e-mail autolinks. The fence is one backtick longer
 * than the longest run inside. In a table cell `|` is escaped, which GFM removes before reading the span.
 */
export function mdCode(s: string, inTable = false): string {
  if (s === '') return '';
  const flat = escapeControls(s);
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ')) ? ' ' : '';
  const body = inTable ? flat.replace(/\|/g, '\\|') : flat;
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** HTML text or attribute value. */
export function htmlText(s: string): string {
  return escapeControls(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON as the contract defines it, safe to print on a terminal: JSON.stringify already writes C0 as
 * \u00NN; C1 and the bidi/separator marks are written the same way (the parsed value is unchanged).
 */
export function jsonSafe(json: string): string {
  return json.replace(/[\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
