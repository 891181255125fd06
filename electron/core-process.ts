/**
 * Entry of the core's utility process (electron/main.ts forks it with utilityProcess.fork): the bridge
 * session with every product engine, talking to main through `process.parentPort`. No Electron import:
 * a utility process is plain Node plus that port (test/unit/electron-core.test.ts checks).
 */
import { productBackends } from '../src/bridge/backends.js';
import { tuneHeap } from '../src/common/heap.js';
import { serveCore, type ParentPortLike } from './core-host.js';
import { CORE_CONFIG_ARG, type CoreConfig } from './core-messages.js';
import { desktopSmartLinkAccount } from './token-store.js';

// The core parses captures as the CLI does: the same heap settings (see heap.ts).
tuneHeap();

/** After a window connects and nothing was chosen or found, the demo starts by itself. */
const AUTO_DEMO_MS = 4000;

const port = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
const arg = process.argv.find((a) => a.startsWith(CORE_CONFIG_ARG));
if (!port || !arg) {
  process.stderr.write('core-process: run by the FlexPath app (Electron utilityProcess), not directly\n');
  process.exit(2);
}
const config = JSON.parse(arg.slice(CORE_CONFIG_ARG.length)) as CoreConfig;

serveCore(port, {
  backends: (keychain) =>
    productBackends({
      // safeStorage lives in main: what it said at start decides the store, its sealing goes through main.
      smartLinkAccount: desktopSmartLinkAccount(
        {
          isEncryptionAvailable: () => config.encryption,
          ...(config.storageBackend !== undefined ? { getSelectedStorageBackend: () => config.storageBackend! } : {}),
          encryptString: (plain) => keychain.encrypt(plain),
          decryptString: (sealed) => keychain.decrypt(sealed),
        },
        config.userData,
      ),
    }),
  autoDemoMs: AUTO_DEMO_MS,
  exit: () => process.exit(0),
});
