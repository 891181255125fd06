/**
 * The path model and the `analyze` JSON contract (DESIGN.md §2, §4). Every way in — capture file,
 * LAN diagnose, SmartLink diagnose, listen — produces this same shape. Plain data only: the renderer
 * imports these types too, so nothing here may touch Node, Electron or the DOM.
 */

import type { LocalFacts } from '../local/types.js';

export const HOP_IDS = [
  'discovery',
  'smartlink-server',
  'radio-registration',
  'radio-forwarding',
  'control',
  'stream-setup',
  'udp-return',
  'data:meter',
  'data:panadapter',
  'data:waterfall',
  'data:audio',
  'data:dax',
] as const;
export type HopId = (typeof HOP_IDS)[number];

export type Plane = 'control' | 'data';
/** blocked: nothing usable gets through; degraded: usable but lossy/late/slow; unknown: not in the evidence. */
export type HopStatus = 'ok' | 'degraded' | 'blocked' | 'unknown';

const CAUSES = [
  'udp-blocked-inbound',
  'mtu',
  'bandwidth',
  'random-loss',
  'jitter',
  'wrong-port',
  'host-firewall',
  'smartlink-unreachable',
  'radio-not-registered',
  'router-no-forwarding',
  'double-nat',
  'control-timeout',
  'unreachable',
  'ping-timeout',
  'outage',
  'radio-refused',
  'nat',
  'port-in-use',
  'wrong-interface',
  'healthy',
] as const;
export type Cause = (typeof CAUSES)[number];

export interface Hop {
  id: HopId;
  plane: Plane;
  status: HopStatus;
  /** Why a blocked or degraded hop fails (the verdict's cause when it is the verdict's hop). */
  cause?: Cause;
  /** Id of the rule that decided this hop (`flexpath rules`). */
  rule: string;
  /** Human-readable facts: counts, times, sizes, the status line seen; the deciding fact first. */
  evidence: string[];
}

export type VerdictStatus = 'healthy' | 'degraded' | 'blocked' | 'inconclusive';

export interface Verdict {
  status: VerdictStatus;
  hop?: HopId;
  cause?: Cause;
  /** Id of the rule that decided the verdict: the failing hop's rule, or a verdict rule (`flexpath rules`). */
  rule: string;
  summary: string;
  advice: string[];
}

export type StreamKind = 'discovery' | 'meter' | 'panadapter' | 'waterfall' | 'audio' | 'dax-audio' | 'dax-iq' | 'other';

export interface StreamSummary {
  /** `0x40000000`. */
  id: string;
  kind: StreamKind;
  /** Packet class code, `0x8003`; `absent` when the packets carry no class ID. */
  pcc: string;
  /** Organisationally unique identifier of the class ID, `0x001c2d` for FlexRadio; absent without a class ID. */
  oui?: string;
  /** VITA-49 packet category: data and context packets of one stream ID are separate streams. */
  packetType?: 'data' | 'context' | 'command';
  /** `ip:port`. */
  src: string;
  dst: string;
  packets: number;
  bytes: number;
  /**
   * Packets missing: the 4-bit counter, and across a silence of 8 or more packet periods (where the
   * counter wraps unseen) the frame index (FFT, waterfall) or time × rate.
   */
  lost: number;
  outOfOrder: number;
  duplicates: number;
  ratePps: number;
  minSize: number;
  maxSize: number;
}

interface OutageSummary {
  /** Seconds after the first packet of the evidence. */
  startS: number;
  lengthS: number;
  /** Packets estimated lost in it, every stream together. */
  lost: number;
  /** The stream ids that went silent. */
  streams: string[];
}

export interface RadioSummary {
  serial: string;
  model: string;
  version: string;
  ip: string;
  nickname: string;
  callsign: string;
}

export interface SourceSummary {
  file: string;
  packets: number;
  bytes: number;
  durationS: number;
  /** Time of the first packet, ISO 8601 UTC (`2026-11-30T09:02:05.123Z`); absent without packets. */
  start?: string;
  /**
   * The packets came from FlexPath's built-in demo radio, not a station: every format says SIMULATED in
   * its title. A flag, not words in `file`, so redaction (which replaces file names) cannot remove it.
   */
  simulated?: true;
}

export type SessionMode = 'lan' | 'smartlink' | 'none';

export interface AnalysisReport {
  /** Set by --redact: what was hidden, shown as a note at the top of every format. */
  redacted?: string;
  /** Which FlexPath build wrote the report (a ticket keeps reports for months). */
  flexpath?: { version: string };
  source: SourceSummary;
  /** How the client reached the radio in this evidence: `none` when no FlexRadio control session was seen. */
  mode?: SessionMode;
  radios: RadioSummary[];
  streams: StreamSummary[];
  hops: Hop[];
  verdict: Verdict;
  /** Outages: every data stream silent for at least the rule's minimum, packets lost (rules.ts data-outage). */
  outages?: OutageSummary[];
  warnings: string[];
  /** This computer's side (live diagnosis only): route, adapters, port holders, host firewall (src/local). */
  local?: LocalFacts;}

export const HOP_PLANE: Record<HopId, Plane> = {
  discovery: 'control',
  'smartlink-server': 'control',
  'radio-registration': 'control',
  'radio-forwarding': 'control',
  control: 'control',
  'stream-setup': 'control',
  'udp-return': 'data',
  'data:meter': 'data',
  'data:panadapter': 'data',
  'data:waterfall': 'data',
  'data:audio': 'data',
  'data:dax': 'data',
};

