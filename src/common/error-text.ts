/**
 * An error met while opening or reading a named input, as one line: the errors people most often meet
 * in words, with the code beside them (what they would search for); any other errno code as it is; else
 * the error's message.
 */
const ERRNO_WORDS: Partial<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  EMFILE: 'too many files open',
  EIO: 'input/output error reading the disk',
};

export function errorText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    const words = ERRNO_WORDS[code];
    return words === undefined ? code : `${words} (${code})`;
  }
  return e instanceof Error ? e.message : String(e);
}
