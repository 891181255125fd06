/**
 * FlexPath's live receive path drops nothing: 20 000 VITA-49 datagrams sent over loopback at a paced,
 * moderate rate into `flexpath listen`'s socket and analyser are all counted, and the 4-bit counters
 * they carry (in order, as sent) show no loss.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { test } from 'node:test';
import { startListening } from '../../src/diagnose/listen.js';
import { meterPacket, waterfallPacket } from '../helpers/packets.js';
import { sleep } from '../helpers/udp-sink.js';

const TOTAL = 20_000;
/**
 * 40 datagrams, then a pause of ≥ 2 ms: at most 20 000/s, a fraction of what the bench shows the path keeps
 * up with. The sender shares this process's event loop, so each burst must fit the socket buffer even
 * where the kernel caps it at the default 208 KiB (40 × ~4 KiB of kernel memory per datagram).
 */
const BURST = 40;
const STREAMS = 4;

test('20 000 datagrams sent at a paced rate over loopback: every one counted, no counter loss', async () => {
  const l = await startListening({ host: '127.0.0.1', port: 0 });
  const tx = createSocket('udp4');
  try {
    assert.ok(l.local);
    await new Promise<void>((resolve) => tx.connect(l.local!.port, '127.0.0.1', () => resolve()));
    // Three waterfall streams of 1436-byte tiles and one meter stream, interleaved, each counting 0…15.
    const sent = new Map<number, number>();
    for (let i = 0; i < TOTAL; i++) {
      const s = i % STREAMS;
      const sid = s === 3 ? 0x700 : 0x42000000 + s;
      const n = sent.get(sid) ?? 0;
      sent.set(sid, n + 1);
      const packet = s === 3 ? meterPacket(n & 15, [[1, n & 0x7fff]], sid) : waterfallPacket(sid, n & 15, Math.floor(n / 5), (n % 5) * 684, 684, 3420);
      tx.send(packet);
      if (i % BURST === BURST - 1) await sleep(2);
    }
    // Bounded wait for the last datagrams to be handled; the assertions below are on counts only.
    const counted = (): number => l.evidence.analyzer.streams.streams.reduce((a, st) => a + st.packets, 0);
    for (let i = 0; i < 200 && counted() < TOTAL; i++) await sleep(25);

    const streams = l.evidence.analyzer.streams.streams;
    assert.equal(counted(), TOTAL);
    assert.equal(streams.length, STREAMS);
    for (const st of streams) {
      assert.equal(st.packets, sent.get(st.streamId), `stream 0x${st.streamId.toString(16)}`);
      assert.equal(st.seq.lost, 0);
      assert.equal(st.seq.outOfOrder, 0);
      assert.equal(st.seq.duplicates, 0);
    }
    assert.equal(l.evidence.analyzer.otherUdp, 0);
    const report = l.evidence.report();
    assert.equal(report.source.packets, TOTAL);
    assert.equal(report.streams.reduce((a, s) => a + s.lost, 0), 0);
  } finally {
    tx.close();
    await l.stop();
  }
});
