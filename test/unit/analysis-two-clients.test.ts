/**
 * Two clients on one radio (a Maestro beside SmartSDR; reference §5.8: each GUI client gets its own meters,
 * pans and streams at the UDP port it announced). A capture that holds both sessions (a mirror port, the
 * radio's side, or both programs on one computer) is judged for the primary session: the other client's
 * loss is that client's path, not this one's. Client B is the LAN scenario with its handle, stream ids
 * and address rewritten (scenario.ts secondClient), its data lossy or not by construction.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { Endpoint, NetEvent } from '../../src/capture/types.js';
import { CLIENT, type ScenarioOptions, lanScenario, secondClient } from '../helpers/scenario.js';

/** The LAN scenario as a second client at `client`, 0.3 s after the first (scenario.ts secondClient). */
const clientB = (client: Endpoint, o: ScenarioOptions): NetEvent[] => secondClient({ seconds: 8, withAudio: true, client, ...o });

function analyze(events: NetEvent[]): AnalysisReport {
  const a = new Analyzer();
  for (const e of [...events].sort((x, y) => x.ts - y.ts)) a.feed(e);
  a.finish();
  return a.report({ file: 'scenario', packets: a.events, bytes: 0, durationS: 0 });
}

const lostTo = (r: AnalysisReport, ip: string): number => r.streams.filter((s) => s.dst.startsWith(`${ip}:`)).reduce((n, s) => n + s.lost, 0);

test('client B on another computer loses 5 % of its data, client A none: A’s report is healthy, B’s loss stays in B’s streams (fails before: data-loss)', () => {
  const b = { ip: '192.168.10.31', port: 50123 };
  const r = analyze([...lanScenario({ seconds: 8, withAudio: true }), ...clientB(b, { loss: 0.05, seed: 3 })]);
  assert.match(r.hops.find((h) => h.id === 'control')!.evidence[0]!, /handle 0x3621C7F5/);
  assert.equal(r.verdict.status, 'healthy', r.verdict.summary);
  // Both clients' streams are listed; B's ≈ 3000 datagrams at 5 % lost some (construction), A's none.
  assert.ok(lostTo(r, b.ip) > 0);
  assert.equal(lostTo(r, CLIENT.ip), 0);
  for (const h of r.hops.filter((x) => x.id.startsWith('data:') && x.status === 'ok')) assert.ok(!h.evidence.some((l) => l.includes(b.ip)), `${h.id}: ${h.evidence.join(' | ')}`);
});

test('the mirror: client A loses 5 %, client B none: A’s report is random loss', () => {
  const r = analyze([...lanScenario({ seconds: 8, withAudio: true, loss: 0.05, seed: 3 }), ...clientB({ ip: '192.168.10.31', port: 50123 }, {})]);
  assert.equal(r.verdict.rule, 'data-loss', r.verdict.summary);
});

test('both clients on one computer (one address, each its own client udpport): B’s lossy port is not A’s path', () => {
  const b = { ip: CLIENT.ip, port: 50123 };
  const r = analyze([...lanScenario({ seconds: 8, withAudio: true }), ...clientB(b, { udpport: 4995, loss: 0.05, seed: 3 })]);
  assert.equal(r.verdict.status, 'healthy', r.verdict.summary);
  assert.ok(r.streams.some((s) => s.dst === `${CLIENT.ip}:4995` && s.lost > 0));
  assert.match(r.hops.find((h) => h.id === 'udp-return')!.evidence[0]!, /to port\(s\) 4991$/);
});
