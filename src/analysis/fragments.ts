/**
 * Fragmented UDP datagrams the capture never saw whole (capture/dissect.ts 'udp-incomplete'): per VITA-49
 * stream where the first fragment arrived (its header names the stream: reference §1.2), else per address
 * pair. A path that fragments the radio's large datagrams (Don't-Fragment clear, or IPv6's sender
 * fragmenting) and then drops or loses fragments shows here, where a DF black hole shows nothing.
 */
import type { UdpIncompleteEvent } from '../capture/types.js';
import { FLEX_OUI, type PacketKind, classify } from '../vita/classes.js';
import { header } from '../vita/header.js';
import { formatStreamId, streamId } from '../vita/stream-id.js';

/** What the incomplete datagrams of one stream (or class) show. */
export interface IncompleteFact {
  datagrams: number;
  /** Of them, those whose first fragment arrived: a later fragment was lost. */
  firstArrived: number;
  /** Largest whole datagram's IP length: from its last fragment, else from its VITA-49 size field (+ UDP and IP headers). */
  datagramBytes: number;
  /** Largest fragment's IP length: what the link that fragmented them carried. */
  fragmentBytes: number;
  /** Sent over IPv6 (no DF bit there: only the sender fragments, RFC 8200 §4.5). */
  ipv6: boolean;
}

interface Tally extends IncompleteFact {
  src: string;
  dst: string;
}

interface ByStream extends Tally {
  id: string;
  /** The class its header names (classify): a class the table does not list is 'other'. */
  kind: PacketKind;
  /** Its class ID carries FlexRadio's OUI. */
  flex: boolean;
  /** Its VITA-49 size field, in bytes. */
  bytes: number;
}

/** Streams (and address pairs) tallied at most, as the stream tracker bounds its streams: the rest are counted only. */
const MAX_TALLIES = 1024;
const UDP_HEADER = 8;

export class IncompleteDatagrams {
  readonly byStream = new Map<string, ByStream>();
  /** No stream named (the first fragment never arrived, or it is no VITA-49): per "src>dst" addresses. */
  readonly unplaced = new Map<string, Tally>();
  add(e: UdpIncompleteEvent): void {
    const ipv6 = e.src.ip.includes(':');
    const vita = readHeader(e.head);
    const fresh = (): Tally => ({ datagrams: 0, firstArrived: 0, datagramBytes: 0, fragmentBytes: 0, ipv6, src: e.src.ip, dst: e.dst.ip });
    const t = vita ? this.tally(this.byStream, vita.id, () => ({ ...fresh(), ...vita })) : this.tally(this.unplaced, `${e.src.ip}>${e.dst.ip}`, fresh);
    if (t === undefined) return;
    t.datagrams++;
    if (e.src.port !== 0) t.firstArrived++;
    const whole = e.ipLength ?? (vita ? vita.bytes + UDP_HEADER + (ipv6 ? 40 : 20) : 0);
    t.datagramBytes = Math.max(t.datagramBytes, whole);
    t.fragmentBytes = Math.max(t.fragmentBytes, e.largestFragment);
  }

  private tally<T extends Tally>(map: Map<string, T>, key: string, make: () => T): T | undefined {
    const t = map.get(key);
    if (t !== undefined) return t;
    // Past the bound (a flood of stream ids or addresses) the datagram is not tallied: the reader's warning still counts it.
    if (map.size >= MAX_TALLIES) return undefined;
    const made = make();
    map.set(key, made);
    return made;
  }
}

/** The stream, class and declared size of a VITA-49 header at the start of an incomplete datagram, if it is one. */
function readHeader(head: Buffer): { id: string; kind: PacketKind; flex: boolean; bytes: number } | undefined {
  if (head.length === 0) return undefined;
  try {
    const h = header.decode(head);
    if (h.streamId === undefined) return undefined;
    return { id: formatStreamId(streamId(h.streamId)), kind: classify(h).kind, flex: h.classId?.oui === FLEX_OUI, bytes: h.packetSize * 4 };
  } catch {
    // Not VITA-49, or fewer bytes arrived than its header holds.
    return undefined;
  }
}

/** The tallies together (undefined when there are none). */
export function sumIncomplete(list: readonly IncompleteFact[]): IncompleteFact | undefined {
  if (list.length === 0) return undefined;
  return {
    datagrams: list.reduce((n, t) => n + t.datagrams, 0),
    firstArrived: list.reduce((n, t) => n + t.firstArrived, 0),
    datagramBytes: Math.max(...list.map((t) => t.datagramBytes)),
    fragmentBytes: Math.max(...list.map((t) => t.fragmentBytes)),
    ipv6: list.some((t) => t.ipv6),
  };
}
