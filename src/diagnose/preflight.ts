/**
 * What FlexPath must know before it may take a GUI slot, and the decision made from it. Everything here
 * is gathered before `client gui`, because `client gui` itself is the step that can disturb an operator
 * (reference §11 "`client gui` on v1/v2", "No GUI slot free", "Local audio mute").
 *
 * Facts: the host's discovery beacon (firmware version, licensed/available clients, GUI clients), the
 * `client … connected` status lines `sub client all` brings, the radio's own status line (the
 * `mute_local_audio_when_remote` setting, `mf_enable` where firmware sends it) and every `M` line.
 * The decision is a plain function of those facts, so each rule is tested on hand-made facts.
 */
import { formatCode } from '../api/codes.js';
import type { ApiLine } from '../api/lines.js';
import { parseStatusBody } from '../api/status.js';
import type { RadioBeacon } from '../vita/payload/discovery.js';

export interface GuiClient {
  handle?: string;
  program?: string;
  station?: string;
  ip?: string;
}

export interface RadioFacts {
  /** Firmware version, e.g. `2.10.1.37` (beacon `version`, else the `version` reply's SmartSDR-MB). */
  firmware?: string;
  model?: string;
  /** `max_licensed_version` (`v1`…`v4`), beacon or SmartLink radio list. */
  maxLicensedVersion?: string;
  licensedClients?: number;
  availableClients?: number;
  /** `mf_enable` where the firmware reports it (AetherSDR PR #2488): false = multiFLEX switched off. */
  multiFlex?: boolean;
  /** GUI clients other than FlexPath, by handle where known. */
  guiClients: GuiClient[];
  /** Radio setting `mute_local_audio_when_remote` (firmware default 1, as in the real session fixture). */
  muteLocalAudioWhenRemote?: boolean;
  /** `M` lines as received, `0xF3000001 …`. */
  messages: string[];
  /** Where the facts came from, for the evidence. */
  beaconSeen: boolean;
  /** SmartLink radio list rather than a beacon (changes FlexLib's licensed_clients default). */
  wan?: boolean;
}

export type Requested = 'auto' | 'observer' | 'probe';

export interface ModeDecision {
  mode: 'observer' | 'probe';
  /** Why, in words for the evidence. */
  why: string;
  /** Create the probe's Opus stream (only meaningful in probe mode). */
  audio: boolean;
  /** Why no audio stream is created, when it is not. */
  audioWhy?: string;
}

/** The `M` code that says no GUI slot is left (reference §5.4, §11: wiki "SmartSDR Messages"). */
const MSG_MAX_CLIENTS = 0xf3000001;

/** Major firmware version, `2.10.1` → 2; undefined when unknown. */
function firmwareMajor(version: string | undefined): number | undefined {
  const m = /^(\d+)\./.exec(version ?? '');
  return m?.[1] ? Number(m[1]) : undefined;
}

/**
 * Pre-multiFLEX radio: firmware 1.x/2.x, or a licence of v1/v2. There `client gui` makes the caller the
 * sole GUI and takes every display from whoever had it (reference §11; wiki TCPIP-client).
 */
function soleGui(f: RadioFacts): boolean {
  const major = firmwareMajor(f.firmware);
  return (major !== undefined && major <= 2) || /^v[12]$/i.test(f.maxLicensedVersion ?? '');
}

/**
 * GUI slots the radio has. FlexLib's default when the field is missing: 1 for v1/v2, 2 for v3 and later
 * (reference §11, FlexLib WanServer.cs, which also defaults a missing max_licensed_version to v1).
 */
export function licensedClients(f: RadioFacts): number {
  if (f.licensedClients !== undefined) return f.licensedClients;
  const version = f.maxLicensedVersion ?? (f.wan ? 'v1' : undefined);
  if (version !== undefined) return /^v[12]$/i.test(version) ? 1 : 2;
  return soleGui(f) ? 1 : 2;
}

function describe(c: GuiClient): string {
  return [c.program || 'a GUI client', c.station ? `on ${c.station}` : c.ip ? `at ${c.ip}` : ''].filter(Boolean).join(' ');
}

/**
 * Observer or probe, and whether the probe may open audio. The rules, each from the reference:
 * - an explicit `--observer` wins;
 * - sole-GUI firmware (v1/v2) with anyone connected: never `client gui` — it would take the operator's
 *   displays (reference §11), even when `--probe` was asked;
 * - multiFLEX switched off (`mf_enable=0`) with anyone connected: a second GUI session is accepted
 *   silently and disturbs the first (AetherSDR PR #2488), so the same;
 * - no free slot (`available_clients=0`, or licensed slots all held): observer;
 * - `auto` with an operator connected: observer (changes nothing of theirs);
 * - otherwise probe. Audio: any `remote_audio_rx` stream silences the radio's own outputs while
 *   `mute_local_audio_when_remote=1` (reference §11), so no audio stream while another GUI client (an
 *   operator, or an M model's front panel, program SmartSDR-M) may be listening, unless `--audio`.
 */
export function decideMode(f: RadioFacts, requested: Requested, forceAudio = false): ModeDecision {
  const others = f.guiClients;
  const who = others.map(describe).join(', ');
  const observer = (why: string): ModeDecision => ({ mode: 'observer', why, audio: false, audioWhy: 'observer mode opens no audio stream' });
  if (requested === 'observer') return observer('observer mode as asked');
  if (others.length > 0 && soleGui(f)) {
    return observer(`firmware ${f.firmware ?? f.maxLicensedVersion ?? 'v1/v2'} has one GUI slot: \`client gui\` would make FlexPath the only GUI client and take the displays from ${who}, so FlexPath stays an observer${requested === 'probe' ? ' although --probe was asked' : ''}`);
  }
  if (others.length > 0 && f.multiFlex === false) {
    return observer(`multiFLEX is switched off (mf_enable=0): a second GUI session would disturb ${who}, so FlexPath stays an observer${requested === 'probe' ? ' although --probe was asked' : ''}`);
  }
  const full = f.messages.find((m) => m.startsWith(formatCode(MSG_MAX_CLIENTS)));
  if (full) return observer(`the radio says no client slot is free (${full})`);
  const licensed = licensedClients(f);
  const free = f.availableClients ?? licensed - others.length;
  if (free <= 0) return observer(`no GUI slot free (${f.availableClients !== undefined ? `available_clients=${f.availableClients}` : `${others.length} of ${licensed} licensed GUI client(s) connected`})`);
  if (requested === 'auto' && others.length > 0) return observer(`an operator is connected (${who}); nothing of theirs is changed`);
  const why = `probe mode: a GUI slot is free (${free} of ${licensed})${others.length > 0 ? `, beside ${who}` : ''}`;
  if (forceAudio) return { mode: 'probe', why, audio: true };
  if (f.muteLocalAudioWhenRemote === false) return { mode: 'probe', why, audio: true };
  if (others.length > 0) {
    return {
      mode: 'probe', why, audio: false,
      audioWhy: `not tested: with mute_local_audio_when_remote${f.muteLocalAudioWhenRemote ? '=1' : ' (firmware default 1)'} an audio stream would silence the radio’s speaker and headphones while ${who} may be listening; run with --audio to test it anyway`,
    };
  }
  return { mode: 'probe', why, audio: true };
}

/** The facts a beacon carries, in RadioFacts form. */
export function factsFromBeacon(b: RadioBeacon | undefined): Partial<RadioFacts> {
  if (!b) return {};
  const out: Partial<RadioFacts> = { beaconSeen: true };
  if (b.version) out.firmware = b.version;
  if (b.model) out.model = b.model;
  if (b.licensedClients !== undefined) out.licensedClients = b.licensedClients;
  if (b.availableClients !== undefined) out.availableClients = b.availableClients;
  const mlv = b.extra['max_licensed_version'];
  if (mlv) out.maxLicensedVersion = mlv;
  const mf = b.extra['mf_enable'];
  if (mf !== undefined) out.multiFlex = mf !== '0';
  return out;
}

/** SmartLink radio-list fields (reference §6.3) as facts. */
export function factsFromRadioList(fields: Map<string, string>): Partial<RadioFacts> {
  const out: Partial<RadioFacts> = { wan: true };
  const int = (k: string): number | undefined => {
    const v = fields.get(k);
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  const version = fields.get('version');
  if (version) out.firmware = version;
  const model = fields.get('model');
  if (model) out.model = model;
  const mlv = fields.get('max_licensed_version');
  if (mlv) out.maxLicensedVersion = mlv;
  const lc = int('licensed_clients');
  if (lc !== undefined) out.licensedClients = lc;
  const ac = int('available_clients');
  if (ac !== undefined) out.availableClients = ac;
  const programs = (fields.get('gui_client_programs') ?? '').split(',');
  const handles = (fields.get('gui_client_handles') ?? '').split(',').filter((h) => h.length > 0);
  const stations = (fields.get('gui_client_stations') ?? '').split(',');
  out.guiClients = handles.map((handle, i) => ({ handle, ...(programs[i] ? { program: programs[i] } : {}), ...(stations[i] ? { station: stations[i]!.replaceAll('\x7f', ' ') } : {}) }));
  return out;
}

/** A handle as a number whatever its spelling (`0x0A1B`, `A1B`), for matching beacon and status. */
function handleKey(h: string | undefined): number | undefined {
  if (!h) return undefined;
  const n = parseInt(h.replace(/^0x/i, ''), 16);
  return Number.isFinite(n) ? n >>> 0 : undefined;
}

/**
 * Collects the facts lines carry: other GUI clients (`client … connected`), the radio's settings
 * (`radio … mute_local_audio_when_remote=…`), and `M` lines. Fed from the first line of the session
 * (ConnectOptions.onLine), so the connect burst is read too.
 */
export function radioFactsCollector(): { line(l: ApiLine): void; facts(ourHandle: number | undefined): Pick<RadioFacts, 'guiClients' | 'messages' | 'muteLocalAudioWhenRemote' | 'multiFlex'> } {
  const gui = new Map<number, GuiClient>();
  const messages: string[] = [];
  let mute: boolean | undefined;
  let mf: boolean | undefined;
  return {
    line(l) {
      if (l.type === 'message') {
        if (messages.length < 50) messages.push(`${formatCode(l.code)} ${l.text}`);
        return;
      }
      if (l.type !== 'status') return;
      if (l.body.startsWith('radio ')) {
        const st = parseStatusBody(l.body);
        const m = st.fields.get('mute_local_audio_when_remote');
        if (m !== undefined) mute = m === '1';
        const e = st.fields.get('mf_enable');
        if (e !== undefined) mf = e !== '0';
        return;
      }
      if (!l.body.startsWith('client ')) return;
      const st = parseStatusBody(l.body);
      const h = handleKey(st.object[1]);
      if (!h) return;
      if (st.flags.includes('disconnected')) gui.delete(h);
      else if (st.flags.includes('connected')) {
        const program = st.fields.get('program');
        const station = st.fields.get('station')?.replaceAll('\x7f', ' ');
        gui.set(h, { handle: '0x' + h.toString(16).toUpperCase(), ...(program ? { program } : {}), ...(station ? { station } : {}) });
      }
    },
    facts: (ourHandle) => ({
      guiClients: [...gui.entries()].filter(([h]) => h !== ourHandle).map(([, c]) => c),
      messages: [...messages],
      ...(mute !== undefined ? { muteLocalAudioWhenRemote: mute } : {}),
      ...(mf !== undefined ? { multiFlex: mf } : {}),
    }),
  };
}

/** GUI clients from the status lines and from the beacon, one entry per handle (we are not among them). */
export function mergeGuiClients(fromStatus: GuiClient[], fromBeacon: GuiClient[], ourHandle: number | undefined): GuiClient[] {
  const out = new Map<string, GuiClient>();
  let anon = 0;
  for (const c of [...fromStatus, ...fromBeacon]) {
    const k = handleKey(c.handle);
    if (k !== undefined && k === ourHandle) continue;
    const key = k !== undefined ? String(k) : `anon-${anon++}`;
    out.set(key, { ...c, ...out.get(key) });
  }
  return [...out.values()];
}

/** `SmartSDR-MB=2.10.1.37#PIC-DECPU=…` → `2.10.1.37` (the `version` reply, fixture R5). */
export function firmwareFromVersionReply(message: string): string | undefined {
  return /SmartSDR-MB=([0-9.]+)/.exec(message)?.[1];
}

/** The facts as evidence lines: what the decision was made from. */
export function describeFacts(f: RadioFacts): string[] {
  const parts = [
    `firmware ${f.firmware ?? 'unknown'}`,
    f.maxLicensedVersion ? `licence ${f.maxLicensedVersion}` : undefined,
    f.licensedClients !== undefined ? `licensed_clients=${f.licensedClients}` : 'licensed_clients not announced',
    f.availableClients !== undefined ? `available_clients=${f.availableClients}` : 'available_clients not announced',
    f.multiFlex !== undefined ? `mf_enable=${f.multiFlex ? 1 : 0}` : undefined,
    f.muteLocalAudioWhenRemote !== undefined ? `mute_local_audio_when_remote=${f.muteLocalAudioWhenRemote ? 1 : 0}` : undefined,
    `GUI clients: ${f.guiClients.length === 0 ? 'none' : f.guiClients.map((c) => [c.program, c.station, c.handle].filter(Boolean).join(' ')).join(', ')}`,
  ].filter((x): x is string => x !== undefined);
  return [`before client gui (${f.beaconSeen ? 'beacon and status lines' : 'no beacon; status lines only'}): ${parts.join(', ')}`, ...f.messages.map((m) => `radio message ${m}`)];
}
