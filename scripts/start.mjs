#!/usr/bin/env node
// `npm start`: the Electron app when its binary was installed, otherwise the same UI in web mode
// (`flexpath ui`), which prints its URL and opens the system browser where a desktop session exists.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

if (!existsSync(join(root, 'dist/renderer/index.html')) || !existsSync(join(root, 'dist/src/cli/main.js'))) {
  console.error('FlexPath is not built yet: run `npm run build` (npm ci does it for you).');
  process.exit(1);
}

function electronBinary() {
  // node_modules/electron/path.txt names the binary inside dist/ once the download step has run.
  const pkg = join(root, 'node_modules/electron');
  const pathTxt = join(pkg, 'path.txt');
  if (!existsSync(pathTxt)) return undefined;
  const bin = join(pkg, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(bin) ? bin : undefined;
}

const electron = electronBinary();
const [cmd, args] = electron
  ? [electron, [root]]
  : [process.execPath, [join(root, 'bin/flexpath.js'), 'ui', '--open', ...process.argv.slice(2)]];
if (!electron) console.log('Electron is not installed here: starting FlexPath in your browser (web mode).');

const child = spawn(cmd, args, { stdio: 'inherit', cwd: root });
// Ctrl+C reaches the child through the terminal's process group; forward only what targets us.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
