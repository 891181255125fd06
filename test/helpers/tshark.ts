import { spawnSync } from 'node:child_process';

/** Why tshark cannot be used here, or undefined when it can. */
export const tsharkMissing: string | undefined = (() => {
  const r = spawnSync('tshark', ['-v'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : 'tshark is not installed';
})();

export interface TsharkResult {
  rows: string[][];
  /** stderr without tshark's "running as root" notice. */
  stderr: string;
}

/** Runs `tshark -r file -T fields -e f1 -e f2 …`; one row per packet, fields split on tabs. */
export function tsharkFields(file: string, fields: string[], extra: string[] = []): TsharkResult {
  const args = ['-r', file, ...extra, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])];
  const r = spawnSync('tshark', args, { encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  const stderr = r.stderr
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.includes('This could be dangerous'))
    .join('\n');
  const rows = r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
  return { rows, stderr };
}
