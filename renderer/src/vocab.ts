/** Words the UI shows for the analysis vocabulary (src/analysis/model.ts). */
import { type Cause, type Hop, type HopId, type HopStatus, HOP_LABEL, type StreamKind, type VerdictStatus } from '../../src/bridge/protocol.js';

/** The hops' names: the reports' own table (src/hop-label.ts), so the path view and the CLI agree. */
export { HOP_LABEL };

export const CAUSE_LABEL: Record<Cause, string> = {
  'udp-blocked-inbound': 'Inbound UDP blocked',
  mtu: 'MTU: large packets vanish',
  bandwidth: 'Not enough bandwidth',
  'random-loss': 'Random packet loss',
  jitter: 'Jitter',
  'wrong-port': 'Data sent to the wrong port',
  'host-firewall': 'Firewall on this computer',
  'smartlink-unreachable': 'SmartLink server unreachable',
  'radio-not-registered': 'Radio not registered with SmartLink',
  'router-no-forwarding': "Radio's router does not forward",
  'double-nat': 'Double NAT',
  'control-timeout': 'Control channel timed out',
  unreachable: 'Radio unreachable (no route)',
  'ping-timeout': 'Radio stopped answering pings',
  outage: 'Outage: data stopped for a stretch',
  'radio-refused': 'The radio refused a request',
  nat: 'NAT between this computer and the radio',
  'port-in-use': 'Data port in use by another program',
  'wrong-interface': 'Route leaves by another adapter',
  healthy: 'Healthy',
};

/** What to capture to confirm or narrow the cause — shown beside the engine's advice. */
export const CAPTURE_NEXT: Record<Cause, string> = {
  'udp-blocked-inbound': 'On this computer: tcpdump -i any -w udp.pcapng "udp port 4991 or udp port 4993 or icmp" while SmartSDR is connected. No UDP from the radio confirms the block; compare with a capture on the radio’s LAN.',
  mtu: 'tcpdump -i any -w mtu.pcapng "udp or icmp" while the panadapter is open: look for ICMP "fragmentation needed" and for large packets leaving the radio’s LAN but not arriving here.',
  bandwidth: 'Capture 60 s while lowering the panadapter fps and waterfall rate: loss that falls with the rate confirms a bandwidth limit.',
  'random-loss': 'Capture 2 minutes on this computer and, if possible, on the radio’s LAN at the same time, to tell which side loses packets.',
  jitter: 'Capture 2 minutes while the link is busy (uploads, video calls) and while it is idle, to compare.',
  'wrong-port': 'Capture "udp or icmp" on this computer: ICMP port-unreachable replies name the port the radio sends to.',
  'host-firewall': 'Capture on this computer with the firewall briefly disabled, then enabled, to compare.',
  'smartlink-unreachable': 'Capture "tcp port 443" while SmartSDR logs in to SmartLink; if the certificate was refused, open https://smartlink.flexradio.com in a browser here and look at who issued its certificate (a proxy or antivirus name confirms interception).',
  'radio-not-registered': 'On the radio’s LAN, capture its TCP traffic to port 443 while it boots.',
  'router-no-forwarding': 'Capture on the radio’s LAN while SmartSDR connects from outside: the test_connection results show which ports fail.',
  'double-nat': 'Note the WAN address your router shows and compare it with the public address SmartLink reports.',
  'control-timeout': 'Capture "tcp port 4992 or tcp port 4994" from connect until the timeout.',
  unreachable: 'Capture "icmp or tcp port 4992" while connecting: the ICMP “destination unreachable” names the router that has no way on.',
  'ping-timeout': 'Capture "tcp port 4992 or tcp port 4994" until the disconnect: the last ping lines show who stopped answering.',
  outage: 'Capture for as long as it takes to see two outages ("udp or tcp port 4992"): their start times and lengths tell a fixed timer (NAT, DHCP) from a flaky link.',
  'radio-refused': 'Capture "tcp port 4992" while the client creates the panadapter or stream: the reply code names the reason.',
  nat: 'Compare this computer’s address with the `client ip` the radio reports, and capture on both sides of the router.',
  'port-in-use': 'List the programs holding UDP ports on this computer (netstat -ano -p udp on Windows, ss -uapn on Linux, lsof -iUDP on macOS).',
  'wrong-interface': 'Show the route to the radio (route print / ip route get <radio-ip> / route get <radio-ip>) and the adapter FlexPath listens on.',
  healthy: 'Nothing needed. If the problem comes and goes, capture while it happens.',
};

/** A hop or cause id from a row of text (a zip's triage, a diff) in the words the path view uses; an unknown id as it is. */
export const hopText = (id: string): string => (Object.hasOwn(HOP_LABEL, id) ? HOP_LABEL[id as HopId] : id);
export const causeText = (id: string): string => (Object.hasOwn(CAUSE_LABEL, id) ? CAUSE_LABEL[id as Cause] : id);

export const STATUS_WORD: Record<HopStatus, string> = { ok: 'OK', degraded: 'DEGRADED', blocked: 'BLOCKED', unknown: 'UNKNOWN' };
/** A glyph next to every status so colour is never the only signal. */
export const STATUS_GLYPH: Record<HopStatus, string> = { ok: '✓', degraded: '!', blocked: '✕', unknown: '?' };
export const VERDICT_WORD: Record<VerdictStatus, string> = { healthy: 'HEALTHY', degraded: 'DEGRADED', blocked: 'BLOCKED', inconclusive: 'INCONCLUSIVE' };

/**
 * "9 hops: 6 OK, 1 blocked · 3 not judged (not used by this session or no evidence)". Unknown is not a
 * fault: a LAN session never uses the SmartLink hops, so it is counted apart from blocked and degraded.
 */
export function hopCounts(hops: readonly Hop[]): string {
  const n = (s: HopStatus): number => hops.filter((h) => h.status === s).length;
  const judged = hops.length - n('unknown');
  const parts = [`${n('ok')} OK`];
  if (n('blocked')) parts.push(`${n('blocked')} blocked`);
  if (n('degraded')) parts.push(`${n('degraded')} degraded`);
  const unknown = n('unknown') ? ` · ${n('unknown')} not judged (not used by this session, or no evidence)` : '';
  return `${judged} hop${judged === 1 ? '' : 's'} judged: ${parts.join(', ')}${unknown}`;
}

/** The engine's summary ends "(hop udp-return: blocked)." for logs; the panel names the hop in words already. */
export function summaryForPanel(summary: string): string {
  return summary.replace(/\s*\(hop [\w:-]+: \w+\)(\.?)$/, '$1');
}

export const KIND_LABEL: Record<StreamKind, string> = {
  discovery: 'Discovery',
  meter: 'Meters',
  panadapter: 'Panadapter',
  waterfall: 'Waterfall',
  audio: 'Audio',
  'dax-audio': 'DAX audio',
  'dax-iq': 'DAX IQ',
  other: 'Other',
};

/** Line patterns, so the charts do not tell classes apart by colour alone. */
export const KIND_DASH: Record<StreamKind, string | undefined> = {
  discovery: '1 4',
  meter: undefined,
  panadapter: '7 3',
  waterfall: '2 2',
  audio: '10 3 2 3',
  'dax-audio': '1 3',
  'dax-iq': '12 5',
  other: '3 6',
};

export const KIND_COLOR: Record<StreamKind, string> = {
  discovery: '#8b96a5',
  meter: '#56d4dd',
  panadapter: '#58a6ff',
  waterfall: '#bc8cff',
  audio: '#3fb950',
  'dax-audio': '#e3b341',
  'dax-iq': '#ff9bce',
  other: '#6e7681',
};

/** The stream classes behind each data hop. */
const HOP_KINDS: Partial<Record<HopId, StreamKind[]>> = {
  'data:meter': ['meter'],
  'data:panadapter': ['panadapter'],
  'data:waterfall': ['waterfall'],
  'data:audio': ['audio'],
  'data:dax': ['dax-audio', 'dax-iq'],
};

/** Loss % of one stream or many: lost / (received + lost), the 4-bit counter's count (reference §3.3). */
export function lossPct(s: { packets: number; lost: number }): number {
  return s.packets + s.lost > 0 ? (100 * s.lost) / (s.packets + s.lost) : 0;
}

/**
 * The one loss figure of a data hop, from the same stream rows the table shows, so the hop and the
 * table never disagree. Undefined when no stream of the hop's classes arrived.
 */
export function classLossPct(streams: readonly { kind: StreamKind; packets: number; lost: number }[], hop: HopId): number | undefined {
  const kinds = HOP_KINDS[hop];
  const mine = streams.filter((s) => kinds?.includes(s.kind));
  if (mine.length === 0) return undefined;
  return lossPct({ packets: mine.reduce((n, s) => n + s.packets, 0), lost: mine.reduce((n, s) => n + s.lost, 0) });
}
