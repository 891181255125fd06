/**
 * Issue 11 class 7: a connect to the radio that gets ICMP destination unreachable (host or network), or
 * the kernel's EHOSTUNREACH / ENETUNREACH for it, is "unreachable" — its own cause — and not "refused"
 * (a TCP reset) or a control channel that never answers. The ICMP messages are assembled byte by byte
 * here from RFC 792 (type 3; code 0 net, 1 host unreachable; the quoted IP header plus 8 bytes), not by
 * the project's capture builder.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import { unreachableFromErrno } from '../../src/analysis/facts.js';
import type { AnalysisReport } from '../../src/analysis/model.js';
import { buildTcp, internetChecksum } from '../../src/capture/build.js';
import { Dissector } from '../../src/capture/dissect.js';
import { LINKTYPE } from '../../src/capture/link.js';

const CLIENT = { ip: '192.168.10.20', port: 53344 };
const RADIO = { ip: '10.9.0.27', port: 4992 };
const ROUTER = '192.168.10.1';
const T0 = 1_700_000_000;

const ipBytes = (ip: string): number[] => ip.split('.').map(Number);

/** RFC 792 destination unreachable from `from` about the frame `original` (Ethernet + IPv4), assembled by hand. */
function icmpUnreachable(from: string, code: number, original: Buffer): Buffer {
  const quotedIp = original.subarray(14);
  const quote = quotedIp.subarray(0, 20 + 8);
  const icmp = Buffer.concat([Buffer.from([3, code, 0, 0, 0, 0, 0, 0]), quote]);
  icmp.writeUInt16BE(internetChecksum(icmp), 2);
  const ip = Buffer.from([0x45, 0, 0, 20 + icmp.length, 0, 0, 0, 0, 64, 1, 0, 0, ...ipBytes(from), ...quotedIp.subarray(12, 16)]);
  ip.writeUInt16BE(internetChecksum(ip), 10);
  const eth = Buffer.from([0x02, 0, 0, 0, 0, 0x20, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00]);
  return Buffer.concat([eth, ip, icmp]);
}

function analyzeFrames(frames: Buffer[]): AnalysisReport {
  const a = new Analyzer();
  const d = new Dissector((e) => a.feed(e));
  frames.forEach((f, i) => d.frame(LINKTYPE.ETHERNET, T0 + i, f, 0, f.length));
  d.finish();
  a.finish();
  return a.report({ file: 'hand-made', packets: frames.length, bytes: 0, durationS: frames.length }, T0 + frames.length);
}

const syn = (): Buffer => buildTcp({ src: CLIENT, dst: RADIO, seq: 7000, flags: { syn: true } });
const control = (r: AnalysisReport) => r.hops.find((h) => h.id === 'control')!;

test('ICMP host unreachable (type 3 code 1) for the SYN to the radio: control blocked, cause unreachable, the router named', () => {
  const s = syn();
  const r = analyzeFrames([s, icmpUnreachable(ROUTER, 1, s), syn()]);
  assert.deepEqual([r.verdict.status, r.verdict.hop, r.verdict.cause, r.verdict.rule], ['blocked', 'control', 'unreachable', 'control-unreachable']);
  assert.equal(control(r).evidence[0], `${CLIENT.ip}:${CLIENT.port} → ${RADIO.ip}:${RADIO.port}: unreachable — no host answers at that address (host unreachable), said by ICMP from ${ROUTER}`);
  assert.match(r.verdict.summary, /cannot be reached/);
});

test('ICMP network unreachable (code 0): no route to that network', () => {
  const s = syn();
  const r = analyzeFrames([s, icmpUnreachable(ROUTER, 0, s)]);
  assert.equal(r.verdict.cause, 'unreachable');
  assert.match(control(r).evidence[0] ?? '', /no route to that network \(network unreachable\), said by ICMP from 192\.168\.10\.1$/);
});

test('distinct answers: a reset is "refused", silence is "no answer", an ICMP about another connection is neither', () => {
  const s = syn();
  const rst = buildTcp({ src: RADIO, dst: CLIENT, seq: 0, ack: 7001, flags: { rst: true, ack: true } });
  const refused = analyzeFrames([s, rst]);
  assert.equal(refused.verdict.cause, 'control-timeout');
  assert.match(control(refused).evidence[0] ?? '', /^refused — the radio's address answered the connection with a TCP reset/);
  const silent = analyzeFrames([s, syn(), syn()]);
  assert.equal(silent.verdict.cause, 'control-timeout');
  assert.equal(control(silent).evidence[0], '0 B sent, the radio never answered');
  // The router's ICMP quotes a SYN to another host: it says nothing about this connection.
  const other = buildTcp({ src: CLIENT, dst: { ip: '10.9.0.99', port: 4992 }, seq: 1, flags: { syn: true } });
  assert.equal(analyzeFrames([s, icmpUnreachable(ROUTER, 1, other)]).verdict.cause, 'control-timeout');
});

test('live: the kernel’s errno for a failed connect maps to unreachable only for host/net unreachable', () => {
  assert.equal(unreachableFromErrno('EHOSTUNREACH'), 'host-unreachable');
  assert.equal(unreachableFromErrno('ENETUNREACH'), 'net-unreachable');
  for (const code of ['ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET', 'EACCES']) assert.equal(unreachableFromErrno(code), undefined, code);
  // A live diagnosis records the attempt (no local address yet) and the connect's error code.
  const a = new Analyzer();
  a.feed({ type: 'tcp-open', ts: T0, src: { ip: '0.0.0.0', port: 0 }, dst: RADIO });
  a.control.connectError(T0, 'EHOSTUNREACH', RADIO);
  const r = a.report({ file: 'live', packets: 1, bytes: 0, durationS: 1 }, T0 + 1);
  assert.deepEqual([r.verdict.hop, r.verdict.cause], ['control', 'unreachable']);
  assert.match(control(r).evidence[0] ?? '', /unreachable — no host answers at that address \(host unreachable\), said by this computer's kernel \(EHOSTUNREACH\)$/);
  const refusedLive = new Analyzer();
  refusedLive.feed({ type: 'tcp-open', ts: T0, src: { ip: '0.0.0.0', port: 0 }, dst: RADIO });
  refusedLive.control.connectError(T0, 'ECONNREFUSED', RADIO);
  assert.notEqual(refusedLive.report({ file: 'live', packets: 1, bytes: 0, durationS: 1 }, T0 + 1).verdict.cause, 'unreachable');
});
