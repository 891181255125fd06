/**
 * `flexpath ui [--port P] [--open]`: web mode. Serves the built renderer and the bridge on 127.0.0.1,
 * prints a one-time sign-in address, runs until interrupted.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import open from 'open';
import { productBackends } from '../bridge/backends.js';
import { startUiServer, type UiServer } from '../bridge/ui-server.js';
import { EXIT, parse, UsageError } from './common.js';

/** dist/src/cli/ui.js → dist/renderer */
const RENDERER_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'renderer');
const AUTO_DEMO_MS = 4000;
/** The code handed to the browser on its command line (readable in `ps`) is dead after this, used or not. */
const OPEN_CODE_TTL_MS = 60_000;

export async function runUi(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const { values } = parse(argv, { port: { type: 'string' }, open: { type: 'boolean' } }, false);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number 0–65535 (got "${values.port}")`);
  const open = values.open === true;
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    err.write(`flexpath ui: the renderer is not built (${RENDERER_DIR} missing); run npm run build\n`);
    return EXIT.badInput;
  }
  let server: UiServer | undefined;
  try {
    server = await startUiServer({
      port,
      staticDir: RENDERER_DIR,
      backends: (workDir) => productBackends({ recordingDir: workDir }),
      autoDemoMs: AUTO_DEMO_MS,
      // Each address works once: after a browser signs in, give the next one for another browser or window.
      onSignIn: () => server && out.write(`Signed in. For another browser or window: ${server.signInUrl()}\n`),
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'the port is in use (another FlexPath?); choose another with --port, or leave it out for a free one' : e instanceof Error ? e.message : String(e);
    err.write(`flexpath ui: cannot listen on 127.0.0.1:${port}: ${why}\n`);
    return EXIT.usage;
  }
  out.write(`FlexPath is running at ${server.url}\n(only this computer can connect; the address works once; press Ctrl+C to stop)\n`);
  if (open) openBrowser(server.signInUrl(OPEN_CODE_TTL_MS), err);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return EXIT.ok;
}

/**
 * The default browser on Linux, macOS and Windows (the `open` package: xdg-open, open, or the Windows
 * shell), and a plain sentence when none could be started; the URL is printed either way.
 */
function openBrowser(url: string, err: NodeJS.WritableStream): void {
  const couldNot = (why: string): boolean => err.write(`flexpath ui: could not open a browser (${why}); open the address above yourself\n`);
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    couldNot('no desktop session here: DISPLAY and WAYLAND_DISPLAY are unset');
    return;
  }
  // $BROWSER, as sensible-browser and most tools honour it, before the desktop's default.
  const browser = process.env.BROWSER;
  open(url, browser ? { app: { name: browser } } : {}).then(
    (child) => {
      child.on('error', (e) => couldNot(e.message));
      child.on('exit', (code) => {
        if (code !== null && code !== 0) couldNot(`the opener exited with code ${code}`);
      });
      child.unref();
    },
    (e: unknown) => couldNot(e instanceof Error ? e.message : String(e)),
  );
}
