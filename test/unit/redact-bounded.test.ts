/**
 * Redaction does bounded work however many identities a report holds. Found by `npm run fuzz -- --seed 7
 * --only tracker`: once the run's one Analyzer had seen a few hundred radios' beacons and a thousand
 * streams, redacting its snapshot report built a pattern per learned name for every string of the
 * report (names × strings patterns) and took seconds, then more than the watchdog's 10 s.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import { MAX_RADIOS, MAX_STREAMS } from '../../src/analysis/stream-tracker.js';
import { redactReport } from '../../src/report/redact.js';
import { encodePacket } from '../../src/vita/index.js';
import { flexHeader, meterPacket } from '../helpers/packets.js';

const nickname = (i: number): string => `Shack${String.fromCharCode(65 + (i % 26))}${i}`;

/** The fuzz run's shape: every radio bound filled with beacons of distinct names, every stream bound with streams. */
function crowdedReport() {
  const a = new Analyzer();
  for (let i = 0; i < MAX_RADIOS; i++) {
    const beacon = encodePacket({
      kind: 'discovery',
      header: flexHeader(0xffff, 0x800, i),
      payload: {
        tokens: [['model', 'FLEX-6600'], ['serial', `1000-2000-3000-${String(i).padStart(4, '0')}`], ['nickname', nickname(i)], ['callsign', `K${i}ABC`], ['ip', '192.168.10.27']],
      },
    });
    a.feed({ type: 'udp', ts: 1_700_000_000 + i / 1000, src: { ip: '192.168.10.27', port: 4992 }, dst: { ip: '255.255.255.255', port: 4992 }, payload: beacon });
  }
  const base = meterPacket(1, [[1, 2]]);
  for (let i = 0; i < MAX_STREAMS - 1; i++) {
    const p = Buffer.from(base);
    p.writeUInt32BE(0x1000 + i, 4);
    a.feed({ type: 'udp', ts: 1_700_000_001 + i / 1000, src: { ip: '192.168.10.27', port: 4993 }, dst: { ip: '192.168.10.20', port: 4991 }, payload: p });
  }
  return a.report({ file: 'x', packets: MAX_RADIOS + MAX_STREAMS, bytes: 0, durationS: 2 });
}

/** Runs `f` counting the regular expressions built with `new RegExp` meanwhile. */
function countingPatterns<T>(f: () => T): { result: T; built: number } {
  const original = globalThis.RegExp;
  let built = 0;
  globalThis.RegExp = new Proxy(original, {
    construct(target, args: [string | RegExp, string?]) {
      built++;
      return new target(...args);
    },
  });
  try {
    return { result: f(), built };
  } finally {
    globalThis.RegExp = original;
  }
}

test('redaction of a report with every radio and stream bound filled builds its name patterns once, not per string', () => {
  const report = crowdedReport();
  assert.equal(report.radios.length, MAX_RADIOS);
  assert.equal(report.streams.length, MAX_STREAMS, 'the discovery stream and the meter streams');
  const { result, built } = countingPatterns(() => redactReport(report));
  // One pattern for the learned names, one for the callsigns: independent of the report's size.
  assert.ok(built <= 2, `${built} patterns built for one report`);
  // And it still hides every one of them.
  const text = JSON.stringify(result);
  for (let i = 0; i < MAX_RADIOS; i++) {
    assert.ok(!text.includes(nickname(i)), `nickname ${nickname(i)} left in the redacted report`);
    assert.ok(!text.includes(`K${i}ABC`), `callsign K${i}ABC left in the redacted report`);
  }
  assert.equal(result.radios.filter((r) => r.nickname === '<name>' && r.callsign === '<callsign>' && r.serial === '<serial>').length, MAX_RADIOS);
});
