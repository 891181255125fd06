/**
 * Lab captures: a VPN of MTU 1380 whose tunnel end fragments what does not fit (RFC 791 §2.3): the
 * waterfall's 1464-byte datagrams arrive as two IPv4 fragments each, everything else whole. A path that
 * loses one fragment in twenty of those loses only the fragmented datagrams — loss confined to the
 * waterfall, not "a steady rate on every stream, whatever their size". Expected values come from the
 * construction.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeFile, rewriteFrames, writeEventsCapture } from '../helpers/capture-files.js';
import { ipv4Fragments } from '../helpers/fragments.js';
import { lanScenario, sentPerStream } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-lab-frag-'));
/** Ethernet header + an IPv4 datagram that fits a 1380-byte tunnel. */
const FITS = 14 + 1380;
const WATERFALL = 0x42000000;

test('VPN MTU 1380, one waterfall fragment in 20 lost: degraded at data:waterfall, the headline names the waterfall alone (was "every stream, whatever their size")', async () => {
  const events = lanScenario({ withAudio: true, seconds: 4 });
  const plain = join(dir, 'plain.pcapng');
  await writeEventsCapture(plain, events);
  const file = join(dir, 'vpn-1380.pcapng');
  let fragmented = 0;
  await rewriteFrames(plain, file, (frame) => {
    if (frame.length <= FITS) return [frame];
    const pieces = ipv4Fragments(frame, 1352);
    return fragmented++ % 20 === 0 ? pieces.slice(0, 1) : pieces;
  }, 1000n);
  const lostDatagrams = Math.ceil(fragmented / 20);
  const r = await analyzeFile(file);
  const sent = sentPerStream(events);
  for (const s of r.streams) {
    if (Number(s.id) === WATERFALL) {
      assert.equal(s.packets, sent.get(WATERFALL)! - lostDatagrams, 'waterfall: the fragmented datagrams that lost a piece');
    } else {
      assert.equal(s.packets, sent.get(Number(s.id)), `${s.id}: every packet`);
      assert.equal(s.lost, 0, `${s.id}: none lost`);
    }
  }
  assert.equal(r.verdict.status, 'degraded', r.verdict.summary);
  assert.equal(r.verdict.hop, 'data:waterfall');
  assert.match(r.verdict.summary, /^Packets of the waterfall are lost .* while the meters, panadapter \(FFT\), audio arrive whole/);
  assert.ok(r.warnings.some((w) => new RegExp(`^${lostDatagrams} fragmented IP datagram\\(s\\) never completed`).test(w)), r.warnings.join('\n'));
});
