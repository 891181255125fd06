/**
 * The only thing the sandboxed page gets: `window.flexpath`, the bridge (send a Command, receive
 * Snapshots). CommonJS because Electron runs sandboxed preloads only as CommonJS; it may require
 * nothing but `electron`, so the channel names are literals, type-checked against IPC_CHANNELS.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { BridgeApi, Command, Snapshot, IPC_CHANNELS } from '../src/bridge/protocol.js' with { 'resolution-mode': 'import' };

const CHANNELS: typeof IPC_CHANNELS = { command: 'flexpath:command', snapshot: 'flexpath:snapshot', chosenFile: 'flexpath:chosen-file' };

const api: BridgeApi = {
  send(command: Command) {
    ipcRenderer.send(CHANNELS.command, command);
  },
  onSnapshot(listener: (snapshot: Snapshot) => void) {
    const handler = (_event: IpcRendererEvent, snapshot: Snapshot): void => listener(snapshot);
    ipcRenderer.on(CHANNELS.snapshot, handler);
    return () => {
      ipcRenderer.removeListener(CHANNELS.snapshot, handler);
    };
  },
  pathForFile(file: File) {
    // Only a File the user dropped or picked has a path (the page cannot make one up), so this is the
    // one place that may tell the main process "the user chose this file" (electron/capture-allow-list.ts).
    const path = webUtils.getPathForFile(file);
    if (path) ipcRenderer.send(CHANNELS.chosenFile, path);
    return path;
  },
};

contextBridge.exposeInMainWorld('flexpath', api);
