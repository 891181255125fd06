/**
 * Trackers → facts: everything the rule table (rules.ts) may read, as plain serialisable data (numbers,
 * strings, booleans, arrays, records — no Maps, no tracker objects), per hop and per data class. Rules
 * never look at a tracker; a test can hand-make these facts and put every rule at its boundaries.
 *
 * Deriving facts is counting and arithmetic, never judging: no threshold of a rule lives here. The one
 * exception is named where it sits (the grace before "too early to judge" is a rule's threshold, so the
 * facts carry the waited time and the rules compare).
 */
import { REPLY } from '../api/codes.js';
import type { UnreadLink } from '../capture/reader.js';
import { formatEndpoint } from '../capture/types.js';
import { formatStreamId } from '../vita/stream-id.js';
import type { PacketKind } from '../vita/classes.js';
import type { RadioBeacon } from '../vita/payload/discovery.js';
import type { ControlSession, ControlTracker, Remade } from './control-tracker.js';
import { LARGE_PACKET_BYTES, type SilenceRate, WATERFALL_BINS_PER_PACKET, expectedRate, silenceRate } from './expected.js';
import type { LocalFacts } from '../local/types.js';
import { type IncompleteDatagrams, type IncompleteFact, sumIncomplete } from './fragments.js';
import type { HopId, StreamKind } from './model.js';
import type { MtuStep } from './mtu-phases.js';
import { type SessionGap, sessionChain, sessionGaps } from './session-gaps.js';
import { type Outage, type RestartMark, type StreamLoss, pathOutages, streamLosses } from './silences.js';
import { type TrackedStream, isFlexStream } from './stream-tracker.js';

/** What the analyzer hands over: the trackers and how the session is being judged. */
export interface FactSources {
  control: ControlTracker;
  streams: TrackedStream[];
  /** Analysis time: end of capture, or now for live sessions. */
  now: number;
  /**
   * The source is over (a capture file read to its end): no packet is still in flight, so a packet missing
   * just behind the newest is lost, as the stream table counts it, not `unsettled`.
   */
  ended?: boolean;
  /** Hops a live diagnosis could not exercise, with why (observer mode). */
  notTested: Partial<Record<HopId, string>>;
  /** The source shows no Don't-Fragment bit, though its frames have one (FlexPath's own socket recording). */
  dontFragmentUnknown?: boolean;
  /** Live only: the longest time FlexPath's process was held up while receiving, s. */
  ownStallMaxS?: number;
  /** The source is FlexPath's own socket (a live run, or its recording): it holds what reached that socket, no capture. */
  ownSocket?: boolean;
  /** Stream kind with audio refined to dax-audio from the control plane's stream status. */
  kindOf(st: TrackedStream): StreamKind;
  /** The same for a stream id seen only in an incomplete datagram's header. */
  kindOfId(id: string, classKind: PacketKind, flex: boolean): StreamKind;
  /** Fragmented datagrams never seen whole. */
  incomplete: IncompleteDatagrams;
  /** UDP datagrams that were neither VITA-49 nor the client's registrations. */
  otherUdp: number;
  /** Latest beacon per radio. */
  beacons(): RadioBeacon[];
  /** This computer's side, when a live diagnosis gathered it (src/local). */
  local?: LocalFacts;
  /** UDP/TCP packets the capture cut short (snapshot length), and that length. */
  truncated?: { packets: number; udp: number; snaplen: number };
  /** Frames on link types the capture reader does not decode. */
  unreadLinks?: UnreadLink[];
  /** The client MTU settings tried after the judged run (a live probe's steps, or the session's later phases). */
  mtuSteps?: MtuStepsFact;
  /** The client's network_mtu for the judged stretch, as the radio accepted it. */
  clientMtu?: number;
}

/**
 * The waterfall's large datagrams at each client network_mtu tried after the judged run (mtu-phases.ts):
 * the radio re-sizes them to each setting (reference §5.6, §12 #3), so each step is a test of one packet
 * size on the same path.
 */
export interface MtuStepsFact {
  /** The setting the judged run had (undefined: the capture never saw it set). */
  tested?: number;
  /** Where the steps were seen: 'after the run' (live), 'later in the session (…)' (a capture). */
  where: string;
  /** In the order tried. */
  steps: MtuStep[];
}

const DATA_HOP_IDS = ['data:meter', 'data:panadapter', 'data:waterfall', 'data:audio', 'data:dax'] as const;
export type DataHopId = (typeof DATA_HOP_IDS)[number];

export function isDataHop(id: HopId): id is DataHopId {
  return (DATA_HOP_IDS as readonly HopId[]).includes(id);
}

const DATA_CLASSES: Record<DataHopId, { kinds: StreamKind[]; label: string; unit: 'frame' | 'line' | undefined }> = {
  'data:meter': { kinds: ['meter'], label: 'meters', unit: undefined },
  'data:panadapter': { kinds: ['panadapter'], label: 'panadapter (FFT)', unit: 'frame' },
  'data:waterfall': { kinds: ['waterfall'], label: 'waterfall', unit: 'line' },
  'data:audio': { kinds: ['audio'], label: 'audio', unit: undefined },
  'data:dax': { kinds: ['dax-audio', 'dax-iq'], label: 'DAX', unit: undefined },
};

interface StreamFacts {
  id: string;
  src: string;
  dst: string;
  packets: number;
  ratePps: number;
  /** From the announced objects and reference §3.9 rates, where known. */
  expectedPps?: number;
  minSize: number;
  maxSize: number;
  /**
   * Per the 4-bit counter, including packets that may still turn up late; across silences of
   * HALF_COUNTER periods or more, per frame index (FFT, waterfall) or time × rate (silences.ts).
   */
  lost: number;
  outOfOrder: number;
  duplicates: number;
  /** Smoothed inter-arrival variation, ms; only where more than two units arrived. */
  jitterMs?: number;
  /** Its silences while the control stayed up after which it came back made anew (silences.ts dataRestarts): no loss. */
  remade?: Array<{ atS: number; silentS: number; mark: RestartMark }>;
}

/** One data class (a data:* hop) as the client saw it. */
export interface ClassFacts {
  label: string;
  /** 'frame' (FFT), 'line' (waterfall): classes whose units carry a 32-bit index and are reassembled. */
  unit: 'frame' | 'line' | undefined;
  /** The control plane asked the radio for this class (for this client). */
  requested?: {
    by: string[];
    /** Seconds from the request to the end of the evidence (or to the class's removal). */
    waitedS: number;
    /**
     * Units the radio should have sent by then at the reference rates (expected.ts silenceRate, the low
     * end where rates vary), summed over the class's objects and their lifetimes: the Poisson mean λ of
     * the silence rules.
     */
    expected: number;
    /** What `expected` counts: 'FFT frames', 'meter packets', … */
    expectedUnit: string;
  };
  streams: StreamFacts[];
  packets: number;
  /** Settled loss (packets that may still arrive late are not counted yet), silences included as in StreamFacts. */
  lost: number;
  outOfOrder: number;
  duplicates: number;
  maxSize: number;
  bytesPerS: number;
  framesComplete: number;
  framesBroken: number;
  /** Frames/lines the radio sent (the span of their indices: FFT frame_index, waterfall timecode) whose fate is settled: not those still being assembled. */
  framesSent: number;
  /** No stream of the class ever delivered a unit's first fragment (start bin 0). */
  neverFirstFragment: boolean;
  /**
   * The class's datagrams that were IP-fragmented on the way and never arrived whole (their first
   * fragment, which names the stream, did): absent when none. Fragments mean the DF bit was clear (IPv4)
   * or the sender fragmented (IPv6).
   */
  ipFragments?: IncompleteFact;
  jitterS: number;
  /** Would this class's packets be ≥ LARGE_PACKET_BYTES? Waterfall tiles always; FFT when the pan is wide. */
  expectsLarge: boolean;
  /** Data that flowed and went silent while still requested. */
  stopped?: Silence;
  /**
   * Objects of the class the client asked for (each with its own stream id: reference §2.4, §5.9) of which
   * not one packet arrived, each with the units it should have sent by now (its λ) and how long it was due.
   */
  silentObjects?: Array<{
    id: string;
    by: string;
    expected: number;
    expectedUnit: string;
    waitedS: number;
    /** Its datagrams the capture saw only in IP fragments that never completed (the first fragment names the stream). */
    ipFragments?: IncompleteFact;
  }>;
}

interface Silence {
  silentS: number;
  flowedS: number;
}

/**
 * A stretch in which every data stream to the client that flowed before and after it was silent, while
 * the client's data socket was open (silences.ts).
 */
export interface OutageFact {
  /** Seconds after the first event of the evidence. */
  atS: number;
  lengthS: number;
  /** Packets estimated lost in it, its streams together. */
  lost: number;
  streams: Array<{
    id: string;
    hop: DataHopId;
    /** The stream's own silence: from its last packet before to its first after. */
    atS: number;
    silentS: number;
    lost: number;
    /**
     * How `lost` was found: frame index, time × rate, the counter (an index stream showed a pause, not
     * loss), or the counter of a silence under HALF_COUNTER periods ('brief': exact there).
     */
    basis: 'index' | 'time' | 'counter' | 'brief';
  }>;
  /**
   * Every data stream alive across it with a packet due in it was silent in it, the slow ones included
   * (silences.ts Outage.everyStream): nothing of the radio's data arrived.
   */
  everyStream: boolean;
  /**
   * The client sent a UDP datagram to the radio (a keep-open `client ping`, a registration) during the
   * outage: seconds from the first such datagram to the data's return.
   */
  reopenedS?: number;
}

/** The client's session ended and its next began: the data's silence across it (session-gaps.ts). */
interface RestartFact {
  /** Seconds after the first event of the evidence: the session's end, the next one's first packet. */
  sessionEndS: number;
  nextSessionS: number;
  /** Every data stream that ran across it was silent from `atS` for `silentS`: the latest last packet before to the earliest first after. */
  atS: number;
  silentS: number;
  streams: number;
}

interface IcmpFact {
  reason: string;
  from: string;
  protocol: string;
  src: string;
  dst: string;
  /** Seconds after the first event of the evidence. */
  atS: number;
  mtu?: number;
}

/** A TCP connect that found no way to the radio: ICMP destination unreachable about it, or the kernel's errno for one. */
export interface Unreachable {
  reason: 'host-unreachable' | 'net-unreachable';
  /** "ICMP from 192.168.1.1", or "this computer's kernel (EHOSTUNREACH)". */
  by: string;
}

/**
 * A failed connect's errno → the unreachable it stands for (Linux connect(2), errno(3)): EHOSTUNREACH is
 * an ICMP host unreachable or no ARP/ND answer on the link; ENETUNREACH no route, or an ICMP net
 * unreachable. Refused (ECONNREFUSED, a TCP reset) and timed out are other answers.
 */
export function unreachableFromErrno(code: string): Unreachable['reason'] | undefined {
  if (code === 'EHOSTUNREACH') return 'host-unreachable';
  if (code === 'ENETUNREACH') return 'net-unreachable';
  return undefined;
}

interface CommandFact {
  command: string;
  code?: number;
  message?: string;
}

interface ControlFacts {
  /** The primary API session, when one is readable. */
  session?: {
    id: string;
    tls: boolean;
    version?: string;
    handle?: number;
    program?: string;
    replies: number;
    /** Longest any command (pings included) waited for its reply, ms. */
    maxReplyMs?: number;
    bytesToServer: number;
    resetBy?: 'client' | 'server';
    closedBy?: 'client' | 'server';
    /** From the first packet to the close (or the last packet). */
    durationS: number;
    lineErrors: number;
    lastLineError?: string;
    wanValidate?: { code?: number };
    /** A client status line of this session's handle carried wan_validation_failed=1. */
    wanValidationFailed: boolean;
    /** The client sent `keepalive enable`: only then does the radio drop it for silence (reference §11). */
    keepaliveEnabled: boolean;
    pings: {
      sent: number;
      answered: number;
      minMs: number;
      avgMs: number;
      maxMs: number;
      /** Longest a ping waited for its reply (or until the end of a finished capture). */
      longestWaitS: number;
      /** Age of the oldest ping still in flight at the time of judging (live sessions). */
      waitingNowS: number;
      /** Longest time between two pings the client sent. */
      maxGapS: number;
      /** The ping that ended that longest gap, or a later one, was answered: the radio kept the client. */
      answeredAfterLongestGap: boolean;
    };
    /**
     * Commands other than ping never answered, or in flight, with their age; `laterAnswered`: a command sent
     * after it was answered (the radio got this one, TCP being in order, and left it unanswered); `gaveUp`:
     * the client stopped waiting for it (live: FlexPath's walk, whose wait is the rules' own bar).
     */
    unanswered: Array<{ command: string; ageS: number; laterAnswered?: boolean; gaveUp?: boolean }>;
    /**
     * Commands (pings among them) without a reply that were sent before the capture missed bytes from the
     * radio (a gap in its TCP stream): their replies may be in those bytes, so they are neither answered
     * nor unanswered (left out of `pings` and `unanswered`).
     */
    repliesMaybeMissed?: { commands: number; pings: number };
    /** ICMP host/net unreachable about this connection's packets to the radio (or the live connect's errno for one). */
    unreachable?: Unreachable;
    /** A live TLS connect that reached the port and failed in the handshake: its error code (ECONNRESET, ERR_SSL_…). */
    tlsHandshakeError?: string;
    /**
     * This client's previous control connection to the same radio, which the radio's side ended (FIN or
     * RST) before this session began: how long it lasted and how long after its end this one opened.
     */
    endedBefore?: { how: 'closed' | 'reset'; lastedS: number; reconnectedAfterS: number };
  };
  /** Without a readable session: connections to the radio's API port or TLS ones, as far as seen. */
  attempts: Array<{ id: string; tls: boolean; synOnly: boolean; bytesToServer: number; bytesToClient: number; resetBy?: 'client' | 'server'; unreachable?: Unreachable }>;
}

export interface PathFacts {
  now: number;
  mode: 'lan' | 'wan';
  notTested: Partial<Record<HopId, string>>;
  discovery: { beacons: Array<{ src: string; packets: number; spanS: number }> };
  broker: {
    certificateRefused?: string;
    sessions: Array<{ id: string; tls: boolean; sni?: string; bytesToServer: number; bytesToClient: number; resetBy?: 'client' | 'server' }>;
    registerSent: number;
    registrationInvalid: boolean;
    radios: string[];
    publicIp?: string;
  };
  registration: {
    radioWan?: { serverConnected?: boolean; radioAuthenticated?: boolean };
    brokerRadios: number;
    registerSent: number;
    registrationInvalid: boolean;
    beacons: Array<{ model?: string; serial?: string; wanConnected: boolean }>;
  };
  forwarding: {
    radio?: { publicIp?: string; publicTlsPort?: string; publicUdpPort?: string; upnpSupported?: string };
    /** RFC 1918, CGNAT 100.64.0.0/10 or 192.0.0.0/29 (reference §8 #1). */
    publicIpPrivate: boolean;
    test?: { upnpTcp?: boolean; upnpUdp?: boolean; forwardTcp?: boolean; forwardUdp?: boolean; holePunch?: boolean };
  };
  control: ControlFacts;
  setup: {
    hasSession: boolean;
    udpport?: { port: string; code?: number; message?: string };
    registrations: Array<{ registers: number; pings: number; client: string; radio: string }>;
    creates: CommandFact[];
    announced: Array<{ hop: DataHopId; by: string[] }>;
    /**
     * The readable session's start — its TCP handshake or the radio's `V` prologue, which the radio sends once
     * on connect (reference §5.2) — is not in the evidence: the capture joined a session already running, so
     * the client's stream requests made before it are not in it.
     */
    joinedLate?: true;
    /**
     * The receive objects the evidence's status lines name, whoever owns them (a partial update carries no
     * client_handle): `display pan 0x40000000`, `stream 0x04000009 remote_audio_rx`; the first MAX_NAMED.
     * Absent when none.
     */
    named?: string[];
  };
  udpReturn: {
    /** The evidence holds not one UDP datagram of any kind (VITA-49, the client's registrations, DNS, mDNS …). */
    noUdp?: true;
    /** Where the client asked for data: `client udpport` (LAN), or its registrations' source port (WAN). */
    announcedPort?: number;
    sources: string[];
    dstPorts: number[];
    /** VITA-49 streams to this client. */
    streamsToClient: number;
    /** Data classes the control plane requested. */
    requestedClasses: number;
    /** Seconds from the first request (or registration) to the end of the evidence. */
    waitedS: number;
    /** Units the requested classes should have sent by then, all together (the sum of their `expected`). */
    expected: number;
    /** ICMP port-unreachable / admin-prohibited seen (the first few, for the evidence). */
    unreachable: IcmpFact[];
    /** Of those, the ones about the radio's datagrams to this client while its data socket was meant to be open. */
    aboutData: { count: number; adminProhibited: boolean; port?: number };
    /** ICMP about the radio's datagrams that came after the client hung up (its socket closed): no fault. */
    icmpAfterHangUp?: number;
    /** The client's own `udp_register` datagrams answered with ICMP on the way to the radio. */
    registrationsRefused?: { count: number; from: string; to: string };
    /** The `client ip` answer, when it is not this client's own address: the radio sees it through a NAT. */
    radioSeesClientAt?: string;
    /** Live only: this computer's kernel refused to send the client's UDP (EPERM: an outbound firewall). */
    sendRefused?: { count: number; code: string; to: string };
    /** The radio answered "No IP or PORT" although the client sent UDP registrations. */
    noDestinationDespiteRegistrations: boolean;
    stopped?: Silence;
  };
  data: Record<DataHopId, ClassFacts>;
  /** Silences across the data streams, in time order (the longest MAX_OUTAGES). */
  outages: OutageFact[];
  /** Any VITA-49 data stream (not discovery) reached this computer. */
  anyData: boolean;
  /** ICMP "fragmentation needed" seen (the first two). */
  fragNeeded: IcmpFact[];
  /**
   * Fragmented datagrams from the radio to this client that never arrived whole and whose first fragment
   * (the one naming the stream) never arrived either: absent when none.
   */
  ipFragmentsUnplaced?: IncompleteFact;
  /**
   * The radio's Don't-Fragment bit on its data to this client as the capture shows it (reference §1.6: the
   * radio sets it on every data packet; DAX IQ left out, §11: its datagrams travel fragmented): packets of
   * LARGE_PACKET_BYTES or more whose IP header was seen, of them those with DF set, and every packet with DF
   * set. A live socket sees no IP header: all zero. Absent in hand-made facts.
   */
  dontFragment?: { large: number; largeSet: number; set: number };
  /** The evidence is what reached FlexPath's own socket (a live run, or its recording), not a capture. */
  ownSocket?: true;
  /** Discovery beacons (for the verdict's "only beacons" summary). */
  beaconModels: string[];
  /** VITA-49 streams of another sender than FlexRadio (DIFI, other VITA-49.2 equipment): no class ID or another OUI. */
  foreignVita: { streams: number; ouis: string[] };
  /** A readable primary API session exists. */
  hasSession: boolean;
  /**
   * VITA-49 the session's client sends the radio (transmit audio: remote_audio_tx, DAX TX — reference §0,
   * §2.4), absent when there is none: loss there is on the way out. Counted from the packet counter only —
   * a client sends transmit audio when it has some, so its silences are not loss.
   */
  outbound?: { streams: string[]; packets: number; lost: number };
  /** This computer's side (live diagnosis only): route, adapters, port holders, host firewall. */
  local?: LocalFacts;
  /**
   * Live only: the longest time FlexPath's own process was held up while receiving, s. Its arrival times
   * are the times it read each datagram, and what came during a hold-up is read in a burst after it.
   */
  ownStallMaxS?: number;
  /** UDP/TCP packets the capture cut short (snapshot length), and that length: their contents are partial. */
  truncated?: { packets: number; udp: number; snaplen: number };
  /** The radio's data to other clients than this session's (a capture at the radio's switch or router): not judged. */
  otherClients?: { client: string; addresses: string[]; streams: number; packets: number; lost: number };
  /** Frames on link types the capture reader does not decode (absent: none): per link type, count and first frame. */
  unreadLinks?: UnreadLink[];
  /** Absent when the client MTU was not stepped after the judged run. */
  mtuSteps?: MtuStepsFact;
  /** The data's silence across each end of one of the client's sessions before its next (its reconnects): no loss. */
  restarts: RestartFact[];
  /**
   * The client's `network_mtu` for the judged stretch (`client set enforce_network_mtu=1 network_mtu=N`
   * answered 0, reference §5.6): the radio sizes its large packets to it. Absent when the evidence holds no
   * accepted setting (the radio's default then, or one set before the capture began).
   */
  clientMtu?: number;
}

/** What the judged data streams show of the DF bit (PathFacts.dontFragment): DAX IQ is sent without it (reference §11). */
function dontFragmentFacts(streams: readonly TrackedStream[]): NonNullable<PathFacts['dontFragment']> {
  const d = { large: 0, largeSet: 0, set: 0 };
  for (const st of streams) {
    if (st.classKind === 'dax-iq') continue;
    d.large += st.large;
    d.largeSet += st.largeDf;
    d.set += st.dfPackets;
  }
  return d;
}

/** The UDP port the session's client receives data on: announced with `client udpport`, else its registrations' (reference §5.7). */
function clientDataPort(c: ControlTracker, s: ControlSession | undefined): number | undefined {
  return (s && udpportOf(s)) ?? c.udpRegistrations[0]?.client.port;
}
/** The port the session's `client udpport` announced, when the radio accepted it. */
const udpportOf = (s: ControlSession): number | undefined => (s.udpport?.code === 0 ? Number(s.udpport.command.split(' ')[2]) : undefined);

/** The addresses the session's client and its radio use: those of the control channel, and those of the data. */
interface SessionSides {
  client: ReadonlySet<string>;
  radio: ReadonlySet<string>;
}

/**
 * The control channel's addresses, plus where the data streams of this session's own objects (pans,
 * waterfalls, streams announced with its client handle) go from and to: the radio assigns stream ids per
 * object and names the owner (reference §2.4, §5.9), so such a stream is this session's data whatever its
 * addresses. A dual-stack client talks to the radio over IPv6 while its data comes over IPv4 (the radio's
 * data plane is IPv4, reference §12 #15), and a capture behind a NAT sees the control with the rewritten
 * address and the data with the other.
 */
function sessionSides(c: ControlTracker, s: ControlSession | undefined, streams: readonly TrackedStream[]): SessionSides | undefined {
  if (s === undefined) return undefined;
  const mine = ownedBy(s);
  const owned = new Set<string>();
  for (const objects of [c.pans, c.waterfalls, c.streams] as const) for (const o of objects.values()) if (mine(o.clientHandle)) owned.add(o.id);
  const client = new Set([s.client.ip]);
  const radio = new Set([s.server.ip]);
  for (const st of streams) {
    if (!owned.has(formatStreamId(st.streamId))) continue;
    // The session's transmit streams go the other way (reference §2.4, 0x84… ids announced with tx=1).
    const tx = c.streams.get(formatStreamId(st.streamId))?.type.endsWith('_tx') === true;
    (tx ? radio : client).add(st.dst.ip);
    (tx ? client : radio).add(st.src.ip);
  }
  return { client, radio };
}

/** Each stream's objects removed and announced again under its ID (control-tracker.ts Remade): pan, waterfall or stream. */
export function remadeObjects(c: ControlTracker): (st: TrackedStream) => readonly Remade[] {
  return (st) => {
    const id = formatStreamId(st.streamId);
    return [c.pans.get(id), c.waterfalls.get(id), c.streams.get(id)].flatMap((o) => o?.remade ?? []);
  };
}

/** The clients' session boundaries (session-gaps.ts), each with the addresses the client's own data went to (sessionSides). */
export function clientSessionGaps(c: ControlTracker, streams: readonly TrackedStream[]): SessionGap[] {
  return sessionGaps(c, (x) => sessionSides(c, x, streams)?.client ?? []);
}

/**
 * Data streams of another client of the radio (a Maestro beside SmartSDR, two computers on one radio:
 * reference §5.8, each GUI client gets its own meters, pans and streams at the UDP port it announced):
 * that client's path, not the primary session's, so its loss or silence is no finding about this one.
 * Known by going to another API session's client address that is none of this session's, or, on one
 * host, to the port that other client announced with `client udpport` when it is not this session's.
 */
function anotherClients(c: ControlTracker, chain: readonly ControlSession[], sides: SessionSides | undefined, clientPort: number | undefined): (st: TrackedStream) => boolean {
  const s = chain.at(-1);
  if (s === undefined || sides === undefined) return () => false;
  // The client's own earlier sessions (it reconnected, maybe announcing another port) are no other client.
  const others = c.apiSessions().filter((o) => !chain.includes(o));
  if (others.length === 0) return () => false;
  const ips = new Set(others.map((o) => o.client.ip).filter((ip) => !sides.client.has(ip)));
  const ports = new Set(others.filter((o) => o.client.ip === s.client.ip).flatMap((o) => udpportOf(o) ?? []).filter((p) => p !== clientPort));
  return (st) => ips.has(st.dst.ip) || (st.dst.ip === s.client.ip && ports.has(st.dst.port));
}

/** A stream from the session's client to its radio: transmit audio (reference §0 client→radio UDP). */
function sentByClient(st: TrackedStream, sides: SessionSides | undefined, clientPort: number | undefined): boolean {
  if (sides === undefined || !sides.client.has(st.src.ip) || !sides.radio.has(st.dst.ip)) return false;
  // Radio and client on one host (loopback): the addresses cannot tell the direction, the client's data port can.
  return !sides.radio.has(st.src.ip) || (clientPort !== undefined && st.src.port === clientPort);
}

/** Classes only a radio sends (reference §2.2, §2.4): discovery, its meters, FFT and waterfall. */
const RADIO_ONLY: readonly PacketKind[] = ['discovery', 'meter', 'panadapter', 'waterfall'];

/**
 * Without a control session (a capture of the data only): a stream to the radio from the socket the
 * radio's own streams go to (the client sends on its receiving socket, reference §0), or from another
 * address to one the radio sends from, is the client's transmit audio — however its id looks (§2.4:
 * prefixes are conventions).
 */
function sentToRadio(streams: readonly TrackedStream[]): (st: TrackedStream) => boolean {
  const fromRadio = streams.filter((st) => RADIO_ONLY.includes(st.classKind));
  const radio = new Set(fromRadio.map((st) => st.src.ip));
  const clientSockets = new Set(fromRadio.map((st) => formatEndpoint(st.dst)));
  return (st) => !RADIO_ONLY.includes(st.classKind) && (clientSockets.has(formatEndpoint(st.src)) || (radio.has(st.dst.ip) && !radio.has(st.src.ip)));
}

function outboundFacts(streams: TrackedStream[]): NonNullable<PathFacts['outbound']> {
  return {
    streams: streams.map((st) => formatStreamId(st.streamId)),
    packets: streams.reduce((n, st) => n + st.packets, 0),
    lost: streams.reduce((n, st) => n + st.seq.lost, 0),
  };
}

/** The API session the verdict is about: the one that set up UDP or created streams, else the busiest. */
export function primarySession(c: ControlTracker): ControlSession | undefined {
  const api = c.apiSessions();
  const score = (s: ControlSession): number => (s.udpport ? 1000 : 0) + s.streamCreates.length * 100 + (s.wanValidate ? 500 : 0) + s.lines;
  return api.sort((a, b) => score(b) - score(a))[0];
}

/** Packets per second between the first and the last packet. */
/**
 * Packets/s over the stream's life. A restart's silence (silences.ts StreamLoss.restarts: a session
 * boundary, or streams made anew) is no part of it — the stream was not there to send — so each one takes
 * its time and the one interval across it out: the rate the stream ran at on either side.
 */
export function streamRate(st: TrackedStream, restarts: ReadonlyArray<{ startTs: number; endTs: number }> = []): number {
  const d = st.lastTs - st.firstTs - restarts.reduce((n, r) => n + (r.endTs - r.startTs), 0);
  return d > 0 ? (st.packets - 1 - restarts.length) / d : 0;
}

export function lossFraction(x: { packets: number; lost: number }): number {
  return x.packets + x.lost === 0 ? 0 : x.lost / (x.packets + x.lost);
}

interface Expectation {
  announcedTs: number;
  /** When the client removed it again (the evidence is judged up to then); undefined while it lives. */
  until?: number;
  by: string[];
  /** Each object's least rate over its life, for the expected count. */
  lives: Array<{ from: number; until?: number; perS: number; object?: { id: string; why: string; unit: string } }>;
  unit: string;
}

export function deriveFacts(src: FactSources): PathFacts {
  const c = src.control;
  const s = primarySession(c);
  const t0 = Math.min(...[...c.sessions.map((x) => x.firstTs), ...src.streams.map((x) => x.firstTs)].filter(Number.isFinite), src.now);
  const exp = expectations(src, s);
  const clientPort = clientDataPort(c, s);
  const gaps = clientSessionGaps(c, src.streams);
  const chain = s ? sessionChain(gaps, s) : [];
  const radioData = src.streams.filter((st) => st.classKind !== 'discovery' && src.kindOf(st) !== 'other');
  const theirs = anotherClients(c, chain, sessionSides(c, s, radioData), clientPort);
  const flex = radioData.filter((st) => !theirs(st));
  // The data hops are the radio's streams to this computer; what the client sends the radio is judged apart.
  const sides = sessionSides(c, s, flex);
  const toRadio = s === undefined ? sentToRadio(src.streams) : (st: TrackedStream): boolean => sentByClient(st, sides, clientPort);
  const outbound = flex.filter(toRadio);
  const data = outbound.length === 0 ? flex : flex.filter((st) => !toRadio(st));
  // A capture taken where other clients' data passes too (at the radio's switch or router, a multiFLEX
  // station): the data hops are this session's client's. When none of the data goes to its addresses (an
  // observer whose control and data use different addresses owns no stream to learn them from), all of it.
  const mine = sides === undefined ? data : data.filter((st) => sides.client.has(st.dst.ip));
  const judged = mine.length > 0 ? mine : data;
  // Other clients' data: to another API session's client (anotherClients), or to none of this session's addresses.
  const others = [...radioData.filter(theirs), ...(judged === data ? [] : data.filter((st) => !mine.includes(st)))];
  const othersLost = streamLosses(others, gaps, remadeObjects(c));
  const losses = streamLosses(judged, gaps, remadeObjects(c));
  const incomplete = incompleteByHop(src, judged, sides);
  const classes = {} as Record<DataHopId, ClassFacts>;
  for (const id of DATA_HOP_IDS) {
    const streams = judged.filter((st) => DATA_CLASSES[id].kinds.includes(src.kindOf(st)));
    classes[id] = classFacts(src, id, streams, exp.get(id), s, losses, t0);
    const broken = sumIncomplete(incomplete.get(id) ?? []);
    if (broken) classes[id].ipFragments = broken;
  }
  const unplaced = sumIncomplete([...src.incomplete.unplaced.values()].filter((t) => sides === undefined || (sides.client.has(t.dst) && sides.radio.has(t.src))));
  const icmp = (i: ControlTracker['icmp'][number]): IcmpFact => ({
    reason: i.reason,
    from: i.from,
    protocol: i.original.protocol,
    src: formatEndpoint(i.original.src),
    dst: formatEndpoint(i.original.dst),
    atS: i.ts - t0,
    ...(i.mtu !== undefined ? { mtu: i.mtu } : {}),
  });
  return {
    now: src.now,
    mode: isWan(c, s) ? 'wan' : 'lan',
    notTested: { ...src.notTested },
    discovery: {
      beacons: src.streams.filter((st) => st.classKind === 'discovery').map((st) => ({ src: formatEndpoint(st.src), packets: st.packets, spanS: st.lastTs - st.firstTs })),
    },
    broker: brokerFacts(c),
    registration: {
      ...(c.wan ? { radioWan: { ...(c.wan.serverConnected !== undefined ? { serverConnected: c.wan.serverConnected } : {}), ...(c.wan.radioAuthenticated !== undefined ? { radioAuthenticated: c.wan.radioAuthenticated } : {}) } } : {}),
      brokerRadios: c.broker.radios.length,
      registerSent: c.broker.registerSent,
      registrationInvalid: c.broker.registrationInvalid,
      beacons: src
        .beacons()
        .filter((b) => b.wanConnected !== undefined)
        .map((b) => ({ ...(b.model !== undefined ? { model: b.model } : {}), ...(b.serial !== undefined ? { serial: b.serial } : {}), wanConnected: Boolean(b.wanConnected) })),
    },
    forwarding: forwardingFacts(c),
    control: controlFacts(src, s),
    setup: setupFacts(c, s, exp),
    udpReturn: udpReturnFacts(src, s, sides, exp, data, icmp),
    data: classes,
    outages: outageFacts(src, chain, sides, data, losses, t0),
    restarts: restartFacts(chain, gaps, sides, data, losses, t0),
    anyData: data.length > 0,
    fragNeeded: c.icmp.filter((i) => i.reason === 'frag-needed').slice(0, 2).map(icmp),
    ...(unplaced ? { ipFragmentsUnplaced: unplaced } : {}),
    ...(src.dontFragmentUnknown ? {} : { dontFragment: dontFragmentFacts(judged) }),
    ...(src.ownSocket ? { ownSocket: true as const } : {}),
    beaconModels: src.beacons().map((b) => b.model ?? 'radio'),
    foreignVita: foreignVitaFacts(src.streams),
    hasSession: s !== undefined,
    ...(outbound.length > 0 ? { outbound: outboundFacts(outbound) } : {}),
    ...(src.local ? { local: src.local } : {}),
    ...(src.ownStallMaxS !== undefined ? { ownStallMaxS: src.ownStallMaxS } : {}),
    ...(src.truncated ? { truncated: { ...src.truncated } } : {}),
    ...(others.length > 0
      ? {
          otherClients: {
            client: s?.client.ip ?? '',
            addresses: [...new Set(others.map((st) => st.dst.ip))],
            streams: others.length,
            packets: others.reduce((n, st) => n + st.packets, 0),
            lost: others.reduce((n, st) => n + (othersLost.get(st)?.lost ?? st.seq.lost), 0),
          },
        }
      : {}),
    ...(src.unreadLinks ? { unreadLinks: src.unreadLinks.map((u) => ({ ...u })) } : {}),
    ...(src.mtuSteps ? { mtuSteps: { ...src.mtuSteps, steps: src.mtuSteps.steps.map((x) => ({ ...x })) } } : {}),
    ...(src.clientMtu !== undefined ? { clientMtu: src.clientMtu } : {}),
  };
}

/**
 * The incomplete datagrams to this session's client per data class, by the stream their first fragment
 * names: a stream that arrived is of its class; one that never did, of the class its header or the
 * session's status says (kindOfId).
 */
function incompleteByHop(src: FactSources, judged: readonly TrackedStream[], sides: SessionSides | undefined): Map<DataHopId, IncompleteFact[]> {
  const out = new Map<DataHopId, IncompleteFact[]>();
  for (const t of src.incomplete.byStream.values()) {
    if (sides !== undefined && !sides.client.has(t.dst)) continue;
    const seen = judged.find((st) => formatStreamId(st.streamId) === t.id);
    const kind = seen ? src.kindOf(seen) : src.kindOfId(t.id, t.kind, t.flex);
    const hop = DATA_HOP_IDS.find((id) => DATA_CLASSES[id].kinds.includes(kind));
    if (hop !== undefined) out.set(hop, [...(out.get(hop) ?? []), t]);
  }
  return out;
}

function foreignVitaFacts(streams: readonly TrackedStream[]): PathFacts['foreignVita'] {
  const foreign = streams.filter((st) => !isFlexStream(st));
  const ouis = [...new Set(foreign.map((st) => (st.hasClassId ? `0x${st.oui.toString(16).padStart(6, '0')}` : 'no class ID')))];
  return { streams: foreign.length, ouis };
}

/** A SmartLink (WAN) session: `wan validate`, UDP registration or a broker connection in the evidence. */
/**
 * SmartLink or LAN, from the session the verdict is about (issue 11 class 3): `wan validate`, the client's
 * `udp_register` datagrams (reference §5.7), or TLS to the radio's API (§6.5). A SmartLink server session
 * decides only when no API session is readable: SmartSDR signs in to the server for LAN radios too, and
 * any other HTTPS to port 443 is no SmartLink at all.
 */
export function isWan(c: ControlTracker, s: ControlSession | undefined): boolean {
  if (c.udpRegistrations.length > 0) return true;
  if (s) return Boolean(s.wanValidate) || s.tls;
  return c.sessions.some((x) => x.kind === 'broker');
}

/** An object is this client's once a status line carrying its client_handle was seen (partial updates carry none). */
function ownedBy(s: ControlSession | undefined): (h: number | undefined) => boolean {
  return (h) => h !== undefined && (s?.handle === undefined || h === s.handle);
}

/** Which data classes the control plane asked the radio to send to our client, and when. */
function expectations(src: FactSources, s: ControlSession | undefined): Map<DataHopId, Expectation> {
  const c = src.control;
  const out = new Map<DataHopId, Expectation>();
  const mine = ownedBy(s);
  /** `object`: the stream id the radio sends this object's data with, where the status names it. */
  const add = (id: DataHopId, object: string | undefined, ts: number, why: string, rate: SilenceRate | undefined, removedTs?: number, ended = 'removed later'): void => {
    const prev = out.get(id);
    const e: Expectation = prev ?? { announcedTs: ts, by: [], lives: [], unit: rate?.unit ?? 'packets' };
    if (rate) e.lives.push({ from: ts, ...(removedTs !== undefined ? { until: removedTs } : {}), perS: rate.perS, ...(object !== undefined ? { object: { id: object, why, unit: rate.unit } } : {}) });
    e.announcedTs = Math.min(e.announcedTs, ts);
    // A class lives as long as its longest-lived object; one still alive has no end.
    const prevUntil = prev ? e.until : removedTs;
    if (prevUntil === undefined || removedTs === undefined) delete e.until;
    else e.until = Math.max(prevUntil, removedTs);
    if (e.by.length < 3) e.by.push(why + (removedTs !== undefined ? ` (${ended})` : ''));
    out.set(id, e);
  };
  const udpReady = udpDestinationTs(c, s);
  if (udpReady !== undefined && s) {
    const subMeters = [...s.commands.values(), ...s.failed, ...s.unanswered].some((r) => r.command.startsWith('sub meter'));
    // Unsubscribed by the client to the end of the evidence: meters are not asked for from then on. Whether
    // the radio stops their UDP then is UNCONFIRMED (reference §3.3 names only `sub meter all` as the start;
    // the simulator stops them): meters that go on are fine, meters that stop there are no fault either.
    const unsub = s.metersUnsubscribedTs;
    if (subMeters || c.meters.size > 0) {
      if (unsub !== undefined) add('data:meter', undefined, udpReady, `${c.meters.size} meters defined, UDP destination set`, silenceRate('meter'), Math.max(unsub, udpReady), 'every meter unsubscribed by the client later: unsub meter all');
      else add('data:meter', undefined, udpReady, `${c.meters.size} meters defined, UDP destination set`, silenceRate('meter'));
    }
  }
  // Objects removed again are still judged over their lifetime: a pan that never drew before the user
  // closed it is the evidence, not something to forget.
  for (const p of c.pans.values()) if (mine(p.clientHandle)) add('data:panadapter', p.id, Math.max(p.firstTs, udpReady ?? p.firstTs), `display pan ${p.id}`, silenceRate('panadapter', pick(p, 'fps')), p.removedTs);
  for (const w of c.waterfalls.values())
    if (mine(w.clientHandle)) add('data:waterfall', w.id, Math.max(w.firstTs, udpReady ?? w.firstTs), `display waterfall ${w.id}`, silenceRate('waterfall', pick(w, 'lineDurationMs')), w.removedTs);
  // A pan names its waterfall; when the waterfall's own status is not in the evidence (a capture or a
  // `listen` that joined a running session), the pan still implies it will be sent (issue 11 class 5).
  for (const p of c.pans.values()) {
    if (!mine(p.clientHandle) || p.waterfall === undefined || c.waterfalls.has(p.waterfall)) continue;
    add('data:waterfall', p.waterfall, Math.max(p.firstTs, udpReady ?? p.firstTs), `display pan ${p.id} waterfall=${p.waterfall} (its waterfall's own status is not in the evidence)`, silenceRate('waterfall'), p.removedTs);
  }
  // An FFT stream arriving while no status line of its pan is in the evidence (a `listen` that joined
  // after the pan was made, and no status since): the radio makes every pan with its waterfall (reference
  // §5.8, `display panafall create` answers both ids), so the waterfall is due from the first FFT packet.
  if (!out.has('data:waterfall')) {
    for (const st of src.streams) {
      if (st.classKind !== 'panadapter' || st.packets === 0 || c.pans.has(formatStreamId(st.streamId))) continue;
      add('data:waterfall', undefined, st.firstTs, `FFT stream ${formatStreamId(st.streamId)} arriving (its pan's status, naming its waterfall, is not in the evidence)`, silenceRate('waterfall'));
    }
  }
  for (const st of c.streams.values()) {
    if (!mine(st.clientHandle)) continue;
    const comp = st.compression ? { compression: st.compression } : {};
    if (st.type === 'remote_audio_rx') {
      // Muted by the client to the end of the evidence: audio is not asked for from then on. Whether the
      // radio stops sending Opus while every slice is muted is UNCONFIRMED (reference §3.5 is silent on
      // it): audio that goes on flowing is fine, audio that stops there is no fault either.
      const muted = s?.audioMutedTs !== undefined && (st.removedTs === undefined || s.audioMutedTs < st.removedTs) ? Math.max(s.audioMutedTs, st.firstTs) : undefined;
      const why = `stream ${st.id} ${st.type}${st.compression ? ` compression=${st.compression}` : ''}`;
      if (muted !== undefined) add('data:audio', st.id, st.firstTs, why, silenceRate('audio', comp), muted, 'every slice’s audio muted by the client later: slice set audio_mute=1');
      else add('data:audio', st.id, st.firstTs, why, silenceRate('audio', comp), st.removedTs);
    }
    if (st.type === 'dax_rx' || st.type === 'dax_mic') add('data:dax', st.id, st.firstTs, `stream ${st.id} ${st.type}`, silenceRate('dax-audio'), st.removedTs);
    if (st.type === 'dax_iq') add('data:dax', st.id, st.firstTs, `stream ${st.id} ${st.type}`, silenceRate('dax-iq'), st.removedTs);
  }
  return out;
}

/** `{ key: value }` when the field is known, else `{}` (optional properties stay absent). */
function pick<T extends object, K extends keyof T>(o: T, key: K): Partial<Pick<T, K>> {
  return o[key] !== undefined ? ({ [key]: o[key] } as Partial<Pick<T, K>>) : {};
}

/** λ: what the class's objects should have sent from their request until `end` (or their removal). */
function expectedUnits(e: Expectation, end: number): number {
  return e.lives.reduce((n, l) => n + l.perS * Math.max(0, Math.min(l.until ?? end, end) - l.from), 0);
}

/** The class's objects whose stream id not one of its arriving streams carries (one entry per id: its longest wait). */
function silentObjects(e: Expectation, streams: readonly TrackedStream[], end: number): NonNullable<ClassFacts['silentObjects']> {
  const arrived = new Set(streams.map((st) => formatStreamId(st.streamId)));
  const byId = new Map<string, NonNullable<ClassFacts['silentObjects']>[number]>();
  for (const l of e.lives) {
    if (l.object === undefined || arrived.has(l.object.id)) continue;
    const waitedS = Math.max(0, Math.min(l.until ?? end, end) - l.from);
    const prev = byId.get(l.object.id);
    if (prev === undefined || waitedS > prev.waitedS) byId.set(l.object.id, { id: l.object.id, by: l.object.why, expected: l.perS * waitedS, expectedUnit: l.object.unit, waitedS });
  }
  return [...byId.values()];
}

/** When the radio learned where to send UDP: the `client udpport` reply (LAN) or the first registration (WAN). */
function udpDestinationTs(c: ControlTracker, s: ControlSession | undefined): number | undefined {
  if (s?.udpport?.code === 0) return s.udpport.replyTs ?? s.udpport.ts;
  return c.udpRegistrations[0]?.firstTs;
}

/**
 * Each boundary between the sessions of the client's chain: how long every data stream to it that ran
 * across was silent there (from the latest last packet before to the earliest first after) — the restart's
 * silence, no loss (session-gaps.ts).
 */
function restartFacts(
  chain: readonly ControlSession[],
  gaps: readonly SessionGap[],
  sides: SessionSides | undefined,
  data: readonly TrackedStream[],
  losses: Map<TrackedStream, StreamLoss>,
  t0: number,
): RestartFact[] {
  const toClient = data.filter((st) => sides === undefined || sides.client.has(st.dst.ip));
  return gaps
    .filter((g) => chain.includes(g.before))
    .flatMap((g) => {
      const spans = toClient.flatMap((st) => (losses.get(st)?.restarts ?? []).filter((r) => r.by === 'session' && r.gap === g));
      if (spans.length === 0) return [];
      const start = Math.max(...spans.map((x) => x.startTs));
      const end = Math.min(...spans.map((x) => x.endTs));
      return [{ sessionEndS: g.fromTs - t0, nextSessionS: g.toTs - t0, atS: start - t0, silentS: Math.max(0, end - start), streams: spans.length }];
    });
}

/** Outages kept in the facts at most: the longest. */
const MAX_OUTAGES = 16;

function hopOf(src: FactSources, st: TrackedStream): DataHopId | undefined {
  const kind = src.kindOf(st);
  return DATA_HOP_IDS.find((id) => DATA_CLASSES[id].kinds.includes(kind));
}

/**
 * Silences across the client's data streams while its data socket was open (issue 11 classes 1 and 8): from
 * the first session of its chain (session-gaps.ts: its reconnects) asking for data to the last one's end.
 * A silence across a session boundary counts only up to the earlier session's end (silences.ts).
 */
function outageFacts(src: FactSources, chain: readonly ControlSession[], sides: SessionSides | undefined, data: TrackedStream[], losses: Map<TrackedStream, StreamLoss>, t0: number): OutageFact[] {
  const s = chain.at(-1);
  const clientIp = s?.client.ip;
  const toClient = data.filter((st) => sides === undefined || sides.client.has(st.dst.ip));
  const from = Math.min(...chain.map((x) => udpDestinationTs(src.control, x) ?? Infinity));
  const all = pathOutages(toClient, losses, Number.isFinite(from) ? from : -Infinity, s?.closeTs ?? Infinity);
  const kept = all.length <= MAX_OUTAGES ? all : [...all].sort((a, b) => b.endTs - b.startTs - (a.endTs - a.startTs)).slice(0, MAX_OUTAGES).sort((a, b) => a.startTs - b.startTs);
  const sends = src.control.udpRegistrations.filter((r) => clientIp === undefined || r.client.ip === clientIp).flatMap((r) => r.sends);
  return kept.map((o: Outage) => {
    const sent = sends.filter((ts) => ts > o.startTs && ts <= o.endTs);
    return {
      atS: o.startTs - t0,
      lengthS: o.endTs - o.startTs,
      lost: o.lost,
      everyStream: o.everyStream,
      ...(sent.length > 0 ? { reopenedS: o.endTs - Math.min(...sent) } : {}),
      streams: o.streams.flatMap(({ stream, silence: g }) => {
        const hop = hopOf(src, stream);
        return hop ? [{ id: formatStreamId(stream.streamId), hop, atS: g.startTs - t0, silentS: g.endTs - g.startTs, lost: g.lost, basis: g.paused ? ('counter' as const) : g.basis === 'counter' ? ('brief' as const) : g.basis }] : [];
      }),
    };
  });
}

function classFacts(
  src: FactSources,
  id: DataHopId,
  streams: TrackedStream[],
  e: Expectation | undefined,
  s: ControlSession | undefined,
  losses: Map<TrackedStream, StreamLoss>,
  t0: number,
): ClassFacts {
  const def = DATA_CLASSES[id];
  const lostOf = (st: TrackedStream): number => losses.get(st)?.lost ?? st.seq.lost;
  const f: ClassFacts = {
    label: def.label,
    unit: def.unit,
    streams: streams.map((st) => streamFacts(src, st, losses.get(st), t0)),
    packets: 0,
    lost: 0,
    outOfOrder: 0,
    duplicates: 0,
    maxSize: 0,
    bytesPerS: 0,
    framesComplete: 0,
    framesBroken: 0,
    framesSent: 0,
    neverFirstFragment: streams.every((st) => st.units === 0),
    jitterS: 0,
    expectsLarge: expectsLargePackets(id, src.control, s),
  };
  if (e) f.requested = { by: e.by, waitedS: (e.until ?? src.now) - e.announcedTs, expected: expectedUnits(e, src.now), expectedUnit: e.unit };
  const silent = (e ? silentObjects(e, streams, src.now) : []).map((o) => {
    const t = src.incomplete.byStream.get(o.id);
    return t ? { ...o, ipFragments: sumIncomplete([t])! } : o;
  });
  if (silent.length > 0) f.silentObjects = silent;
  for (const st of streams) {
    f.packets += st.packets;
    f.lost += lostOf(st) - (src.ended ? 0 : st.seq.unsettled());
    f.outOfOrder += st.seq.outOfOrder;
    f.duplicates += st.seq.duplicates;
    f.maxSize = Math.max(f.maxSize, st.maxSize);
    const d = st.lastTs - st.firstTs;
    if (d > 0) f.bytesPerS += st.bytes / d;
    f.framesComplete += st.frames?.completed ?? 0;
    f.framesBroken += st.frames?.broken ?? 0;
    // Frames still being assembled are not yet missing: judged live, the newest lines of a path that
    // reorders are always in flight (netlab relay-jitter: 81 of 83 complete, the other 2 still arriving).
    if (st.firstIndex !== undefined && st.maxIndex !== undefined) f.framesSent += st.indicesBefore + st.maxIndex - st.firstIndex + 1 - (st.frames?.open ?? 0);
    if (!framesUnread(src, st)) f.jitterS = Math.max(f.jitterS, st.jitterS);
  }
  const stopped = e ? silence(streams, s, e.until ?? src.now) : undefined;
  if (stopped) f.stopped = stopped;
  return f;
}

/**
 * A pan's or waterfall's stream in a class the tracker cannot read frames from (taken by its status:
 * analyzer kindOf): its units are packets, and a frame's packets leave the radio back to back (reference
 * §3.1–3.2), so their spacing is no jitter.
 */
function framesUnread(src: FactSources, st: TrackedStream): boolean {
  const kind = src.kindOf(st);
  return (kind === 'panadapter' || kind === 'waterfall') && st.classKind !== kind;
}

function streamFacts(src: FactSources, st: TrackedStream, loss: StreamLoss | undefined, t0: number): StreamFacts {
  const remade = (loss?.restarts ?? []).flatMap((r) => (r.by === 'data' ? [{ atS: r.startTs - t0, silentS: r.endTs - r.startTs, mark: r.mark }] : []));
  const x = expectedRate(src.kindOf(st), { ...(st.audioFormat ? { audioFormat: st.audioFormat } : {}), ...(st.sampleRate ? { sampleRate: st.sampleRate } : {}), ...panOpts(src.control, st) });
  return {
    id: formatStreamId(st.streamId),
    src: formatEndpoint(st.src),
    dst: formatEndpoint(st.dst),
    packets: st.packets,
    ratePps: streamRate(st, loss?.restarts),
    ...(x ? { expectedPps: x.pps } : {}),
    minSize: st.minSize,
    maxSize: st.maxSize,
    lost: loss?.lost ?? st.seq.lost,
    outOfOrder: st.seq.outOfOrder,
    duplicates: st.seq.duplicates,
    ...(st.units > 2 && !framesUnread(src, st) ? { jitterMs: st.jitterS * 1000 } : {}),
    ...(remade.length > 0 ? { remade } : {}),
  };
}

/**
 * Packets per second the session announced for this stream (issue 11: an outage in a stream's first
 * second): the reference rates of expected.ts `silenceRate` at the announced pan `fps`, waterfall
 * `line_duration`, audio compression, times the packets per FFT frame / waterfall line the stream shows.
 * The stream tracker reads a silence with it until it has measured the stream's own rate (its first
 * second). Undefined when the session announced nothing for it (a capture of data alone, an object
 * removed), so nothing is read from a rate nobody stated.
 */
export function announcedPps(c: ControlTracker, st: TrackedStream, kind: StreamKind): number | undefined {
  const id = formatStreamId(st.streamId);
  const perUnit = st.frameWidth && st.maxBinsPerPacket ? Math.ceil(st.frameWidth / st.maxBinsPerPacket) : 1;
  switch (kind) {
    case 'meter':
      // ≈ 28/s, UNCONFIRMED as a rule (reference §3.3): read only until the stream’s own rate is measured.
      return c.meters.size > 0 ? silenceRate('meter')!.perS : undefined;
    case 'panadapter':
    case 'waterfall': {
      const o = (kind === 'panadapter' ? c.pans : c.waterfalls).get(id);
      if (!o || o.removed) return undefined;
      return silenceRate(kind, { ...pick(o, 'fps'), ...pick(o, 'lineDurationMs') })!.perS * perUnit;
    }
    case 'audio':
    case 'dax-audio': {
      const a = c.streams.get(id);
      return a && !a.removed ? silenceRate(kind, a.compression ? { compression: a.compression } : {})!.perS : undefined;
    }
    case 'dax-iq': {
      // The class code names the sample rate (reference §2.2, FlexLib); 512 samples a packet is UNCONFIRMED
      // (§3.8): silenceRate's rate, the 24-kHz floor when the class names none, is never above the stream's.
      const a = c.streams.get(id);
      return a && !a.removed ? silenceRate(kind, st.sampleRate ? { sampleRate: st.sampleRate } : {})!.perS : undefined;
    }
    default:
      return undefined;
  }
}

function panOpts(c: ControlTracker, st: TrackedStream): { fps?: number; packetsPerFrame?: number } {
  if (st.classKind !== 'panadapter') return {};
  const pan = c.pans.get(formatStreamId(st.streamId));
  const per = st.frameWidth && st.maxBinsPerPacket ? Math.ceil(st.frameWidth / st.maxBinsPerPacket) : undefined;
  return { ...(pan?.fps !== undefined ? { fps: pan.fps } : {}), ...(per !== undefined ? { packetsPerFrame: per } : {}) };
}

/** Would this class's packets be ≥ 1 kB? Waterfall tiles always (684 bins); FFT when the pan is wide. */
function expectsLargePackets(id: DataHopId, c: ControlTracker, s: ControlSession | undefined): boolean {
  if (id === 'data:waterfall') return 36 + 28 + WATERFALL_BINS_PER_PACKET * 2 >= LARGE_PACKET_BYTES;
  if (id === 'data:panadapter') {
    for (const p of c.pans.values()) {
      if (p.removed || !ownedBy(s)(p.clientHandle)) continue;
      if (40 + 2 * (p.xPixels ?? 50) >= LARGE_PACKET_BYTES) return true;
    }
  }
  return false;
}

/**
 * How long data that flowed has been silent at `until` (or at the client's hang-up, after which the
 * radio stopping is expected).
 */
function silence(streams: TrackedStream[], s: ControlSession | undefined, until: number): Silence | undefined {
  if (streams.length === 0) return undefined;
  const first = Math.min(...streams.map((st) => st.firstTs));
  const last = Math.max(...streams.map((st) => st.lastTs));
  return { silentS: Math.min(until, s?.closeTs ?? Infinity) - last, flowedS: last - first };
}

function brokerFacts(c: ControlTracker): PathFacts['broker'] {
  const b = c.broker;
  // The tracker marks the broker by its name (SNI) or its readable lines: port 443 alone is any HTTPS.
  const sessions = c.sessions.filter((x) => x.kind === 'broker');
  return {
    ...(b.certificateRefused !== undefined ? { certificateRefused: b.certificateRefused } : {}),
    sessions: sessions.map((x) => ({
      id: x.id,
      tls: x.tls,
      ...(x.sni ? { sni: x.sni } : {}),
      bytesToServer: x.bytesToServer,
      bytesToClient: x.bytesToClient,
      ...(x.resetBy ? { resetBy: x.resetBy } : {}),
    })),
    registerSent: b.registerSent,
    registrationInvalid: b.registrationInvalid,
    radios: b.radios.map((r) => r.serial),
    ...(b.publicIp ? { publicIp: b.publicIp } : {}),
  };
}

function forwardingFacts(c: ControlTracker): PathFacts['forwarding'] {
  const f = c.broker.radios[0]?.fields;
  const t = c.broker.testConnection;
  const pub = f?.get('public_ip');
  const radio: NonNullable<PathFacts['forwarding']['radio']> = {};
  for (const [key, field] of [['publicIp', 'public_ip'], ['publicTlsPort', 'public_tls_port'], ['publicUdpPort', 'public_udp_port'], ['upnpSupported', 'upnp_supported']] as const) {
    const v = f?.get(field);
    if (v !== undefined) radio[key] = v;
  }
  const test: NonNullable<PathFacts['forwarding']['test']> = {};
  if (t) for (const k of ['upnpTcp', 'upnpUdp', 'forwardTcp', 'forwardUdp', 'holePunch'] as const) if (t[k] !== undefined) test[k] = t[k];
  return { ...(f ? { radio } : {}), publicIpPrivate: pub !== undefined && isSharedOrPrivate(pub), ...(t ? { test } : {}) };
}

function controlFacts(src: FactSources, s: ControlSession | undefined): ControlFacts {
  const c = src.control;
  const attempts = s
    ? []
    : c.sessions
        // FlexLib dials the radio by address, so a TLS session that named a host (SNI) is some other HTTPS.
        .filter((x) => x.kind !== 'broker' && (c.isApiPort(x.server.port) || (x.tls && !namesHost(x.sni))))
        .map((x) => {
          const u = unreachableOf(c, x);
          return { id: x.id, tls: x.tls, synOnly: x.synOnly, bytesToServer: x.bytesToServer, bytesToClient: x.bytesToClient, ...(x.resetBy ? { resetBy: x.resetBy } : {}), ...(u ? { unreachable: u } : {}) };
        });
  if (!s) return { attempts };
  const unreach = unreachableOf(c, s);
  const handshake = tlsHandshakeError(c, s);
  const before = endedBefore(c, s);
  const p = s.pings;
  const inFlight = c.pending(s);
  const missed = c.repliesMaybeMissed(s);
  const missedPings = missed.filter((x) => /^ping\b/.test(x.command)).length;
  const oldestPing = inFlight.find((x) => /^ping\b/.test(x.command));
  const unanswered = [...s.unanswered, ...inFlight.filter((x) => !s.unanswered.includes(x))]
    .filter((u) => !u.command.startsWith('ping'))
    .map((u) => ({ command: u.command, ageS: src.now - u.ts, ...((s.lastAnsweredSentTs ?? -Infinity) > u.ts ? { laterAnswered: true } : {}), ...(u.gaveUp ? { gaveUp: true } : {}) }));
  return {
    attempts,
    session: {
      id: s.id,
      tls: s.tls,
      ...(s.version !== undefined ? { version: s.version } : {}),
      ...(s.handle !== undefined ? { handle: s.handle } : {}),
      ...(s.program !== undefined ? { program: s.program } : {}),
      replies: s.replies,
      ...(s.maxReplyMs !== undefined ? { maxReplyMs: s.maxReplyMs } : {}),
      bytesToServer: s.bytesToServer,
      ...(s.resetBy || refusedOnConnect(c, s) ? { resetBy: s.resetBy ?? 'server' } : {}),
      ...(s.closedBy ? { closedBy: s.closedBy } : {}),
      durationS: (s.closeTs ?? s.lastTs) - s.firstTs,
      lineErrors: s.lineErrors,
      ...(s.lastLineError !== undefined ? { lastLineError: s.lastLineError } : {}),
      ...(s.wanValidate ? { wanValidate: s.wanValidate.code !== undefined ? { code: s.wanValidate.code } : {} } : {}),
      keepaliveEnabled: s.keepaliveEnabledTs !== undefined,
      wanValidationFailed: [...c.clients.values()].some((cl) => cl.wanValidationFailed && (s.handle === undefined || cl.handle === s.handle)),
      pings: {
        sent: p.sent - missedPings,
        answered: p.answered,
        minMs: p.answered > 0 ? p.minMs : 0,
        avgMs: p.answered > 0 ? p.sumMs / p.answered : 0,
        maxMs: p.maxMs,
        longestWaitS: p.maxOutstandingS,
        waitingNowS: oldestPing ? src.now - oldestPing.ts : 0,
        maxGapS: p.maxGapS,
        answeredAfterLongestGap: p.maxGapS > 0 && p.lastAnsweredSentTs >= p.maxGapEndTs,
      },
      unanswered,
      ...(missed.length > 0 ? { repliesMaybeMissed: { commands: missed.length, pings: missedPings } } : {}),
      ...(unreach ? { unreachable: unreach } : {}),
      ...(handshake !== undefined ? { tlsHandshakeError: handshake } : {}),
      ...(before ? { endedBefore: before } : {}),
    },
  };
}

/**
 * The latest API session of the same client address to the same radio that the radio's side ended before
 * `s` opened: a radio that restarted, or dropped the client, and the client's reconnect (reference §5.1:
 * one TCP connection per session; FlexLib reconnects on its own).
 */
function endedBefore(c: ControlTracker, s: ControlSession): NonNullable<ControlFacts['session']>['endedBefore'] {
  const prev = c
    .apiSessions()
    .filter((x) => x !== s && x.client.ip === s.client.ip && sameEndpoint(x.server, s.server) && x.closedBy === 'server' && x.closeTs !== undefined && x.closeTs <= s.firstTs)
    .sort((a, b) => b.closeTs! - a.closeTs!)[0];
  if (!prev) return undefined;
  return { how: prev.resetBy === 'server' ? 'reset' : 'closed', lastedS: prev.closeTs! - prev.firstTs, reconnectedAfterS: s.firstTs - prev.closeTs! };
}

/**
 * A live TLS connect to this session's radio (SmartLink's forwarded port, reference §6.5) that failed in
 * the handshake: the error's code — ECONNRESET, an OpenSSL code (ERR_SSL_…) — once the TCP connection was
 * made. A refused or unreachable connect is not a handshake (refusedOnConnect, unreachableOf).
 */
function tlsHandshakeError(c: ControlTracker, x: ControlSession): string | undefined {
  return c.connectErrors.find((e) => e.tls && sameEndpoint(e.dst, x.server) && e.code !== 'ECONNREFUSED' && unreachableFromErrno(e.code) === undefined)?.code;
}

/** A live connect to this session's radio refused: ECONNREFUSED is the SYN answered by a reset (Linux connect(2)). */
function refusedOnConnect(c: ControlTracker, x: ControlSession): boolean {
  return c.connectErrors.some((e) => e.code === 'ECONNREFUSED' && sameEndpoint(e.dst, x.server));
}

/** ICMP host/net unreachable about this connection's packets to the radio, or the live connect's errno for it. */
function unreachableOf(c: ControlTracker, x: ControlSession): Unreachable | undefined {
  const icmp = c.icmp.find(
    (i) =>
      (i.reason === 'host-unreachable' || i.reason === 'net-unreachable') &&
      i.original.protocol === 'tcp' &&
      sameEndpoint(i.original.dst, x.server) &&
      (x.client.ip === '0.0.0.0' || sameEndpoint(i.original.src, x.client)),
  );
  if (icmp) return { reason: icmp.reason as Unreachable['reason'], by: `ICMP from ${icmp.from}` };
  for (const e of c.connectErrors) {
    const reason = sameEndpoint(e.dst, x.server) ? unreachableFromErrno(e.code) : undefined;
    if (reason) return { reason, by: `this computer's kernel (${e.code})` };
  }
  return undefined;
}

function setupFacts(c: ControlTracker, s: ControlSession | undefined, exp: Map<DataHopId, Expectation>): PathFacts['setup'] {
  const named = [
    ...[...c.pans.values()].map((p) => `display pan ${p.id}`),
    ...[...c.waterfalls.values()].map((w) => `display waterfall ${w.id}`),
    ...[...c.streams.values()].filter((x) => !x.type.endsWith('_tx')).map((x) => `stream ${x.id} ${x.type}`),
  ];
  return {
    hasSession: s !== undefined,
    ...(s?.udpport
      ? {
          udpport: {
            port: s.udpport.command.split(' ')[2] ?? '',
            ...(s.udpport.code !== undefined ? { code: s.udpport.code } : {}),
            ...(s.udpport.message ? { message: s.udpport.message } : {}),
          },
        }
      : {}),
    registrations: c.udpRegistrations.map((r) => ({ registers: r.registers, pings: r.pings, client: formatEndpoint(r.client), radio: formatEndpoint(r.radio) })),
    creates: (s?.streamCreates ?? []).map((x) => ({ command: x.command, ...(x.code !== undefined ? { code: x.code } : {}), ...(x.message !== undefined ? { message: x.message } : {}) })),
    announced: [...exp].map(([hop, e]) => ({ hop, by: e.by })),
    ...(s !== undefined && s.openTs === undefined && s.version === undefined ? { joinedLate: true as const } : {}),
    ...(named.length > 0 ? { named: named.slice(0, MAX_NAMED) } : {}),
  };
}

/** Objects `setup.named` lists at most: enough to point at a session's pan, waterfall and audio. */
const MAX_NAMED = 6;

function udpReturnFacts(
  src: FactSources,
  s: ControlSession | undefined,
  sides: SessionSides | undefined,
  exp: Map<DataHopId, Expectation>,
  data: TrackedStream[],
  icmp: (i: ControlTracker['icmp'][number]) => IcmpFact,
): PathFacts['udpReturn'] {
  const c = src.control;
  const announced = clientDataPort(c, s);
  const toClient = data.filter((st) => sides === undefined || sides.client.has(st.dst.ip));
  const unreach = c.icmp.filter((i) => i.reason === 'port-unreachable' || i.reason === 'admin-prohibited');
  // The client's own registrations refused on the way to the radio: its router forwards nothing there.
  const ownRegistration = (i: ControlTracker['icmp'][number]): boolean =>
    c.udpRegistrations.some((r) => sameEndpoint(r.client, i.original.src) && sameEndpoint(r.radio, i.original.dst));
  const registrationsRefused = unreach.filter((i) => i.original.protocol === 'udp' && ownRegistration(i));
  // ICMP about datagrams from the radio to this client: the client's host refused them — while its data
  // socket was meant to be open, from the UDP destination on until the client hung up (issue 11 class 1):
  // on a path with latency the radio's last datagrams land after that, on a port already closed.
  const opened = udpDestinationTs(c, s) ?? -Infinity;
  const hungUp = s?.closeTs ?? Infinity;
  const radioData = unreach.filter(
    (i) => i.original.protocol === 'udp' && !ownRegistration(i) && (sides === undefined || sides.radio.has(i.original.src.ip) || i.original.src.port === 4993 || i.original.src.port === 4991),
  );
  const aboutData = radioData.filter((i) => i.ts >= opened && i.ts <= hungUp);
  const afterHangUp = radioData.filter((i) => i.ts > hungUp).length;
  const seenAt = s?.clientIpSeen;
  const firstExpected = Math.min(...[...exp.values()].map((e) => e.announcedTs));
  const lives = [...exp.values()].map((e) => e.until);
  // When the client removed everything it asked for, the evidence ends there.
  const end = lives.length > 0 && lives.every((u) => u !== undefined) ? Math.max(...(lives as number[])) : src.now;
  const start = Number.isFinite(firstExpected) ? firstExpected : (c.udpRegistrations[0]?.firstTs ?? src.now);
  const stopped = exp.size > 0 ? silence(toClient, s, end) : undefined;
  const port = aboutData[0]?.original.dst.port;
  return {
    ...(src.streams.length === 0 && src.otherUdp === 0 && c.udpRegistrations.length === 0 ? { noUdp: true as const } : {}),
    ...(announced !== undefined ? { announcedPort: announced } : {}),
    sources: [...new Set(toClient.map((st) => formatEndpoint(st.src)))],
    dstPorts: [...new Set(toClient.map((st) => st.dst.port))],
    streamsToClient: toClient.length,
    requestedClasses: exp.size,
    waitedS: end - start,
    expected: [...exp.values()].reduce((n, e) => n + expectedUnits(e, src.now), 0),
    unreachable: unreach.slice(0, 3).map(icmp),
    aboutData: { count: aboutData.length, adminProhibited: aboutData.some((i) => i.reason === 'admin-prohibited'), ...(port !== undefined ? { port } : {}) },
    ...(afterHangUp > 0 ? { icmpAfterHangUp: afterHangUp } : {}),
    ...(registrationsRefused.length > 0
      ? { registrationsRefused: { count: registrationsRefused.length, from: registrationsRefused[0]!.from, to: formatEndpoint(registrationsRefused[0]!.original.dst) } }
      : {}),
    ...(seenAt !== undefined && sides !== undefined && !sides.client.has(seenAt) ? { radioSeesClientAt: seenAt } : {}),
    ...(c.localSendErrors.length > 0
      ? { sendRefused: { count: c.localSendErrors.length, code: c.localSendErrors[0]!.code, to: formatEndpoint(c.localSendErrors[0]!.dst) } }
      : {}),
    noDestinationDespiteRegistrations: Boolean(s?.streamCreates.some((x) => x.code === REPLY.noIpOrPort) && c.udpRegistrations.some((r) => r.registers > 0)),
    ...(stopped ? { stopped } : {}),
  };
}

function sameEndpoint(a: { ip: string; port: number }, b: { ip: string; port: number }): boolean {
  return a.ip === b.ip && a.port === b.port;
}

/** An SNI that is a host name (not an address literal, which RFC 6066 §3 does not allow anyway). */
function namesHost(sni: string | undefined): boolean {
  return sni !== undefined && /[a-z]/i.test(sni) && !sni.includes(':');
}

/** RFC 1918, CGNAT 100.64.0.0/10 and 192.0.0.0/29 (reference §8 #1). */
function isSharedOrPrivate(ip: string): boolean {
  const p = ip.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x))) return false;
  const [a = 0, b = 0, c = 0, d = 0] = p;
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || (a === 192 && b === 0 && c === 0 && d < 8);
}
