/**
 * Private temp folders (uploads, exports, live recordings) that go when their owner closes them and,
 * should the process end without that (a crash, process.exit()), when the process exits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const open = new Set<string>();

function removeAll(): void {
  for (const dir of open) rmSync(dir, { recursive: true, force: true });
}

/** A new folder only this user can read (mkdtemp makes it 0700), removed at exit unless removed before. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (open.size === 0) process.on('exit', removeAll);
  open.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  open.delete(dir);
  if (open.size === 0) process.off('exit', removeAll);
}
