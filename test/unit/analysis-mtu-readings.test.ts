/**
 * MTU readings that must be right and agree with each other: the headline names only the classes that lost
 * their large packets, and packets dropped for their size are never "lost at random". Every expected class
 * and figure comes from the construction — the scenario's packet sizes against the path MTU (IP size =
 * UDP payload + 28) — never from the analysis.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { analyzeInput } from '../../src/analysis/analyze-file.js';
import { Analyzer } from '../../src/analysis/analyzer.js';
import { EventCaptureWriter, SOCKET_RECORDING } from '../../src/capture/event-writer.js';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { NetEvent } from '../../src/capture/types.js';
import { FFT_BINS_PER_PACKET, lanScenario, type ScenarioOptions } from '../helpers/scenario.js';

/** A waterfall line at network_mtu 1500: 4 tiles of 1436 B, then 1316 B (reference §3.2) — 1464 and 1344 B of IP. */
const TILE_IP = 1436 + 28;
const LAST_TILE_IP = 1316 + 28;
/** The FFT packet of `bins` bins: 28 header + 12 sub-header + 2 a bin + 4 trailing bytes (reference §3.1), + 28 of IP/UDP. */
const fftIp = (bins: number): number => 28 + 12 + 2 * bins + 4 + 28;
/** A display-sized pan (the UI demo's 1024 pixels): a full first packet and a 328-bin remainder. */
const WIDE = 1024;

function judge(events: NetEvent[], ended: boolean): AnalysisReport {
  const a = new Analyzer();
  for (const e of [...events].sort((x, y) => x.ts - y.ts)) a.feed(e);
  if (ended) a.finish();
  return a.report({ file: 'scenario', packets: a.events, bytes: 0, durationS: 0 });
}

const analyze = (o: ScenarioOptions): AnalysisReport => judge(lanScenario({ withAudio: true, seconds: 4, ...o }), true);
const hop = (r: AnalysisReport, id: string) => r.hops.find((h) => h.id === id)!;

test('the construction: at MTU 1400 a 50-bin pan fits, the waterfall’s first four tiles do not, its last does; a 1024-bin pan’s first packet does not, its remainder does', () => {
  assert.ok(fftIp(50) <= 1400 && TILE_IP > 1400 && LAST_TILE_IP <= 1400);
  assert.ok(fftIp(FFT_BINS_PER_PACKET) > 1400 && fftIp(WIDE - FFT_BINS_PER_PACKET) <= 1400);
});

test('MTU 1400 with a 50-bin pan: the headline names the waterfall only — the panadapter’s packets fit and its row is OK', () => {
  const r = analyze({ mtu: 1400 });
  assert.equal(hop(r, 'data:panadapter').status, 'ok');
  assert.equal(r.verdict.hop, 'data:waterfall');
  assert.equal(r.verdict.cause, 'mtu');
  assert.match(r.verdict.summary, /the large ones of the waterfall \(/, r.verdict.summary);
  assert.doesNotMatch(r.verdict.summary, /panadapter\/waterfall|large ones of the panadapter/, r.verdict.summary);
});

test('MTU 1340: every waterfall tile is too large (the waterfall never arrives), the pan fits — the headline names the waterfall only', () => {
  assert.ok(LAST_TILE_IP > 1340 && fftIp(50) <= 1340);
  const r = analyze({ mtu: 1340 });
  assert.equal(hop(r, 'data:panadapter').status, 'ok');
  assert.equal(r.verdict.rule, 'data-missing-large');
  assert.match(r.verdict.summary, /the large ones of the waterfall \(/, r.verdict.summary);
  assert.doesNotMatch(r.verdict.summary, /panadapter\/waterfall|large ones of the panadapter/, r.verdict.summary);
});

test('MTU 1400 with a 1024-bin pan: both the panadapter and the waterfall lose their large packets, and the headline names both', () => {
  const r = analyze({ mtu: 1400, panBins: WIDE });
  assert.equal(hop(r, 'data:panadapter').cause, 'mtu');
  assert.equal(hop(r, 'data:waterfall').cause, 'mtu');
  assert.match(r.verdict.summary, /the large ones of the panadapter, waterfall \(/, r.verdict.summary);
});

test('judged live 0.45 s into a 1024-bin pan at MTU 1400 (the UI demo’s first moments): packets dropped for their size are not "lost at random"', () => {
  // Only packets too large for the path are dropped: meters and audio lose none, so there is no second fault.
  const events = lanScenario({ withAudio: true, seconds: 2, mtu: 1400, panBins: WIDE });
  const dataStart = events.find((e) => e.type === 'udp')!.ts;
  const r = judge(events.filter((e) => e.ts <= dataStart + 0.45), false);
  assert.equal(r.verdict.cause, 'mtu', r.verdict.summary);
  assert.doesNotMatch(r.verdict.summary, /at random/, r.verdict.summary);
  // The waterfall has lost 4 of every 5 tiles (the full-size ones) so far: its row is not OK, nor random loss.
  const wf = hop(r, 'data:waterfall');
  assert.ok(wf.status !== 'ok' && wf.cause !== 'random-loss', `${wf.status} ${wf.rule}: ${wf.evidence.join(' | ')}`);
});

test('the same at MTU 1400 with 5 % random loss besides: the headline keeps the second fault', () => {
  const r = analyze({ mtu: 1400, panBins: WIDE, loss: 0.05, seconds: 6 });
  assert.equal(r.verdict.cause, 'mtu', r.verdict.summary);
  assert.match(r.verdict.summary, /besides, \d+(\.\d)? % of the other classes’ packets are lost at random/, r.verdict.summary);
});

/** The events with the IPv4 Don't-Fragment bit as a path that clears it delivers them (`df` false), or as a live socket sees them (no IP header: absent). */
const withDf = (events: NetEvent[], df: false | undefined): NetEvent[] =>
  events.map((e) => {
    if (e.type !== 'udp') return e;
    const { df: _kept, ...rest } = e;
    return df === undefined ? rest : { ...rest, df };
  });
/** UDP payloads of LARGE_PACKET_BYTES (1000) or more among the events: the large packets that reach the capture. */
const largeArriving = (events: NetEvent[]): number => events.filter((e) => e.type === 'udp' && e.payload.length >= 1000).length;

test('a path that clears Don’t-Fragment and loses every fragment of what it cuts (MTU 1400): not "Don’t-Fragment set" — the large packets that arrive show the bit gone', () => {
  // The waterfall's 1344-B last tiles fit and arrive, without DF; its 1464-B tiles are cut and every piece lost.
  const events = withDf(lanScenario({ withAudio: true, seconds: 4, mtu: 1400 }), false);
  const large = largeArriving(events);
  assert.ok(large > 0);
  const r = judge(events, true);
  assert.equal(r.verdict.cause, 'mtu');
  assert.equal(r.verdict.hop, 'data:waterfall');
  assert.doesNotMatch(r.verdict.summary, /Don[’']t-Fragment set/, r.verdict.summary);
  assert.match(r.verdict.summary, new RegExp(`not one of the ${large} large packets that arrive carries the radio’s Don’t-Fragment bit: a hop clears it, so the larger ones are fragmented`), r.verdict.summary);
  assert.ok(hop(r, 'data:waterfall').evidence.includes(`${large} datagram(s) of 1000 B or more arrived, 0 of them with Don’t-Fragment set (the radio sets it on all its data, reference §1.6)`));
});

test('FlexPath’s own socket recording (no IP header seen, DF written clear) makes no Don’t-Fragment claim; the same frames written by another program read as cleared', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flexpath-df-recording-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  // As a live diagnosis feeds its recording: the datagrams as its socket got them, no DF bit known.
  const events = withDf(lanScenario({ withAudio: true, seconds: 4, mtu: 1400 }), undefined);
  const large = largeArriving(events);
  assert.ok(large > 0);
  const summaryOf = async (application: string): Promise<string> => {
    const path = join(dir, `${application.replace(/\W+/g, '-')}.pcapng`);
    const w = new EventCaptureWriter(path, application);
    for (const e of events) w.write(e);
    await w.close();
    const r = await analyzeInput({ kind: 'file', name: path, path });
    assert.equal(r.verdict.cause, 'mtu', r.verdict.summary);
    return r.verdict.summary;
  };
  const ours = await summaryOf(SOCKET_RECORDING);
  assert.doesNotMatch(ours, /Don[’']t-Fragment/, ours);
  const theirs = await summaryOf('tcpdump');
  assert.match(theirs, new RegExp(`not one of the ${large} large packets that arrive carries the radio’s Don’t-Fragment bit`), theirs);
});

test('the same path at MTU 1340 (no large packet arrives; the small ones without DF): the headline claims no Don’t-Fragment bit either way', () => {
  const events = withDf(lanScenario({ withAudio: true, seconds: 4, mtu: 1340 }), false);
  assert.equal(largeArriving(events), 0);
  const r = judge(events, true);
  assert.equal(r.verdict.rule, 'data-missing-large');
  assert.doesNotMatch(r.verdict.summary, /Don[’']t-Fragment/, r.verdict.summary);
  assert.doesNotMatch(hop(r, 'data:waterfall').evidence[0] ?? '', /Don[’']t-Fragment/);
});

test('a DF black hole keeps "Don’t-Fragment set": at MTU 1400 the large packets that arrive carry it; at 1340, the small ones', () => {
  const at1400 = lanScenario({ withAudio: true, seconds: 4, mtu: 1400 });
  const r = judge(at1400, true);
  assert.match(r.verdict.summary, /the large ones of the waterfall \(~1\.4 kB, Don’t-Fragment set\) are dropped/, r.verdict.summary);
  const large = largeArriving(at1400);
  assert.ok(hop(r, 'data:waterfall').evidence.includes(`${large} datagram(s) of 1000 B or more arrived, ${large} of them with Don’t-Fragment set (the radio sets it on all its data, reference §1.6)`));
  const r1340 = judge(lanScenario({ withAudio: true, seconds: 4, mtu: 1340 }), true);
  assert.match(r1340.verdict.summary, /Don’t-Fragment set/, r1340.verdict.summary);
  assert.match(hop(r1340, 'data:waterfall').evidence[0] ?? '', /with Don[’']t-Fragment set/);
});

test('judged from a source that shows no IP header (a live socket): the MTU headline claims no Don’t-Fragment bit', () => {
  const r = judge(withDf(lanScenario({ withAudio: true, seconds: 4, mtu: 1400 }), undefined), true);
  assert.equal(r.verdict.cause, 'mtu');
  assert.doesNotMatch(r.verdict.summary, /Don[’']t-Fragment/, r.verdict.summary);
});

// ─── the same fault on other networks: each expectation from the packet sizes against the path MTU ───

test('PPPoE (MTU 1492): every datagram of the radio at network_mtu 1500 fits (1464 B at most) — healthy, no MTU reading', () => {
  assert.ok(TILE_IP <= 1492);
  const r = analyze({ mtu: 1492, panBins: WIDE });
  assert.equal(r.verdict.status, 'healthy', r.verdict.summary);
});

test('WireGuard (MTU 1420, wg-quick’s default): the 1464-B tiles are dropped, the 1344-B last tiles and a 50-bin pan fit — the waterfall only, DF set', () => {
  assert.ok(TILE_IP > 1420 && LAST_TILE_IP <= 1420 && fftIp(50) <= 1420);
  const r = analyze({ mtu: 1420 });
  assert.equal(r.verdict.hop, 'data:waterfall');
  assert.equal(r.verdict.cause, 'mtu');
  assert.equal(hop(r, 'data:panadapter').status, 'ok');
  assert.match(r.verdict.summary, /^Small packets \(meter, panadapter, audio\) arrive but the large ones of the waterfall \(~1\.4 kB, Don’t-Fragment set\) are dropped/, r.verdict.summary);
});

test('an IPv6 path at 1280 (RFC 8200 §5: no router fragments): every tile (1484 and 1364 B with the 48-B IPv6+UDP headers) dropped — the waterfall, no DF bit named', () => {
  const V6 = { client: { ip: '2001:db8::20', port: 53344 }, radio: { ip: '2001:db8::27', port: 4992 } };
  const IPV6_UDP = 48;
  assert.ok(1316 + IPV6_UDP > 1280 && 144 + IPV6_UDP <= 1280);
  const events = lanScenario({ withAudio: true, seconds: 4, ...V6 }).filter((e) => e.type !== 'udp' || e.payload.length + IPV6_UDP <= 1280);
  const r = judge(events, true);
  assert.equal(r.verdict.hop, 'data:waterfall');
  assert.equal(r.verdict.rule, 'data-missing-large');
  assert.doesNotMatch(r.verdict.summary, /Don[’']t-Fragment/, r.verdict.summary);
  assert.match(r.verdict.summary, /the large ones of the waterfall \(~1\.4 kB\) are dropped: the path MTU is too small \(IPv6: routers never fragment/, r.verdict.summary);
});

test('a router that answers ICMP "fragmentation needed" (next-hop MTU 1400), seen in the capture: the same verdict, with the router and its MTU in the evidence', () => {
  const r = analyze({ mtu: 1400, icmpFragNeeded: 3 });
  assert.equal(r.verdict.hop, 'data:waterfall');
  assert.equal(r.verdict.cause, 'mtu');
  assert.match(r.verdict.summary, /the large ones of the waterfall \(/);
  assert.ok(hop(r, 'data:waterfall').evidence.some((l) => /^ICMP fragmentation needed from 10\.8\.0\.1: next-hop MTU 1400 for /.test(l)), hop(r, 'data:waterfall').evidence.join('\n'));
  // Without the ICMP (a black hole) no such line, the same verdict.
  const hole = analyze({ mtu: 1400 });
  assert.equal(hole.verdict.rule, r.verdict.rule);
  assert.ok(!hop(hole, 'data:waterfall').evidence.some((l) => l.startsWith('ICMP fragmentation needed')));
});
