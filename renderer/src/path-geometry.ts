/**
 * Where each hop runs on the real path, and where its packets stop. Pure data for the path view: the
 * places packets pass (nodes), which of them a hop's packets touch, which end sends first, and on which
 * segment a blocked hop's packets stop.
 *
 * A capture or a live session observes one end only (this computer, or the radio's LAN), so the stop
 * segment of a blocked hop is inferred from its cause: the cause names the device that drops the
 * packets (a firewall here, a tunnel with a small MTU, the radio's router…). Without a cause the
 * break is drawn on the last segment before the observer and the text says the exact place is not in
 * the evidence.
 */
import type { Cause, Hop, HopId, LocalFacts, LocalInterface } from '../../src/bridge/protocol.js';

const NODE_IDS = ['radio', 'radio-router', 'internet', 'smartlink', 'lan', 'computer'] as const;
export type NodeId = (typeof NODE_IDS)[number];

const NODE_LABEL: Record<Exclude<NodeId, 'lan'>, string> = {
  radio: 'Radio',
  'radio-router': "Radio's router",
  internet: 'Internet',
  smartlink: 'SmartLink server',
  computer: 'This computer',
};

/**
 * The node names for this session. The network next to this computer is named from what the session
 * shows: a VPN when the route to the radio leaves by a VPN or tunnel adapter (this computer's facts,
 * src/local), else on a LAN session the LAN the radio shares, on SmartLink this computer's own network.
 */
export function nodeLabels(smartlink: boolean, routeAdapter: LocalInterface['kind'] | undefined): Record<NodeId, string> {
  const lan = routeAdapter === 'vpn' || routeAdapter === 'tunnel' ? 'VPN' : smartlink ? 'Local network' : 'LAN';
  return { ...NODE_LABEL, lan };
}

/** The kind of adapter the route to the radio leaves by, when this computer's facts name it. */
export function routeAdapterKind(local: LocalFacts | undefined): LocalInterface['kind'] | undefined {
  if (!local?.route.checked || !local.interfaces.checked) return undefined;
  const name = local.route.value.interface;
  return local.interfaces.list.find((i) => i.name === name)?.kind;
}

/** The hops only a SmartLink session uses: a LAN session shows neither them nor their nodes. */
const SMARTLINK_HOPS: readonly HopId[] = ['smartlink-server', 'radio-registration', 'radio-forwarding'];

export function isSmartLinkSession(sourceKind: string | undefined, hops: readonly Hop[]): boolean {
  return sourceKind === 'smartlink' || hops.some((h) => SMARTLINK_HOPS.includes(h.id) && h.status !== 'unknown');
}

export function pathNodes(smartlink: boolean): NodeId[] {
  return smartlink ? [...NODE_IDS] : ['radio', 'lan', 'computer'];
}

interface Route {
  /** The end whose packets start the exchange (data: the radio; control: this computer). */
  from: NodeId;
  to: NodeId;
  /** Nodes between from and to that the packets pass (the SmartLink server carries control only). */
  via: NodeId[];
}

const RADIO_TO_COMPUTER: Route = { from: 'radio', to: 'computer', via: ['radio-router', 'internet', 'lan'] };
const COMPUTER_TO_RADIO: Route = { from: 'computer', to: 'radio', via: ['lan', 'internet', 'radio-router'] };

const ROUTE: Record<HopId, Route> = {
  discovery: { from: 'radio', to: 'computer', via: ['lan'] },
  'smartlink-server': { from: 'computer', to: 'smartlink', via: ['lan', 'internet'] },
  'radio-registration': { from: 'radio', to: 'smartlink', via: ['radio-router', 'internet'] },
  // Connections from outside that the radio's router must forward (test_connection, the client's TLS).
  'radio-forwarding': { from: 'internet', to: 'radio', via: ['radio-router'] },
  control: COMPUTER_TO_RADIO,
  'stream-setup': COMPUTER_TO_RADIO,
  'udp-return': RADIO_TO_COMPUTER,
  'data:meter': RADIO_TO_COMPUTER,
  'data:panadapter': RADIO_TO_COMPUTER,
  'data:waterfall': RADIO_TO_COMPUTER,
  'data:audio': RADIO_TO_COMPUTER,
  'data:dax': RADIO_TO_COMPUTER,
};

/**
 * The device each cause blames, as the segment whose far end never sees the packets: [last node
 * reached, first node not reached], either order along the path. `undefined`: no place on the path
 * (the cause degrades the whole route, e.g. loss or jitter).
 */
function causeSegment(cause: Cause, smartlink: boolean, route: Route): [NodeId, NodeId] | undefined {
  switch (cause) {
    case 'udp-blocked-inbound':
      // The firewall/NAT in front of this computer: on SmartLink its router, on a LAN this host's side.
      return smartlink ? ['internet', 'lan'] : ['lan', 'computer'];
    case 'host-firewall':
    case 'wrong-port':
      return ['lan', 'computer'];
    case 'mtu':
      // The link with the small MTU: a VPN tunnel or PPPoE line between the two ends.
      return smartlink ? ['internet', 'lan'] : ['radio', 'lan'];
    case 'router-no-forwarding':
    case 'double-nat':
      return ['internet', 'radio-router'];
    case 'radio-not-registered':
      return ['radio-router', 'internet'];
    case 'smartlink-unreachable':
      return smartlink ? ['internet', 'smartlink'] : ['lan', 'computer'];
    case 'control-timeout':
    case 'ping-timeout':
      // The radio stops answering: the exchange reaches the radio's side and dies at the radio.
      return [route.via.filter((n) => smartlink || n === 'lan').at(-1) ?? route.from, 'radio'];
    default:
      return undefined;
  }
}

export type SegmentState = 'flow' | 'degraded' | 'break' | 'dead' | 'unknown';

export interface Track {
  hop: Hop;
  /** Column index of every node this hop's packets touch, in path order. */
  touches: number[];
  /** One entry per segment between consecutive touched nodes, in path order (left to right). */
  segments: { a: number; b: number; state: SegmentState }[];
  /** The segment where packets stop, by node labels, when the hop is blocked. */
  stop?: { reached: NodeId; lost: NodeId; inferred: 'cause' | 'observer' };
  /** Index of the sending end among the columns. */
  fromCol: number;
}

export function buildTrack(hop: Hop, nodes: readonly NodeId[], smartlink: boolean, cause: Cause | undefined): Track {
  const route = ROUTE[hop.id];
  const onRoute = new Set<NodeId>([route.from, route.to, ...route.via]);
  const touches = nodes.map((n, i) => (onRoute.has(n) ? i : -1)).filter((i) => i >= 0);
  const fromCol = nodes.indexOf(route.from) >= 0 ? nodes.indexOf(route.from) : touches[0]!;
  const segs = touches.slice(1).map((b, k) => ({ a: touches[k]!, b }));
  const base: SegmentState = hop.status === 'ok' ? 'flow' : hop.status === 'degraded' ? 'degraded' : 'unknown';
  if (hop.status !== 'blocked') return { hop, touches, segments: segs.map((s) => ({ ...s, state: base })), fromCol };

  const blamed = cause ? causeSegment(cause, smartlink, route) : undefined;
  const colOf = (n: NodeId): number => nodes.indexOf(n);
  // Walk from the sender: segments before the stop carried the packets, the stop breaks, the rest saw none.
  const ordered = fromCol === touches[0] ? segs : [...segs].reverse();
  let stopIdx = -1;
  let inferred: 'cause' | 'observer' = 'cause';
  if (blamed && colOf(blamed[0]) >= 0 && colOf(blamed[1]) >= 0) {
    const [x, y] = [colOf(blamed[0]), colOf(blamed[1])].sort((p, q) => p - q) as [number, number];
    stopIdx = ordered.findIndex((s) => Math.min(s.a, s.b) >= x && Math.max(s.a, s.b) <= y);
    if (stopIdx < 0) stopIdx = ordered.findIndex((s) => Math.min(s.a, s.b) < y && Math.max(s.a, s.b) > x);
  }
  if (stopIdx < 0) {
    // Only the observer's end is known: the packets did not reach it.
    inferred = 'observer';
    stopIdx = ordered.length - 1;
  }
  const states = ordered.map((s, i) => ({ ...s, state: (i < stopIdx ? 'flow' : i === stopIdx ? 'break' : 'dead') as SegmentState }));
  const stopSeg = states[stopIdx]!;
  // The far end of the stop segment, seen from the sender, is the first place the packets never reach.
  const lostCol = Math.abs(stopSeg.a - fromCol) > Math.abs(stopSeg.b - fromCol) ? stopSeg.a : stopSeg.b;
  const reachedCol = lostCol === stopSeg.a ? stopSeg.b : stopSeg.a;
  return {
    hop,
    touches,
    segments: states.sort((p, q) => Math.min(p.a, p.b) - Math.min(q.a, q.b)),
    stop: { reached: nodes[reachedCol]!, lost: nodes[lostCol]!, inferred },
    fromCol,
  };
}
