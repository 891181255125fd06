/**
 * Lab captures: the MTU fault on networks that fragment instead of dropping. A tunnel whose end fragments
 * what does not fit (IPv4 with Don't-Fragment clear, RFC 791 §2.3) in front of a firewall that passes
 * first fragments only (or a link that loses the others) loses every large datagram, yet the capture holds
 * their first fragments: the headline must say so, not "Don't-Fragment set". IPv6 has no DF bit (RFC 8200
 * §5: routers never fragment): its headline must not name one. Expected values come from the construction:
 * the frames cut, their sizes and the fragment size chosen.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeEvents, analyzeFile, rewriteFrames, snapCapture, writeEventsCapture } from '../helpers/capture-files.js';
import { ipv4Fragments, ipv6Fragments } from '../helpers/fragments.js';
import { lanScenario } from '../helpers/scenario.js';
import type { ScenarioOptions } from '../helpers/scenario.js';
import type { AnalysisReport } from '../../src/analysis/model.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-lab-frag-mtu-'));
const ETHERNET = 14;
const IPV4_HEADER = 20;
const IPV6_HEADERS = 40 + 8;
const V6 = { client: { ip: '2001:db8::20', port: 53344 }, radio: { ip: '2001:db8::27', port: 4992 } };

interface Cut {
  /** Datagrams fragmented, and the largest one's IP length. */
  datagrams: number;
  largest: number;
  /** Fragment frames written (those `keep` chose), and of them those longer than 96 bytes. */
  fragments: number;
  fragmentsOver96: number;
}

/**
 * The scenario's capture with every frame over `linkMtu` bytes of IP cut into `piece`-byte fragments, of
 * which `keep` chooses what reaches the capture.
 */
async function fragmented(name: string, o: ScenarioOptions, linkMtu: number, piece: number, keep: (pieces: Buffer[]) => Buffer[]): Promise<{ r: AnalysisReport; cut: Cut; file: string }> {
  const plain = join(dir, `${name}-plain.pcapng`);
  await writeEventsCapture(plain, lanScenario({ withAudio: true, seconds: 4, ...o }));
  const file = join(dir, `${name}.pcapng`);
  const cut: Cut = { datagrams: 0, largest: 0, fragments: 0, fragmentsOver96: 0 };
  let id = 1;
  await rewriteFrames(plain, file, (frame) => {
    if (frame.length <= ETHERNET + linkMtu) return [frame];
    cut.datagrams++;
    cut.largest = Math.max(cut.largest, frame.length - ETHERNET);
    const kept = keep(o.client ? ipv6Fragments(frame, piece, id++) : ipv4Fragments(frame, piece));
    cut.fragments += kept.length;
    cut.fragmentsOver96 += kept.filter((f) => f.length > 96).length;
    return kept;
  }, 1000n);
  return { r: await analyzeFile(file), cut, file };
}

const hop = (r: AnalysisReport, id: string): string[] => r.hops.find((h) => h.id === id)?.evidence ?? [];

test('a 1380-byte VPN in front of a firewall that passes first fragments only: blocked mtu, the headline says the fragments arrived, not "Don’t-Fragment set"', async () => {
  const { r, cut } = await fragmented('first-only', {}, 1380, 1352, (p) => p.slice(0, 1));
  assert.equal(r.verdict.status, 'blocked', r.verdict.summary);
  assert.equal(r.verdict.hop, 'data:waterfall');
  assert.equal(r.verdict.cause, 'mtu');
  assert.doesNotMatch(r.verdict.summary, /Don’t-Fragment set/);
  assert.match(r.verdict.summary, new RegExp(`^The radio’s waterfall datagrams \\(${cut.largest} B\\) are fragmented on the way and never arrive whole: their first fragments arrive, later ones do not`));
  assert.ok(
    hop(r, 'data:waterfall').includes(
      `${cut.datagrams} datagram(s) of up to ${cut.largest} B sent as IPv4 fragments (Don’t-Fragment clear) into pieces of at most ${IPV4_HEADER + 1352} B never completed: their first fragments arrived, a later one did not`,
    ),
    hop(r, 'data:waterfall').join('\n'),
  );
  assert.ok(r.verdict.advice.some((a) => /reduce MTU/.test(a)), 'the advice still lowers the radio’s packet size');
});

test('a 1280-byte tunnel passing first fragments only: every waterfall tile lost, the headline says fragmented, not "Don’t-Fragment set"', async () => {
  const { r, cut } = await fragmented('tunnel-1280', {}, 1280, 1256, (p) => p.slice(0, 1));
  assert.equal(r.verdict.status, 'blocked', r.verdict.summary);
  assert.equal(r.verdict.hop, 'data:waterfall');
  assert.equal(r.verdict.cause, 'mtu');
  assert.doesNotMatch(r.verdict.summary, /Don’t-Fragment/);
  assert.match(r.verdict.summary, new RegExp(`^The radio’s waterfall datagrams \\(${cut.largest} B\\) are fragmented on the way`));
  // Every tile (1436- and 1316-byte payloads) is over 1280 B of IP: the waterfall's datagrams are all cut.
  assert.equal(hop(r, 'data:waterfall')[0], `${cut.datagrams} of its datagrams of ${cut.largest} B arrived only as IP fragments (of at most ${IPV4_HEADER + 1256} B), never whole, while smaller classes arrive`);
});

test('a path that loses first fragments, later ones arriving: the headline says which fragments arrive', async () => {
  const { r, cut } = await fragmented('later-only', {}, 1380, 1352, (p) => p.slice(1));
  assert.equal(r.verdict.status, 'blocked', r.verdict.summary);
  assert.equal(r.verdict.cause, 'mtu');
  assert.match(r.verdict.summary, new RegExp(`^The radio’s large datagrams \\(${cut.largest} B\\) are fragmented on the way and never arrive whole: later fragments arrive, their first ones do not`));
  assert.ok(
    hop(r, 'udp-return').includes(
      `${cut.datagrams} datagram(s) of up to ${cut.largest} B sent as IPv4 fragments (Don’t-Fragment clear) into pieces of at most ${cut.largest - 1352} B never completed: their first fragments never arrived (no fragment naming the stream arrived)`,
    ),
    hop(r, 'udp-return').join('\n'),
  );
});

test('IPv6 sender fragments to 1280, first fragments only arrive: the headline says IPv6 fragments', async () => {
  const { r, cut } = await fragmented('v6-first-only', V6, 1280, 1232, (p) => p.slice(0, 1));
  assert.equal(r.verdict.status, 'blocked', r.verdict.summary);
  assert.equal(r.verdict.cause, 'mtu');
  assert.doesNotMatch(r.verdict.summary, /Don’t-Fragment/);
  assert.ok(
    hop(r, 'data:waterfall').some((l) => l.startsWith(`${cut.datagrams} datagram(s) of up to ${cut.largest} B sent as IPv6 fragments into pieces of at most ${IPV6_HEADERS + 1232} B never completed`)),
    hop(r, 'data:waterfall').join('\n'),
  );
});

test('an IPv6 MTU black hole names no Don’t-Fragment bit (IPv6 has none); the same hole on IPv4 does (the radio sets it)', async () => {
  const v6 = await analyzeEvents(join(dir, 'v6-hole.pcapng'), lanScenario({ withAudio: true, seconds: 4, mtu: 1400, ...V6 }));
  assert.equal(v6.verdict.status, 'blocked', v6.verdict.summary);
  assert.equal(v6.verdict.cause, 'mtu');
  assert.doesNotMatch(v6.verdict.summary, /Don’t-Fragment/);
  assert.match(v6.verdict.summary, /IPv6: routers never fragment/);
  const v4 = await analyzeEvents(join(dir, 'v4-hole.pcapng'), lanScenario({ withAudio: true, seconds: 4, mtu: 1400 }));
  assert.equal(v4.verdict.cause, 'mtu');
  assert.match(v4.verdict.summary, /Don’t-Fragment set/);
});

test('a 1380-byte VPN that loses one fragmented datagram’s tail in three: blocked mtu, every lost packet a lost fragment (was "loss grows with rate: the link cannot carry the data rate")', async () => {
  let n = 0;
  const { r, cut } = await fragmented('one-in-three', {}, 1380, 1352, (p) => (n++ % 3 === 0 ? p.slice(0, 1) : p));
  const lost = Math.ceil(cut.datagrams / 3);
  assert.equal(r.verdict.status, 'blocked', r.verdict.summary);
  assert.equal(r.verdict.hop, 'data:waterfall');
  assert.equal(r.verdict.cause, 'mtu');
  assert.equal(r.verdict.rule, 'data-fragments-lost');
  assert.match(r.verdict.summary, new RegExp(`^The radio’s waterfall datagrams \\(${cut.largest} B\\) are fragmented on the way \\(pieces of at most ${IPV4_HEADER + 1352} B\\) and ${lost} of them lost a fragment`));
  assert.ok(r.verdict.advice.some((a) => /reduce MTU/.test(a)), r.verdict.advice.join(' | '));
  const wf = r.streams.find((s) => Number(s.id) === 0x42000000);
  assert.ok(wf !== undefined && wf.lost <= lost, `the waterfall's counted loss (${wf?.lost}) is no more than the datagrams that lost a fragment (${lost})`);
});

test('the 1380-byte VPN’s fragments captured with a 96-byte snapshot length: inconclusive, and the warning says the fragments were cut by the snapshot length, not invalid', async () => {
  const { cut, file } = await fragmented('snap96-source', {}, 1380, 1352, (p) => p);
  const snapped = join(dir, 'fragments-snap96.pcap');
  await snapCapture(file, snapped, 96);
  const r = await analyzeFile(snapped);
  assert.equal(r.verdict.status, 'inconclusive', r.verdict.summary);
  assert.equal(r.verdict.rule, 'verdict-capture-truncated');
  assert.ok(!r.warnings.some((w) => /invalid/.test(w)), r.warnings.join('\n'));
  assert.ok(r.warnings.includes(`${cut.fragmentsOver96} IP fragment(s) cut short by the capture's snapshot length (96 B): their datagrams cannot be reassembled`), r.warnings.join('\n'));
});
