import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'flexpath') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('flexpath repo root not found');
    dir = up;
  }
}

export const repoRoot = findRoot();
/** The team's real captures, beside the repo (never edited). */
export const sharedFixtures = join(repoRoot, '..', 'shared', 'fixtures');
export const cliPath = join(repoRoot, 'bin', 'flexpath.js');

export function fixture(name: string): string {
  return join(sharedFixtures, name);
}
