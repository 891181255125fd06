/**
 * The renderer's end of the bridge. In Electron the preload exposes `window.flexpath`; in a browser
 * (web mode) the same interface is built on the server's WebSocket, which reconnects if dropped.
 */
import type { BridgeApi, CaptureRef, Command, Snapshot } from '../../src/bridge/protocol.js';

declare global {
  interface Window {
    flexpath?: BridgeApi;
  }
}

type Transport = 'electron' | 'web';

export interface RendererBridge extends BridgeApi {
  transport: Transport;
  /** Web mode: sends the file's bytes to the server, returns the upload id to open. */
  upload?(file: File, onProgress?: (fraction: number) => void): Promise<string>;
  onConnection(listener: (connected: boolean) => void): () => void;
}

function webSocketBridge(): RendererBridge {
  const listeners = new Set<(s: Snapshot) => void>();
  const connListeners = new Set<(c: boolean) => void>();
  // The server's session cookie is scoped to the path the app is served under: address the socket and
  // the uploads relative to the page, never from the root.
  const wsUrl = new URL('ws', location.href);
  wsUrl.protocol = 'ws:';
  const queue: Command[] = [];
  let ws: WebSocket | undefined;
  let retry = 500;

  const connect = (): void => {
    const sock = new WebSocket(wsUrl.href);
    ws = sock;
    sock.onopen = () => {
      retry = 500;
      connListeners.forEach((l) => l(true));
      for (const c of queue.splice(0)) sock.send(JSON.stringify(c));
    };
    sock.onmessage = (ev: MessageEvent<string>) => {
      let snap: Snapshot;
      try {
        snap = JSON.parse(ev.data) as Snapshot;
      } catch {
        return;
      }
      listeners.forEach((l) => l(snap));
    };
    sock.onclose = () => {
      connListeners.forEach((l) => l(false));
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 8000);
    };
  };
  connect();

  return {
    transport: 'web',
    send(command) {
      if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(command));
      else queue.push(command);
    },
    onSnapshot(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    onConnection(l) {
      connListeners.add(l);
      return () => connListeners.delete(l);
    },
    upload(file, onProgress) {
      return new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', `upload?name=${encodeURIComponent(file.name)}`);
        xhr.upload.onprogress = (e) => {
          if (e.lengthComputable) onProgress?.(e.loaded / e.total);
        };
        xhr.onload = () => {
          if (xhr.status !== 200) return reject(new Error(xhr.responseText.trim() || `upload failed (${xhr.status})`));
          try {
            resolve((JSON.parse(xhr.responseText) as { uploadId: string }).uploadId);
          } catch {
            reject(new Error('upload: bad server reply'));
          }
        };
        xhr.onerror = () => reject(new Error('upload failed: connection lost'));
        xhr.send(file);
      });
    },
  };
}

function electronBridge(api: BridgeApi): RendererBridge {
  return {
    transport: 'electron',
    send: (c) => api.send(c),
    onSnapshot: (l) => api.onSnapshot(l),
    ...(api.pathForFile ? { pathForFile: (f: File) => api.pathForFile!(f) } : {}),
    onConnection(l) {
      l(true);
      return () => undefined;
    },
  };
}

export function createBridge(): RendererBridge {
  return window.flexpath ? electronBridge(window.flexpath) : webSocketBridge();
}

/** Open a capture the user picked or dropped, whichever transport we are on. */
export async function openCaptureFile(bridge: RendererBridge, file: File, onProgress?: (f: number) => void): Promise<void> {
  const ref = await captureRef(bridge, file, onProgress);
  bridge.send('path' in ref ? { type: 'open-capture', path: ref.path } : { type: 'open-upload', ...ref });
}

/** A capture for a command that names one (open, diff): uploaded first in web mode, by its granted path in Electron. */
export async function captureRef(bridge: RendererBridge, file: File, onProgress?: (f: number) => void): Promise<CaptureRef> {
  if (bridge.transport === 'electron' && bridge.pathForFile) return { path: bridge.pathForFile(file) };
  if (!bridge.upload) throw new Error('this window cannot open files');
  return { uploadId: await bridge.upload(file, onProgress), name: file.name };
}
