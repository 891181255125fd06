/**
 * Files a command writes (`--out`, `--write`, reports in `--out-dir`): never over one of its inputs
 * (`analyze t.pcapng --out t.pcapng` used to replace the customer's capture), never over an existing
 * file unless `--force`, and never through a symlink someone planted at the name. Claiming a name
 * creates it at once with O_CREAT|O_EXCL ('wx'), which refuses any existing name, a symlink included;
 * the writers then open that file of ours. `--force` first removes the name itself (unlink removes a
 * symlink, not what it points to). A claimed file still empty at exit (the command failed before
 * writing it) is removed, so a rerun does not trip over it.
 */
import { lstatSync, unlinkSync } from 'node:fs';
import { lstat, stat, unlink, writeFile } from 'node:fs/promises';
import { UsageError } from './common.js';

export interface OutputClaim {
  /** The option as the user wrote it, for messages: 'out', 'write'. */
  option: string;
  force: boolean;
  /** Files the command reads: none of them may be the output, whatever --force says. */
  inputs?: readonly string[];
}

async function identity(path: string): Promise<string | undefined> {
  try {
    const s = await stat(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    return undefined;
  }
}

/** Checks `path` before the work starts; with --force, clears the name. Throws UsageError (exit 2). */
export async function claimOutput(path: string, o: OutputClaim): Promise<void> {
  const id = await identity(path);
  if (id !== undefined) {
    for (const input of o.inputs ?? []) {
      if ((await identity(input)) === id) throw new UsageError(`--${o.option} ${path} is the input ${input}: FlexPath never writes over what it reads; choose another file`);
    }
  }
  let existing;
  try {
    existing = await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return create(path, o.option);
    throw new UsageError(`--${o.option} ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (existing.isDirectory()) throw new UsageError(`--${o.option} ${path} is a folder; give a file name`);
  if (!o.force) throw new UsageError(`--${o.option} ${path} exists; choose another name, or add --force to replace it`);
  await unlink(path);
  await create(path, o.option);
}

const claimed = new Set<string>();
function removeEmptyClaims(): void {
  for (const path of claimed) {
    try {
      if (lstatSync(path).size === 0) unlinkSync(path);
    } catch {
      // gone already
    }
  }
}

async function create(path: string, option: string): Promise<void> {
  try {
    await writeFile(path, '', { flag: 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'EEXIST' ? `--${option} ${path} appeared while FlexPath was claiming it; try again` : `--${option} ${path}: ${code ?? String(e)}`);
  }
  if (claimed.size === 0) process.on('exit', removeEmptyClaims);
  claimed.add(path);
}

/** Claims several outputs of one command; two options naming one file are refused too. */
export async function claimOutputs(claims: ReadonlyArray<{ path: string | undefined; option: string }>, force: boolean, inputs: readonly string[] = []): Promise<void> {
  const named = claims.filter((c): c is { path: string; option: string } => c.path !== undefined);
  for (const [i, c] of named.entries()) {
    const twin = named.slice(0, i).find((d) => d.path === c.path);
    if (twin) throw new UsageError(`--${twin.option} and --${c.option} name the same file ${c.path}`);
    await claimOutput(c.path, { option: c.option, force, inputs });
  }
}

/** Writes a claimed output: the regular file claimOutput created, never one it did not. */
export async function writeOutput(path: string, data: string): Promise<void> {
  if (!claimed.has(path)) throw new Error(`internal: ${path} was not claimed`);
  await writeFile(path, data, { flag: 'r+' });
}
