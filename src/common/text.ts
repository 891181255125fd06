/**
 * Text from outside FlexPath — capture contents, a peer's words, an error message of Node or OpenSSL —
 * on its way into a report or onto a terminal.
 */

/**
 * C0 controls, DEL and C1 controls (C1 0x9B is a one-byte CSI on many terminals) become `\xNN`, as
 * tshark shows them; bidi embedding/override/isolate marks and the Unicode line/paragraph separators
 * become `\u{NNNN}`, so what a report shows is what the bytes say.
 */
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeControls(s: string): string {
  return s.replace(UNSAFE, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`;
  });
}

/**
 * One printable line: an evidence line, a warning, a progress line. OpenSSL's messages end in a line
 * break (Node passes them on as `…:ssl3_record.c:354:\n`), which is dropped; any other control character
 * is escaped where it stands, so every report format (JSON too) keeps the line whole and on one line.
 */
export function oneLine(s: string): string {
  return escapeControls(s.trimEnd());
}
