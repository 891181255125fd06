/**
 * The facts of each hop in words: what the report shows under a hop whatever rule decided it (what
 * arrived, what was asked for, the status lines seen). A rule adds its own deciding fact in front.
 */
import type { ClassFacts, PathFacts } from './facts.js';
import { isDataHop, lossFraction } from './facts.js';
import type { IncompleteFact } from './fragments.js';
import type { HopId } from './model.js';
import { mtuStepsLine } from './mtu-phases.js';

export const pct = (x: number): string => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)} %`;
export const secs = (x: number): string => `${x.toFixed(x < 10 ? 1 : 0)} s`;
const hex = (n: number): string => `0x${n.toString(16).toUpperCase()}`;
const bool = (b: boolean | undefined): string => (b === undefined ? '?' : b ? '1' : '0');

export function describeHop(f: PathFacts, hop: HopId): string[] {
  if (hop === 'data:waterfall') return [...describeClass(f.data[hop], 'lines'), ...(f.mtuSteps ? [mtuStepsLine(f.mtuSteps)] : [])];
  if (isDataHop(hop)) return describeClass(f.data[hop], 'frames');
  switch (hop) {
    case 'discovery':
      return f.discovery.beacons.map((b) => `${b.packets} beacons from ${b.src} over ${secs(b.spanS)}`);
    case 'smartlink-server':
      return f.broker.sessions.map(
        (x) => `${x.tls ? 'TLS' : 'TCP'} ${x.id}${x.sni ? ` (SNI ${x.sni})` : ''}: ${x.bytesToServer} B sent, ${x.bytesToClient} B received${x.resetBy ? `, reset by ${x.resetBy}` : ''}`,
      );
    case 'radio-registration': {
      const r = f.registration;
      const out: string[] = [];
      if (r.radioWan) out.push(`radio wan status: server_connected=${bool(r.radioWan.serverConnected)} radio_authenticated=${bool(r.radioWan.radioAuthenticated)}`);
      if (r.brokerRadios > 0 || r.registerSent > 0) out.push(r.brokerRadios > 0 ? `${r.brokerRadios} radio(s) listed by the SmartLink server` : 'the SmartLink server listed no radio for this account');
      for (const b of r.beacons) out.push(`beacon of ${b.model ?? 'radio'} ${b.serial ?? ''}: wan_connected=${b.wanConnected ? 1 : 0}`);
      return out;
    }
    case 'radio-forwarding': {
      const { radio, test: t } = f.forwarding;
      const out: string[] = [];
      if (radio) {
        out.push(`radio list: public_ip=${radio.publicIp ?? '?'} public_tls_port=${radio.publicTlsPort ?? '?'} public_udp_port=${radio.publicUdpPort ?? '?'} upnp_supported=${radio.upnpSupported ?? '?'}`);
      }
      if (t) {
        out.push(`test_connection: upnp tcp=${bool(t.upnpTcp)} udp=${bool(t.upnpUdp)}, forwarded tcp=${bool(t.forwardTcp)} udp=${bool(t.forwardUdp)}, NAT preserves ports=${bool(t.holePunch)}`);
      }
      return out;
    }
    case 'control':
      return describeControl(f);
    case 'stream-setup':
      return describeSetup(f);
    case 'udp-return': {
      const u = f.udpReturn;
      const out: string[] = [];
      if (u.sources.length > 0) out.push(`VITA-49 arrives from ${u.sources.slice(0, 3).join(', ')} to port(s) ${u.dstPorts.slice(0, 4).join(', ')}`);
      for (const r of f.setup.registrations) out.push(`client sent ${r.registers} udp_register + ${r.pings} ping datagrams to ${r.radio}`);
      for (const i of u.unreachable) out.push(`ICMP ${i.reason} from ${i.from} for ${i.protocol} ${i.src} → ${i.dst}`);
      if (u.icmpAfterHangUp) out.push(`${u.icmpAfterHangUp} ICMP error(s) for the radio’s data came after the client hung up: its socket was closed, the radio’s last datagrams still on the way — not a firewall`);
      if (f.ipFragmentsUnplaced) out.push(`${incompleteLine(f.ipFragmentsUnplaced)} (no fragment naming the stream arrived)`);
      if (u.radioSeesClientAt && f.mode === 'lan') out.push(`the radio sees this client at ${u.radioSeesClientAt} (\`client ip\`), not at its own address: a NAT sits between them`);
      return out;
    }
  }
  return [];
}

function describeControl(f: PathFacts): string[] {
  const s = f.control.session;
  if (!s) return [];
  const out = [
    `${s.id}${s.tls ? ' (TLS)' : ''}: ${s.version ? `V${s.version}` : 'no prologue'}${s.handle !== undefined ? `, handle ${hex(s.handle)}` : ''}${s.program ? `, program ${s.program}` : ''}, ${s.replies} replies`,
  ];
  if (s.wanValidate) {
    const code = s.wanValidate.code;
    out.push(`wan validate: ${code === undefined ? 'no reply' : code === 0 ? 'accepted' : `refused (${hex(code)})`}`);
  }
  if (s.resetBy) out.push(`connection reset by the ${s.resetBy === 'server' ? 'radio' : 'client'} after ${secs(s.durationS)}`);
  const p = s.pings;
  if (p.sent > 0) {
    out.push(
      `pings: ${p.sent} sent, ${p.answered} answered` +
        (p.answered > 0 ? `, RTT min/avg/max ${p.minMs.toFixed(0)}/${p.avgMs.toFixed(0)}/${p.maxMs.toFixed(0)} ms` : '') +
        `, longest wait ${secs(p.longestWaitS)}, longest gap between pings ${secs(p.maxGapS)}`,
    );
  }
  const m = s.repliesMaybeMissed;
  if (m) {
    out.push(
      `${m.commands} command(s) (${m.pings} ping(s)) sent before the capture missed bytes from the radio: their replies may be in those bytes, so they count as neither answered nor unanswered`,
    );
  }
  if (s.lineErrors > 0) out.push(`${s.lineErrors} line(s) not in the API format (${s.lastLineError ?? ''})`);
  return out;
}

function describeSetup(f: PathFacts): string[] {
  const st = f.setup;
  if (!st.hasSession) return [];
  const out: string[] = [];
  if (st.udpport) {
    const { port, code, message } = st.udpport;
    out.push(`client udpport ${port}: ${code === undefined ? 'no reply' : code === 0 ? 'accepted' : `refused (${hex(code)}${message ? ` ${message}` : ''})`}`);
  }
  for (const r of st.registrations) out.push(`${r.registers} UDP registrations and ${r.pings} UDP pings sent ${r.client} → ${r.radio}`);
  for (const c of st.creates) out.push(`${c.command}: ${c.code === undefined ? 'no reply' : c.code === 0 ? `ok ${c.message ?? ''}`.trim() : `error ${hex(c.code)}`}`);
  for (const a of st.announced) out.push(`${a.hop.slice(5)} announced: ${a.by.join('; ')}`);
  return out;
}

/** Fragmented datagrams that never completed (facts.ts ipFragments): what arrived of them, and that DF was clear. */
function incompleteLine(x: IncompleteFact): string {
  const how = x.ipv6 ? 'sent as IPv6 fragments' : 'sent as IPv4 fragments (Don’t-Fragment clear)';
  const first = x.firstArrived === x.datagrams ? 'their first fragments arrived, a later one did not' : x.firstArrived === 0 ? 'their first fragments never arrived' : `${x.firstArrived} with their first fragment`;
  return `${x.datagrams} datagram(s)${x.datagramBytes > 0 ? ` of up to ${x.datagramBytes} B` : ''} ${how} into pieces of at most ${x.fragmentBytes} B never completed: ${first}`;
}

const REMADE_WORDS = {
  index: 'a pan’s frame index started again, with no control line about it',
  counter: 'every silent stream’s counter came back at 0, with no control line about it',
  control: 'the control text removed its object and announced the ID again',
  ids: 'the link’s other streams ended with it and came back under new stream IDs, its counter back at 0',
} as const;

function describeClass(c: ClassFacts, units: string): string[] {
  const out: string[] = [];
  for (const st of c.streams.slice(0, 4)) {
    const x = st.expectedPps;
    out.push(
      `${st.id} ${st.src} → ${st.dst}: ${st.packets} pkts, ${st.ratePps.toFixed(1)}/s` +
        (x !== undefined ? ` (expected ≈${x.toFixed(x < 10 ? 1 : 0)}/s)` : '') +
        `, ${st.minSize}–${st.maxSize} B, lost ${st.lost} (${pct(lossFraction(st))})` +
        (st.outOfOrder ? `, ${st.outOfOrder} out of order` : '') +
        (st.duplicates ? `, ${st.duplicates} duplicates` : '') +
        (st.jitterMs !== undefined ? `, jitter ${st.jitterMs.toFixed(1)} ms` : ''),
    );
  }
  for (const st of c.streams) {
    for (const r of st.remade ?? []) {
      out.push(`${st.id} silent for ${secs(r.silentS)} from t=${secs(r.atS)}, then made anew (${REMADE_WORDS[r.mark]}): not counted as loss`);
    }
  }
  if (c.framesComplete + c.framesBroken > 0) out.push(`${c.framesComplete} complete ${units}, ${c.framesBroken} broken`);
  if (c.ipFragments) out.push(incompleteLine(c.ipFragments));
  // What arrived tells more than what was asked for: the request follows the measurements.
  if (c.requested) out.push(`requested: ${c.requested.by.join('; ')}`);
  return out;
}
