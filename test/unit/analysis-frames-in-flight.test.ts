/**
 * Judged live, the newest waterfall line of a path that reorders is always still arriving: a line begun
 * and not yet complete is in flight, not missing. Once the input ends (a capture file), it is broken.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import { waterfallPacket } from '../helpers/packets.js';

const RADIO = { ip: '192.168.10.27', port: 4993 };
const CLIENT = { ip: '192.168.10.20', port: 4991 };
const SID = 0x42000000;
/** 3360 bins in 4 × 684 + 624, as the radio splits a line at network_mtu 1500 (reference §3.2). */
const TILES: Array<[number, number]> = [[0, 684], [684, 684], [1368, 684], [2052, 684], [2736, 624]];

function feedLines(a: Analyzer, lines: number, lastLineTiles: number): void {
  let count = 0;
  let ts = 1_700_000_000;
  for (let line = 0; line < lines; line++) {
    const tiles = line === lines - 1 ? TILES.slice(0, lastLineTiles) : TILES;
    for (const [first, width] of tiles) {
      a.feed({ type: 'udp', ts, src: RADIO, dst: CLIENT, payload: waterfallPacket(SID, count, line, first, width, 3360) });
      count = (count + 1) & 15;
      ts += 0.01;
    }
  }
}

test('a waterfall line still being assembled is not counted as sent and missing (live judging)', () => {
  const a = new Analyzer();
  // 20 whole lines, then the first 2 of line 21's 5 tiles: the other 3 are on the way.
  feedLines(a, 21, 2);
  const live = a.facts().data['data:waterfall'];
  assert.equal(live.framesComplete, 20);
  assert.equal(live.framesSent, 20, 'the line in flight is not yet sent-and-missing');
  a.finish();
  const ended = a.facts().data['data:waterfall'];
  assert.equal(ended.framesBroken, 1, 'at the end of the input the unfinished line is broken');
  assert.equal(ended.framesSent, 21);
});
