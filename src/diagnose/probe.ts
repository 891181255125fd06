/**
 * The steps a diagnosis takes on an open API session, shared by LAN and SmartLink: subscribing to what
 * the chosen mode may watch, creating the probe's panafall and Opus stream, and removing them again.
 */
import { formatCode } from '../api/codes.js';
import type { ApiClient, Reply } from '../api/client.js';
import { parseStatusBody } from '../api/status.js';
import type { HopId } from '../analysis/model.js';
import type { LiveEvidence } from './live.js';
import type { DataPath } from './walk.js';

export const NOT_TESTED_IN_OBSERVER: Array<[HopId, string]> = [
  ['data:panadapter', 'observer mode does not create a panadapter on a radio in use; run `flexpath diagnose --probe` when a GUI slot is free, or `flexpath listen --capture IFACE` during the operator’s own session'],
  ['data:waterfall', 'large (~1.4 kB, Don’t-Fragment) packets are not tested in observer mode, so an MTU problem cannot be ruled out; run `flexpath diagnose --probe` when a GUI slot is free'],
  ['data:audio', 'observer mode does not open an audio stream; run `flexpath diagnose --probe` when a GUI slot is free'],
];

/** Sends a command; a refusal is shown to the user with its code. */
export function commander(api: ApiClient, say: (text: string) => void): (command: string) => Promise<Reply> {
  return async (command) => {
    const r = await api.command(command);
    if (r.code !== 0) say(`  ${command} → ${formatCode(r.code)}${r.message ? ` ${r.message}` : ''}`);
    return r;
  };
}

/** GUI clients other than us, from `client … connected` status lines (reference §5.9). */
export function trackGuiClients(api: ApiClient): Map<number, { clientId?: string; program?: string }> {
  const gui = new Map<number, { clientId?: string; program?: string }>();
  api.onLine((l) => {
    if (l.type !== 'status' || !l.body.startsWith('client ')) return;
    const st = parseStatusBody(l.body);
    const h = parseInt((st.object[1] ?? '').replace(/^0x/i, ''), 16) >>> 0;
    if (!h || h === api.handle) return;
    if (st.flags.includes('disconnected')) gui.delete(h);
    else if (st.flags.includes('connected')) {
      const clientId = st.fields.get('client_id');
      const program = st.fields.get('program');
      gui.set(h, { ...(clientId ? { clientId } : {}), ...(program ? { program } : {}) });
    }
  });
  return gui;
}

/**
 * The probe's objects: a small panafall (FlexLib's own size, x=100 y=100 — its waterfall tiles are the
 * ~1436-byte MTU probe) and an Opus stream. Returns the commands that remove what was created.
 */
export async function createProbeStreams(cmd: (c: string) => Promise<Reply>, data: DataPath, pixels?: { x: number; y: number }): Promise<string[]> {
  const undo: string[] = [];
  await cmd('sub pan all');
  await cmd('sub audio_stream all');
  const pan = await cmd('display panafall create x=100 y=100');
  const panId = pan.code === 0 ? pan.message.split(',').find((x) => /^0x[0-9a-f]+$/i.test(x)) : undefined;
  if (panId) {
    undo.push(`display pan remove ${panId}`);
    // A display-sized pan (the demo) makes FFT frames full-size packets too.
    if (pixels) await cmd(`display pan set ${panId} xpixels=${pixels.x} ypixels=${pixels.y}`);
    data.requested('data:panadapter');
    data.requested('data:waterfall');
  }
  const audio = await cmd('stream create type=remote_audio_rx compression=opus');
  if (audio.code === 0 && /^[0-9a-f]{1,8}$/i.test(audio.message)) {
    undo.unshift(`stream remove 0x${audio.message.toUpperCase().padStart(8, '0')}`);
    data.requested('data:audio');
  }
  return undo;
}

/** Observer mode: bind to the operator's GUI client when there is one; say what cannot be tested. */
export async function becomeObserver(cmd: (c: string) => Promise<Reply>, ev: LiveEvidence, operators: Map<number, { clientId?: string }>): Promise<void> {
  const target = [...operators.values()].find((g) => g.clientId);
  if (target?.clientId) await cmd(`client bind client_id=${target.clientId}`);
  for (const [hop, why] of NOT_TESTED_IN_OBSERVER) ev.analyzer.markNotTested(hop, why);
}

/** Removes what the probe created and hangs up; returns what was done, for the report. */
export async function tidyUp(api: ApiClient | undefined, undo: string[]): Promise<string[]> {
  const done: string[] = [];
  if (!api || api.closed) return done;
  for (const c of undo) {
    const r = await api.command(c, 2000).catch(() => undefined);
    done.push(`${c}: ${r === undefined ? 'no reply' : r.code === 0 ? 'done' : formatCode(r.code)}`);
  }
  await api.close();
  done.push('disconnected');
  return done;
}
