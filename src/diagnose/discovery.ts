/**
 * Listens for radios' discovery beacons (reference §4): UDP 4992 with address reuse, so it runs beside
 * SmartSDR on the same PC. A radio leaves the list 17 s after its last beacon, as in FlexLib. Beacons
 * are LAN broadcasts: their absence across a router or VPN is expected, never a fault.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { DecodeError } from '../common/decode-error.js';
import { decodePacket } from '../vita/packet.js';
import { type RadioBeacon, readBeacon } from '../vita/payload/discovery.js';
import type { LocalInterface } from '../local/types.js';

export const DISCOVERY_PORT = 4992;
/** FlexLib's RADIOLIST_TIMEOUT_SECONDS (reference §4.1). */
const RADIO_TIMEOUT_MS = 17_000;

export interface SeenRadio {
  beacon: RadioBeacon;
  /** Where the beacon came from (the radio's address even when its `ip=` says otherwise). */
  from: { ip: string; port: number };
  lastSeenMs: number;
  beacons: number;
}

export interface DiscoveryListener {
  port: number;
  radios(): SeenRadio[];
  stop(): Promise<void>;
}

export interface DiscoveryOptions {
  port?: number;
  host?: string;
  /** Every datagram as it came (the live analysis counts the beacons as a stream). */
  onDatagram?(payload: Buffer, from: RemoteInfo, to: { ip: string; port: number }): void;
  onChange?(radios: SeenRadio[]): void;
}

/**
 * Can a beacon reach this computer at all? Beacons are IPv4 broadcasts (reference §4.1), so not without
 * an IPv4 address on an adapter that is up (loopback aside): an IPv6-only network (reference §12 #15), or
 * the one adapter with IPv4 unplugged. A link-local 169.254/16 address still hears broadcasts on its link.
 */
export function canHearBeacons(adapters: LocalInterface[]): boolean {
  return adapters.some((i) => i.up && i.addresses.some((a) => a.family === 4 && a.class !== 'loopback'));
}

export async function listenForRadios(o: DiscoveryOptions = {}): Promise<DiscoveryListener> {
  const socket: Socket = createSocket({ type: 'udp4', reuseAddr: true });
  const seen = new Map<string, SeenRadio>();
  const live = (): SeenRadio[] => {
    const now = performance.now();
    for (const [k, r] of seen) if (now - r.lastSeenMs > RADIO_TIMEOUT_MS) seen.delete(k);
    return [...seen.values()];
  };
  socket.on('error', () => undefined);
  let local = { ip: o.host ?? '0.0.0.0', port: o.port ?? DISCOVERY_PORT };
  socket.on('message', (msg, from) => {
    o.onDatagram?.(msg, from, local);
    let beacon: RadioBeacon;
    try {
      const { packet } = decodePacket(msg);
      if (packet.kind !== 'discovery') return;
      beacon = readBeacon(packet.payload);
    } catch (e) {
      if (e instanceof DecodeError) return;
      throw e;
    }
    const key = beacon.serial ?? from.address;
    const prev = seen.get(key);
    const isNew = prev === undefined || prev.beacon.status !== beacon.status || prev.beacon.guiClients.length !== beacon.guiClients.length;
    seen.set(key, { beacon, from: { ip: from.address, port: from.port }, lastSeenMs: performance.now(), beacons: (prev?.beacons ?? 0) + 1 });
    if (isNew) o.onChange?.(live());
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(o.port ?? DISCOVERY_PORT, o.host ?? '0.0.0.0', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  local = { ip: socket.address().address, port: socket.address().port };
  // Radios that go silent drop off the list even when nothing else arrives.
  const sweep = setInterval(() => {
    const before = seen.size;
    const now = live();
    if (now.length !== before) o.onChange?.(now);
  }, 1000);
  sweep.unref();
  return {
    port: local.port,
    radios: live,
    async stop() {
      clearInterval(sweep);
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}
