/**
 * The steps a diagnosis takes on an open API session, shared by LAN and SmartLink: subscribing to what
 * the chosen mode may watch, creating the probe's panafall and Opus stream, and removing them again.
 */
import { formatCode } from '../api/codes.js';
import { ApiError, type ApiClient, type Reply } from '../api/client.js';
import { parseStatusBody } from '../api/status.js';
import type { HopId } from '../analysis/model.js';
import type { LiveEvidence } from './live.js';
import type { DataPath } from './walk.js';

const NOT_TESTED_IN_OBSERVER: Array<[HopId, string]> = [
  ['data:panadapter', 'observer mode does not create a panadapter on a radio in use; run `flexpath diagnose --probe` when a GUI slot is free, or `flexpath listen --capture IFACE` during the operator’s own session'],
  ['data:waterfall', 'large (~1.4 kB, Don’t-Fragment) packets are not tested in observer mode, so an MTU problem cannot be ruled out; run `flexpath diagnose --probe` when a GUI slot is free'],
  ['data:audio', 'observer mode does not open an audio stream; run `flexpath diagnose --probe` when a GUI slot is free'],
];

/**
 * How long the ping after a missing reply may take: a LAN radio answers within milliseconds (reference §5.6
 * sequences); a longer path gets 3 × its round trip (replyWaitMs). A dead channel costs this much more.
 */
const LIVENESS_PING_BASE_MS = 1000;

/**
 * Sends a command; a refusal is shown to the user with its code. A command left without a reply is
 * followed by one ping before the walk gives up: the walk sends nothing after a command it waits for, so
 * without it a radio that left one command unanswered (`client gui` on a radio whose GUI handler hangs)
 * reads as a dead control channel. The ping's reply — its code does not matter — shows the channel alive
 * (rules.ts control-command-ignored: TCP is in order, so the missing reply was never sent).
 */
export function commander(api: ApiClient, say: (text: string) => void, gaveUp: (command: string) => void): (command: string) => Promise<Reply> {
  return async (command) => {
    let r: Reply;
    try {
      r = await api.command(command);
    } catch (e) {
      if (e instanceof ApiError && !api.closed) {
        gaveUp(command);
        await api.command(`ping ms_timestamp=${performance.now().toFixed(4)}`, api.replyWaitMs(LIVENESS_PING_BASE_MS)).catch(() => undefined);
      }
      throw e;
    }
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

/** What the probe created and how to remove it, in removal order (streams, then slices, then pans). */
export interface Created {
  what: string;
  undo: string;
}

/** `0x40000000`, `40000000`, `pan=0x40000000`: the IDs a pan-create reply may carry (reference §11). */
export function panIdsFromReply(message: string): number[] {
  const ids: number[] = [];
  for (const tok of message.split(/[,\s]+/)) {
    // Object IDs are large numbers (0x04000008 and up): fewer than 4 digits is a word, not an ID.
    const m = /^(?:[a-z_]+=)?(?:0x)?([0-9a-f]{4,8})$/i.exec(tok);
    if (m?.[1]) ids.push(parseInt(m[1], 16) >>> 0);
  }
  return ids;
}

const hex8 = (n: number): string => '0x' + n.toString(16).toUpperCase().padStart(8, '0');

/**
 * Pans, slices and streams the radio announces as ours (`client_handle=<our handle>`): FlexLib learns its
 * pan from the `display pan` status, not the reply (reference §11), the firmware puts a slice on a new
 * pan, and a stream's status names its owner (reference §5.8 table: `stream 0x… type=… client_handle=…`).
 */
function watchOwnObjects(api: ApiClient): { pans(): number[]; streams(): number[]; slices(): Array<{ index: number; tx: boolean; freq?: string }>; stop(): void } {
  const pans = new Set<number>();
  const streams = new Set<number>();
  const slices = new Map<number, { index: number; tx: boolean; freq?: string }>();
  const idOf = (text: string): number => parseInt(text.replace(/^0x/i, ''), 16) >>> 0;
  const stop = api.onLine((l) => {
    if (l.type !== 'status') return;
    const st = parseStatusBody(l.body);
    const owner = st.fields.get('client_handle');
    const ours = owner !== undefined && api.handle !== undefined && idOf(owner) === api.handle;
    const [what, a, b] = st.object;
    const track = (set: Set<number>, text: string): void => {
      if (st.flags.includes('removed')) set.delete(idOf(text));
      else if (ours) set.add(idOf(text));
    };
    if (what === 'display' && a === 'pan' && b) track(pans, b);
    else if (what === 'stream' && a) track(streams, a);
    else if (what === 'slice' && a !== undefined && /^\d+$/.test(a)) {
      const index = Number(a);
      if (st.fields.get('in_use') === '0') slices.delete(index);
      else if (ours) {
        const freq = st.fields.get('RF_frequency');
        slices.set(index, { index, tx: st.fields.get('tx') === '1', ...(freq ? { freq } : {}) });
      }
    }
  });
  return { pans: () => [...pans], streams: () => [...streams], slices: () => [...slices.values()], stop };
}

export interface ProbeOptions {
  /** Pan size (default FlexLib's 100 × 100). */
  pixels?: { x: number; y: number };
  /** Open the Opus stream; false with the reason (local audio would be muted). */
  audio: boolean;
  audioWhy?: string;
}

/**
 * The probe's objects: a small panafall (FlexLib's own size, x=100 y=100 — its waterfall tiles are the
 * large-packet MTU probe) and, when allowed, an Opus stream. Never a transmit command: the slice the
 * firmware puts on the new pan is looked at (is it the TX slice?) and removed with the pan. What is
 * created goes into `created` (the caller's, in removal order) the moment the radio confirms it, so a
 * command that then gets no reply or fails half-way leaves nothing out of the tidy-up.
 */
export async function createProbeStreams(api: ApiClient, cmd: (c: string) => Promise<Reply>, ev: LiveEvidence, data: DataPath, o: ProbeOptions, created: Created[]): Promise<void> {
  const own = watchOwnObjects(api);
  let before: { pans: Set<number>; streams: Set<number> } | undefined;
  try {
    // One round trip for the three: on a WAN path every round trip delays the first data.
    await Promise.all([cmd('sub pan all'), cmd('sub slice all'), cmd('sub audio_stream all')]);
    before = { pans: new Set(own.pans()), streams: new Set(own.streams()) };
    const pan = await cmd('display panafall create x=100 y=100');
    let panId: number | undefined;
    if (pan.code === 0) {
      const [fromReply] = panIdsFromReply(pan.message);
      panId = fromReply;
      if (panId === undefined) {
        // No ID in the reply: the `display pan … client_handle=<ours>` status names it.
        for (let i = 0; i < 20 && panId === undefined; i++) {
          panId = own.pans().find((p) => !before?.pans.has(p));
          if (panId === undefined) await new Promise((r) => setTimeout(r, 50));
        }
        ev.step('stream-setup', panId === undefined ? `the pan-create reply (“${pan.message}”) named no panadapter and no status line announced one` : `the pan-create reply (“${pan.message}”) named no panadapter; found ${hex8(panId)} from its status line`);
      }
    }
    if (panId !== undefined) {
      created.push(panUndo(panId));
      // A display-sized pan (the demo) makes FFT frames full-size packets too.
      if (o.pixels) await cmd(`display pan set ${hex8(panId)} xpixels=${o.pixels.x} ypixels=${o.pixels.y}`);
      data.requested('data:panadapter');
      data.requested('data:waterfall');
    }
    if (o.audio) {
      const audio = await cmd('stream create type=remote_audio_rx compression=opus');
      const audioId = audio.code === 0 ? panIdsFromReply(audio.message)[0] : undefined;
      if (audioId !== undefined) {
        created.unshift({ what: `audio stream ${hex8(audioId)}`, undo: `stream remove ${hex8(audioId)}` });
        data.requested('data:audio');
      }
    } else if (o.audioWhy) ev.analyzer.markNotTested('data:audio', o.audioWhy);
  } finally {
    // Also when a command above got no reply or the connection failed: what the radio announced as ours
    // though its create reply never came, and the slice the firmware put on the pan (its status came with the pan's).
    if (before) adoptUnanswered(own, before, created, ev);
    // The slice is looked at, never keyed.
    for (const s of own.slices()) {
      ev.step('stream-setup', `the radio put slice ${s.index}${s.freq ? ` (${s.freq} MHz)` : ''} on FlexPath’s panadapter${s.tx ? '; it is the transmit slice, and FlexPath sends no transmit command' : ''}; it is removed before the panadapter`);
      const pan = created.findIndex((c) => c.what.startsWith('panadapter'));
      created.splice(pan < 0 ? created.length : pan, 0, { what: `slice ${s.index}`, undo: `slice remove ${s.index}` });
    }
    own.stop();
  }
}

/** Pans and streams announced as ours since `before` that `created` does not hold yet: streams first, pans last. */
function adoptUnanswered(own: ReturnType<typeof watchOwnObjects>, before: { pans: Set<number>; streams: Set<number> }, created: Created[], ev: LiveEvidence): void {
  const held = new Set(created.map((c) => c.undo));
  const adopt = (c: Created, first: boolean): void => {
    if (held.has(c.undo)) return;
    ev.step('stream-setup', `${c.what} was announced as FlexPath’s, yet no create reply named it (none came, or it named no ID); it is removed too`);
    if (first) created.unshift(c);
    else created.push(c);
  };
  for (const p of own.pans()) if (!before.pans.has(p)) adopt(panUndo(p), false);
  for (const s of own.streams()) if (!before.streams.has(s)) adopt({ what: `stream ${hex8(s)}`, undo: `stream remove ${hex8(s)}` }, true);
}

function panUndo(id: number): Created {
  return { what: `panadapter ${hex8(id)}`, undo: `display pan remove ${hex8(id)}` };
}

/** Observer mode: bind to the operator's GUI client when there is one; say what cannot be tested. */
export async function becomeObserver(cmd: (c: string) => Promise<Reply>, ev: LiveEvidence, operators: Map<number, { clientId?: string }>): Promise<void> {
  const target = [...operators.values()].find((g) => g.clientId);
  if (target?.clientId) await cmd(`client bind client_id=${target.clientId}`);
  for (const [hop, why] of NOT_TESTED_IN_OBSERVER) ev.analyzer.markNotTested(hop, why);
}

/** What the walk did to leave the radio as it found it. */
export interface TidyResult {
  /** Removal commands and their outcome. */
  done: string[];
  /** What could not be removed (the connection died, or the radio refused). */
  left: string[];
  /** Why the connection could not be used for the rest, when it could not. */
  connectionGone?: string;
}

/**
 * Removes what the probe created and hangs up. When the path died mid-run nothing can be removed over
 * it: the result says what was left, and the radio drops a client's objects with the client.
 */
export async function tidyUp(api: ApiClient | undefined, created: Created[]): Promise<TidyResult> {
  const r: TidyResult = { done: [], left: [] };
  if (!api) return r;
  for (const c of created) {
    if (api.closed) {
      r.left.push(c.what);
      continue;
    }
    // Shorter than a command's usual wait (the run is over), but never shorter than the path's round trip allows.
    const reply = await api.command(c.undo, api.replyWaitMs(2000)).catch(() => undefined);
    if (reply?.code === 0) r.done.push(`${c.undo}: done`);
    else {
      r.done.push(`${c.undo}: ${reply === undefined ? 'no reply' : formatCode(reply.code)}`);
      r.left.push(c.what);
    }
  }
  if (api.closed) {
    r.connectionGone = api.closedBecause ?? 'closed';
    return r;
  }
  await api.close();
  r.done.push('disconnected');
  return r;
}
