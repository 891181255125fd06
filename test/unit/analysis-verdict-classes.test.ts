/**
 * The wrong-verdict classes of issue 11 §2 (1, 2, 3) and its "Also" items, each as the capture a support
 * agent would receive: a scenario built from protocol facts (test/helpers/scenario.ts) plus exactly
 * the packets the lab saw. Expected hops and causes follow from how each capture was built.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import { sniOf } from '../../src/analysis/analyze-file.js';
import type { AnalysisReport, HopId } from '../../src/analysis/model.js';
import type { Endpoint, NetEvent } from '../../src/capture/types.js';
import { meterPacket } from '../helpers/packets.js';
import { CLIENT, RADIO, lanScenario } from '../helpers/scenario.js';
import { clientHello } from '../helpers/tls-hello.js';

function analyze(events: NetEvent[]): AnalysisReport {
  const a = new Analyzer({ sniOf });
  for (const e of [...events].sort((x, y) => x.ts - y.ts)) a.feed(e);
  a.finish();
  return a.report({ file: 'scenario', packets: a.events, bytes: 0, durationS: 0 });
}

const verdict = (r: AnalysisReport): string => (r.verdict.status === 'healthy' ? 'healthy' : `${r.verdict.hop ?? '-'}/${r.verdict.cause ?? '-'}`);
const hop = (r: AnalysisReport, id: HopId): AnalysisReport['hops'][number] => r.hops.find((h) => h.id === id)!;
const lastTs = (ev: NetEvent[]): number => Math.max(...ev.map((e) => e.ts));
const DATA_SRC: Endpoint = { ip: RADIO.ip, port: 4993 };

/** Lines from the radio, timed. */
function fromRadio(ts: number, ...lines: string[]): NetEvent[] {
  return lines.map((l, i) => ({ type: 'tcp-data', ts: ts + i * 0.001, src: RADIO, dst: CLIENT, data: Buffer.from(l + '\n') }));
}

function fromClient(ts: number, ...lines: string[]): NetEvent[] {
  return lines.map((l, i) => ({ type: 'tcp-data', ts: ts + i * 0.001, src: CLIENT, dst: RADIO, data: Buffer.from(l + '\n') }));
}

/**
 * The client hangs up at `at`; the path holds `tailS` of the radio's data, which then lands on a
 * closed port: each datagram answered by the client's kernel with ICMP port-unreachable.
 */
function endsWithLateData(ev: NetEvent[], at: number, tailS: number): NetEvent[] {
  const dst: Endpoint = { ip: CLIENT.ip, port: 4991 };
  const out = ev.filter((e) => e.ts <= at);
  // The meter stream's packet counter goes on where it was: the tail is no loss.
  const metersBefore = out.filter((e) => e.type === 'udp' && e.payload.readUInt32BE(4) === 0x700).length;
  out.push({ type: 'tcp-close', ts: at, src: CLIENT, dst: RADIO }, { type: 'tcp-close', ts: at + 0.002, src: RADIO, dst: CLIENT });
  for (let i = 0; i * 0.036 < tailS; i++) {
    const ts = at + 0.005 + i * 0.036;
    out.push({ type: 'udp', ts, src: DATA_SRC, dst, payload: meterPacket(metersBefore + i, [[24, -12000]]), df: true });
    out.push({ type: 'icmp', ts: ts + 0.0001, from: CLIENT.ip, reason: 'port-unreachable', original: { protocol: 'udp', src: DATA_SRC, dst } });
  }
  return out;
}

test('class 1: ICMP port-unreachable for the radio’s data after the client hung up is no firewall', () => {
  const ev = lanScenario({ seconds: 6, withAudio: true });
  // 150 ms of data in flight at the hang-up (a path with latency): 5 meter datagrams, 5 ICMP answers.
  const r = analyze(endsWithLateData(ev, lastTs(ev) - 0.5, 0.15));
  assert.equal(verdict(r), 'healthy', r.verdict.summary);
  assert.equal(hop(r, 'udp-return').status, 'ok');
});

test('class 1 (contrast): the same ICMP while the session is running is this computer refusing the data', () => {
  const ev = lanScenario({ seconds: 6, withAudio: true, icmpUnreachable: 20 });
  assert.equal(verdict(analyze(ev)), 'udp-return/host-firewall');
});

/**
 * A SmartLink session as a capture on the client shows it when the radio's router forwards TCP but not
 * UDP: TLS to the radio's forwarded port (unreadable), the client's `client udp_register` every 50 ms to
 * the radio's public UDP port, each answered by ICMP port-unreachable from the radio's public address.
 */
function smartlinkNoUdpForward(): NetEvent[] {
  const client: Endpoint = { ip: '192.168.1.20', port: 4991 };
  const tlsClient: Endpoint = { ip: '192.168.1.20', port: 52000 };
  const radioTls: Endpoint = { ip: '203.0.113.9', port: 4994 };
  const radioUdp: Endpoint = { ip: '203.0.113.9', port: 4993 };
  const t0 = 1_700_000_000;
  const ev: NetEvent[] = [
    { type: 'tcp-open', ts: t0, src: tlsClient, dst: radioTls },
    { type: 'tcp-data', ts: t0 + 0.05, src: tlsClient, dst: radioTls, data: clientHello('203.0.113.9') },
    { type: 'tcp-data', ts: t0 + 0.1, src: radioTls, dst: tlsClient, data: Buffer.from([22, 3, 3, 0, 4, 2, 0, 0, 0]) },
  ];
  for (let i = 0; i < 100; i++) {
    const ts = t0 + 1 + i * 0.05;
    ev.push({ type: 'udp', ts, src: client, dst: radioUdp, payload: Buffer.from('client udp_register handle=0x1A2B3C4D') });
    ev.push({ type: 'icmp', ts: ts + 0.03, from: radioUdp.ip, reason: 'port-unreachable', original: { protocol: 'udp', src: client, dst: radioUdp } });
    if (i % 10 === 0) ev.push({ type: 'tcp-data', ts: ts + 0.01, src: radioTls, dst: tlsClient, data: Buffer.from([23, 3, 3, 0, 2, 0, 0]) });
  }
  return ev;
}

test('class 2: the radio’s router refusing the client’s own udp_register is radio-forwarding/router-no-forwarding, not wrong-port', () => {
  const r = analyze(smartlinkNoUdpForward());
  assert.equal(verdict(r), 'radio-forwarding/router-no-forwarding', r.verdict.summary);
});

/** A healthy LAN session, the radio's usual `wan server_connected=0`, and one unrelated HTTPS fetch. */
function lanWithUnrelatedHttps(sni: string): NetEvent[] {
  const ev = lanScenario({ seconds: 6, withAudio: true });
  const t = ev[0]!.ts;
  ev.push(...fromRadio(t + 0.02, 'S3621C7F5|wan server_connected=0 radio_authenticated=0 public_tls_port=-1 public_udp_port=-1 upnp_supported=1'));
  const pc: Endpoint = { ip: CLIENT.ip, port: 51234 };
  const web: Endpoint = { ip: '198.51.100.80', port: 443 };
  ev.push(
    { type: 'tcp-open', ts: t + 2, src: pc, dst: web },
    { type: 'tcp-data', ts: t + 2.05, src: pc, dst: web, data: clientHello(sni) },
    { type: 'tcp-data', ts: t + 2.1, src: web, dst: pc, data: Buffer.from([22, 3, 3, 0, 4, 2, 0, 0, 0]) },
    { type: 'tcp-close', ts: t + 2.5, src: pc, dst: web },
  );
  return ev;
}

test('class 3: unrelated HTTPS beside a healthy LAN session is not SmartLink: healthy, judged as a LAN', () => {
  const r = analyze(lanWithUnrelatedHttps('www.example.org'));
  assert.equal(verdict(r), 'healthy', r.verdict.summary);
  assert.match(hop(r, 'radio-registration').evidence.join(' '), /LAN session/);
  assert.match(hop(r, 'smartlink-server').evidence.join(' '), /LAN session/);
});

test('class 3 (contrast): a LAN session beside SmartSDR’s own login to the SmartLink server stays a LAN session', () => {
  // SmartSDR signs in to smartlink.flexradio.com whenever the user is logged in, also for a LAN radio.
  const r = analyze(lanWithUnrelatedHttps('smartlink.flexradio.com'));
  assert.equal(verdict(r), 'healthy', r.verdict.summary);
  assert.match(hop(r, 'radio-registration').evidence.join(' '), /LAN session/);
});

test('NAT on a LAN path: the radio sees another address than this computer’s and no data arrives → udp-return/nat', () => {
  const ev = lanScenario({ seconds: 6, blockUdp: true });
  const t = ev[0]!.ts;
  ev.push(...fromClient(t + 0.015, 'C900|client ip'), ...fromRadio(t + 0.016, 'R900|0|203.0.113.77'));
  const r = analyze(ev);
  assert.equal(verdict(r), 'udp-return/nat', r.verdict.summary);
  assert.match(hop(r, 'udp-return').evidence.join(' '), /203\.0\.113\.77/);
});

test('NAT (contrast): the same `client ip` answer while the data arrives is no fault', () => {
  const ev = lanScenario({ seconds: 6 });
  const t = ev[0]!.ts;
  ev.push(...fromClient(t + 0.015, 'C900|client ip'), ...fromRadio(t + 0.016, 'R900|0|203.0.113.77'));
  assert.equal(verdict(analyze(ev)), 'healthy');
});

test('a pan create refused with a licence/resource code is radio-refused, with the code, not a network fault', () => {
  const ev = lanScenario({ seconds: 6, blockUdp: true }).filter((e) => !(e.type === 'tcp-data' && /display (pan|waterfall) 0x|^R5\|/m.test(e.data.toString())));
  const create = ev.find((e) => e.type === 'tcp-data' && e.data.toString().startsWith('C5|'))!;
  ev.push(...fromRadio(create.ts + 0.02, 'R5|50000003|'));
  const r = analyze(ev);
  assert.equal(verdict(r), 'stream-setup/radio-refused', r.verdict.summary);
  assert.match(`${r.verdict.summary} ${hop(r, 'stream-setup').evidence.join(' ')}`, /0x50000003/);
  assert.match(r.verdict.summary, /not a network fault/i);
});

test('keepalive: a client that never sent `keepalive enable` is not dropped for a 16 s gap between pings', () => {
  const ev = lanScenario({ seconds: 4 });
  const t = lastTs(ev);
  // One ping 16 s after the last one, answered: above the radio's 15 s, below FlexLib's own 17 s.
  ev.push(...fromClient(t + 16, 'C500|ping ms_timestamp=20000.0'), ...fromRadio(t + 16.004, 'R500|0|'));
  assert.notEqual(hop(analyze(ev), 'control').status, 'blocked');
});

test('keepalive: after `keepalive enable`, no ping for more than the radio’s 15 s (reference §11) → control/ping-timeout', () => {
  const ev = lanScenario({ seconds: 4 });
  const t0 = ev[0]!.ts;
  ev.push(...fromClient(t0 + 0.095, 'C95|keepalive enable'), ...fromRadio(t0 + 0.096, 'R95|0|'));
  const t = lastTs(ev);
  // The radio dropped the client at 15 s (reference §11): the ping 16 s later gets no answer.
  ev.push(...fromClient(t + 16, 'C500|ping ms_timestamp=20000.0'));
  const r = analyze(ev);
  assert.equal(verdict(r), 'control/ping-timeout');
  assert.equal(hop(r, 'control').rule, 'control-pings-stopped');
});

test('ownership: partial `display pan` updates (no client_handle) of another client’s pan ask nothing of this client', () => {
  // This client only watches meters: no panafall of its own, so no FFT or waterfall to it.
  const ev = lanScenario({ seconds: 6 }).filter(
    (e) => !(e.type === 'tcp-data' && /display (pan|panafall|waterfall)|^R5\|/m.test(e.data.toString())) && !(e.type === 'udp' && [0x40000000, 0x42000000].includes(e.payload.readUInt32BE(4))),
  );
  const t = ev[0]!.ts;
  // Another client's pan, seen through partial updates only: the radio sends them to every subscriber.
  ev.push(...fromRadio(t + 1, 'S0|display pan 0x40000001 center=7.100000 xvtr=', 'S0|display pan 0x40000001 rfgain=32 pre=+32dB'));
  const r = analyze(ev);
  // No fault at all; and with meters only, not healthy either: no large packet tested the path (class 9).
  assert.equal(r.verdict.rule, 'verdict-no-large-packets', r.verdict.summary);
  assert.equal(hop(r, 'data:panadapter').status, 'unknown');
});

test('summaries agree with the evidence: one blocked class does not say that no data reaches this computer', () => {
  const ev = lanScenario({ seconds: 6, withAudio: true }).filter((e) => !(e.type === 'udp' && e.payload.readUInt32BE(4) === 0x04000009));
  const r = analyze(ev);
  assert.equal(verdict(r), 'data:audio/udp-blocked-inbound');
  assert.doesNotMatch(r.verdict.summary, /no VITA-49 data/i);
  assert.match(r.verdict.summary, /audio/i);
});

test('summaries agree with the evidence: data that flowed and stopped says so', () => {
  const ev = lanScenario({ seconds: 10 });
  const t0 = ev[0]!.ts;
  const r = analyze(ev.filter((e) => !(e.type === 'udp' && e.ts > t0 + 3)));
  assert.equal(verdict(r), 'udp-return/udp-blocked-inbound');
  assert.match(r.verdict.summary, /stopped/i);
});
