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
/**
 * The team's real captures, copied unchanged (with their provenance README) from ../shared/fixtures so
 * a fresh clone is self-contained; fixtures-copy.test.ts checks the copies still match the originals.
 */
export const sharedFixtures = join(repoRoot, 'test', 'fixtures', 'shared');
/** The originals beside the repo, when this checkout has them. */
export const originalFixtures = join(repoRoot, '..', 'shared', 'fixtures');
export const cliPath = join(repoRoot, 'bin', 'flexpath.js');
/** The CLI with test-only trust (test/helpers/test-cli.ts), compiled. */
export const testCliPath = join(repoRoot, 'dist', 'test', 'helpers', 'test-cli.js');

export function fixture(name: string): string {
  return join(sharedFixtures, name);
}
