/**
 * A waterfall whose first packet received is the short last tile of a line: every tile but a line's last
 * is full (reference §3.2: 3360 bins as 4 × 684 + 1 × 624), so the bins per tile, and from them the tiles
 * per line and the stream's announced rate, are known only from a tile that is not the last. The simulator
 * at network_mtu 1450 splits 3360 bins as 5 × 659 + 65: with 40 ms of jitter the 65-bin tile arrived first,
 * the line read as 52 tiles (1040 packets/s), the next 10 ms as a silence of 10 periods, and the counter's
 * step back from the late tiles as 14 lost — an outage on a path that lost nothing.
 *
 * Expected values from the construction: tiles come at most 50 ms apart, and a silence is 8 or more periods
 * of the stream's rate (HALF_COUNTER): at the construction's 6 tiles × 20 lines/s that is ≥ 400 ms, so
 * the waterfall has no silence and the path no outage. (The counter alone still reads a tile that arrives
 * more than PRE_START behind the stream's first packet as a jump: that start ambiguity is not asserted here.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { NetEvent } from '../../src/capture/types.js';
import { lanScenario } from '../helpers/scenario.js';
import { waterfallPacket } from '../helpers/packets.js';

const WF = 0x42000000;
const TOTAL = 3360;
const PER = 659;
/** Bins of each tile of a line: 5 × 659 + 65. */
const WIDTHS = [PER, PER, PER, PER, PER, TOTAL - 5 * PER];

function analyze(events: NetEvent[]): { r: AnalysisReport; silences: number; brief: number } {
  const a = new Analyzer();
  for (const e of events) a.feed(e);
  a.finish();
  const wf = a.streams.streams.find((st) => st.streamId === WF);
  return { r: a.report({ file: 'scenario', packets: a.events, bytes: 0, durationS: 0 }), silences: wf?.silences.length ?? -1, brief: wf?.briefSilences.length ?? -1 };
}

const isWaterfall = (e: NetEvent): boolean => e.type === 'udp' && e.payload.length >= 8 && e.payload.readUInt32BE(4) === WF;

/**
 * The scenario with its waterfall re-tiled as 6 tiles per line (lines every 50 ms, as announced with
 * line_duration=50), tiles 1 ms apart; in the first `reorderedLines` lines the last tile overtakes the
 * others by `leadMs` (the others follow it, in order, 0.1 ms apart).
 */
function scenario(reorderedLines: number, leadMs: number): NetEvent[] {
  const base = lanScenario({ seconds: 4 });
  const lines = base.filter(isWaterfall);
  const template = lines[0]!;
  if (template.type !== 'udp') throw new Error('unreachable');
  const startTs = template.ts;
  const lineCount = lines.length / 5;
  const out = base.filter((e) => !isWaterfall(e));
  let count = 0;
  for (let line = 0; line < lineCount; line++) {
    const lineTs = startTs + line * 0.05;
    let bin = 0;
    const tiles = WIDTHS.map((w, i) => {
      const p = waterfallPacket(WF, count++ & 15, line, bin, w, TOTAL);
      bin += w;
      return { i, p };
    });
    for (const { i, p } of tiles) {
      const last = i === WIDTHS.length - 1;
      const ts = line < reorderedLines ? lineTs + (last ? 0 : leadMs / 1000 + i * 0.0001) : lineTs + i * 0.001;
      out.push({ ...template, ts, payload: p, ipLength: p.length + 28 });
    }
  }
  return out.sort((a, b) => a.ts - b.ts);
}

test('a line’s short last tile arriving first starts no silence: 10 ms between tiles is no gap of the stream', () => {
  const { r, silences } = analyze(scenario(1, 10));
  const wf = r.streams.find((s) => s.id === '0x42000000');
  // Every tile of every line delivered: 6 per line.
  assert.equal((wf?.packets ?? 1) % 6, 0, `packets ${wf?.packets}`);
  assert.equal(silences, 0, 'silences of the waterfall');
  assert.deepEqual(r.outages ?? [], []);
  assert.notEqual(r.verdict.cause, 'outage', r.verdict.summary);
});

test('the same overtaking in each of the first 10 lines, by 5 to 20 ms: no silence, no brief one, no outage', () => {
  for (const leadMs of [5, 10, 20]) {
    const { r, silences, brief } = analyze(scenario(10, leadMs));
    assert.equal(silences, 0, `lead ${leadMs} ms: silences of the waterfall`);
    // Each line's 5 overtaken tiles come after its last one: the counter's jump is taken back, tile by tile.
    assert.equal(brief, 0, `lead ${leadMs} ms: brief silences of the waterfall`);
    assert.deepEqual(r.outages ?? [], [], `lead ${leadMs} ms`);
  }
});
