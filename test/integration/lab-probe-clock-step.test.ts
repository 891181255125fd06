/**
 * Lab probe: the capturing machine's clock is stepped back in the middle of a healthy session (NTP, or
 * two captures merged out of order): every frame after the step carries a timestamp seconds earlier.
 * The session itself did not change, so the verdict and the per-stream counts are the whole capture's,
 * and the report says the clock went back. Expected figures come from the scenario's construction.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeCaptureFile } from '../../src/analysis/analyze-file.js';
import { readCaptureRecords } from '../../src/capture/reader.js';
import { PcapngWriter } from '../../src/capture/writer.js';
import { writeEventsCapture } from '../helpers/capture-files.js';
import { lanScenario } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-lab-clock-'));
const SECONDS = 6;

/** The capture with every timestamp from frame `at` on moved by `stepS` seconds. */
async function stepped(whole: string, stepS: number, name: string): Promise<string> {
  const frames: Array<{ ts: bigint; frame: Buffer }> = [];
  await readCaptureRecords(whole, {
    record: (_link, sec, nsec, buf, start, caplen) => frames.push({ ts: BigInt(sec) * 1_000_000_000n + BigInt(nsec), frame: Buffer.from(buf.subarray(start, start + caplen)) }),
  });
  const file = join(dir, name);
  const w = new PcapngWriter(file);
  const at = Math.floor(frames.length / 2);
  const step = BigInt(Math.round(stepS * 1e9));
  frames.forEach((f, i) => w.write(i >= at ? f.ts + step : f.ts, f.frame));
  await w.close();
  return file;
}

test('the clock stepped back 3 s and 10 s mid-session: healthy, every stream counted whole, the step named', async () => {
  const events = lanScenario({ withAudio: true, seconds: SECONDS });
  const perStream = new Map<number, number>();
  for (const e of events) if (e.type === 'udp') perStream.set(e.payload.readUInt32BE(4), (perStream.get(e.payload.readUInt32BE(4)) ?? 0) + 1);
  const whole = join(dir, 'whole.pcapng');
  await writeEventsCapture(whole, events);
  const base = await analyzeCaptureFile(whole);
  assert.equal(base.verdict.status, 'healthy', base.verdict.summary);
  for (const stepS of [-3, -10]) {
    const r = await analyzeCaptureFile(await stepped(whole, stepS, `back${-stepS}.pcapng`));
    assert.equal(r.verdict.status, 'healthy', `${stepS} s: ${r.verdict.summary}`);
    for (const s of r.streams) {
      assert.equal(s.packets, perStream.get(Number(s.id)), `${stepS} s, ${s.id}: packets`);
      assert.equal(s.lost, 0, `${stepS} s, ${s.id}: lost`);
    }
    // Rates from the construction (scenario.ts): audio every 10 ms, FFT frames every 40 ms, meters every 36 ms.
    const rate = (kind: string): number | undefined => r.streams.find((s) => s.kind === kind)?.ratePps;
    for (const [kind, pps] of [['audio', 100], ['panadapter', 25], ['meter', 1000 / 36]] as const) {
      assert.ok(Math.abs((rate(kind) ?? 0) / pps - 1) < 0.03, `${stepS} s, ${kind}: ${rate(kind)}/s, sent at ${pps.toFixed(1)}/s`);
    }
    // The frames after the step go on from the last one before it: the capture spans what it spanned.
    assert.ok(Math.abs(r.source.durationS - base.source.durationS) < 0.05, `${stepS} s: duration ${r.source.durationS} vs ${base.source.durationS}`);
    assert.ok(r.warnings.some((w) => w.includes('clock went back')), `${stepS} s: ${r.warnings.join(' | ')}`);
  }
});

test('the clock stepped forward 20 s in a session with keepalive enabled: pings resume and are answered, so not ping-timeout', async () => {
  const events = lanScenario({ withAudio: true, seconds: SECONDS });
  const t0 = events[0]!.ts;
  const client = events[0]!.type === 'tcp-open' ? events[0]!.src : undefined;
  assert.ok(client);
  const radio = events[0]!.type === 'tcp-open' ? events[0]!.dst : client;
  // SmartSDR enables the radio's keepalive after connecting (reference §11); C9 is unused by the scenario.
  events.push({ type: 'tcp-data', ts: t0 + 0.2, src: client, dst: radio, data: Buffer.from('C9|keepalive enable\n') });
  events.push({ type: 'tcp-data', ts: t0 + 0.21, src: radio, dst: client, data: Buffer.from('R9|0|\n') });
  events.sort((a, b) => a.ts - b.ts);
  const whole = join(dir, 'keepalive.pcapng');
  await writeEventsCapture(whole, events);
  assert.equal((await analyzeCaptureFile(whole)).verdict.status, 'healthy');
  const r = await analyzeCaptureFile(await stepped(whole, 20, 'fwd20.pcapng'));
  const control = r.hops.find((h) => h.id === 'control');
  assert.notEqual(control?.rule, 'control-pings-stopped', control?.evidence.join(' | '));
  assert.equal(control?.status, 'ok', control?.evidence.join(' | '));
});

test('a forward jump is left as it is (a real silence looks the same), with no clock warning', async () => {
  const whole = join(dir, 'whole-fwd.pcapng');
  await writeEventsCapture(whole, lanScenario({ seconds: SECONDS }));
  const base = await analyzeCaptureFile(whole);
  const r = await analyzeCaptureFile(await stepped(whole, 1, 'fwd1.pcapng'));
  assert.ok(Math.abs(r.source.durationS - (base.source.durationS + 1)) < 0.001, `duration ${r.source.durationS}`);
  assert.ok(!r.warnings.some((w) => w.includes('clock went back')));
});
