/**
 * Gathers this computer's side of the path for one radio: route, adapters, who holds the radio's UDP
 * ports, and what the host firewall would do with the radio's datagram. `diagnose` calls it once the
 * data socket is bound and the control connection is up (so the addresses are known).
 */
import { linuxProbe } from './linux.js';
import { macosProbe } from './macos.js';
import type { LocalProbe } from './probe.js';
import type { LocalFacts, LocalInterface, LocalOs } from './types.js';
import { windowsProbe } from './windows.js';

/** FlexLib's first data port, the discovery/API port and the radio's own data port (reference §0). */
const FLEX_UDP_PORTS = [4991, 4992, 4993] as const;
/** The radio's VITA-49 source port on fw 4.2.18+ (reference §8 #7, §9: treat as variable). */
const RADIO_DATA_PORT = 4993;

export function probeFor(platform: NodeJS.Platform = process.platform): LocalProbe | undefined {
  if (platform === 'linux') return linuxProbe();
  if (platform === 'win32') return windowsProbe();
  if (platform === 'darwin') return macosProbe();
  return undefined;
}

export interface GatherOptions {
  radio: string;
  /** FlexPath's data socket. */
  bound?: { ip: string; port: number };
  /** Local address of the control connection (the radio sends UDP there on a LAN). */
  controlSource?: string;
  /** The radio's source port if seen, else 4993. */
  radioPort?: number;
  /** Further UDP ports worth naming the holder of. */
  ports?: number[];
  bindError?: { port: number; code: string };
  /** Conntrack's view of the radio's datagrams (RadioDatagram.flow). */
  flow?: 'new' | 'established';
  now?: number;
}

function interfaceOf(list: LocalInterface[], ip: string): LocalInterface | undefined {
  return list.find((i) => i.addresses.some((a) => a.ip === ip));
}

export async function gatherLocalFacts(probe: LocalProbe | undefined, o: GatherOptions): Promise<LocalFacts> {
  const ts = o.now ?? Date.now() / 1000;
  const notHere = { checked: false as const, reason: `not checked on ${process.platform}` };
  const base = { ts, radio: o.radio, ...(o.controlSource ? { controlSource: o.controlSource } : {}), ...(o.bindError ? { bindError: o.bindError } : {}) };
  if (!probe) return { os: 'other' as LocalOs, ...base, route: notHere, interfaces: notHere, ports: notHere, firewalls: [] };
  const [route, interfaces] = await Promise.all([probe.route(o.radio), probe.interfaces()]);
  const ports = [...new Set([...FLEX_UDP_PORTS, ...(o.bound ? [o.bound.port] : []), ...(o.bindError ? [o.bindError.port] : []), ...(o.ports ?? [])])].sort((a, b) => a - b);
  const holders = await probe.udpPorts(ports);
  const list = interfaces.checked ? interfaces.list : [];
  const boundIface = o.bound && !/^(0\.0\.0\.0|::)$/.test(o.bound.ip) ? interfaceOf(list, o.bound.ip)?.name : undefined;
  const dst = route.checked && route.value.source ? route.value.source : (o.controlSource ?? o.bound?.ip ?? '0.0.0.0');
  const dport = o.bound?.port ?? o.bindError?.port;
  const datagram =
    dport !== undefined
      ? { src: o.radio, sport: o.radioPort ?? RADIO_DATA_PORT, dst, dport, ...(route.checked ? { iface: route.value.interface } : {}), ...(o.flow ? { flow: o.flow } : {}) }
      : undefined;
  const firewalls = datagram ? await probe.firewalls(datagram) : [];
  return {
    os: probe.os,
    ...base,
    route,
    ...(o.bound ? { bound: { ...o.bound, ...(boundIface ? { interface: boundIface } : {}) } } : {}),
    interfaces,
    ports: holders,
    ...(datagram ? { datagram } : {}),
    firewalls,
  };
}
