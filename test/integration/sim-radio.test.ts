/**
 * The simulated radio, talked to over real loopback sockets as a SmartSDR client would. Expected values
 * come from the reference (codes §5.4, rates §3.9, sizes §3.1–§3.2), not from the simulator's code.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiClient } from '../../src/api/client.js';
import { guiSession, lanClient, withSim } from '../helpers/sim.js';
import { sleep, udpSink } from '../helpers/udp-sink.js';

const PCC = { meter: 0x8002, fft: 0x8003, waterfall: 0x8004, opus: 0x8005 };

test('prologue: V1.4.0.0, an 8-digit handle per client, "Client connected from IP"', async () => {
  await withSim({}, async (sim) => {
    const raw: string[] = [];
    const a = await ApiClient.connect({ host: sim.host, port: sim.ports.api, waitForPrologue: false });
    a.onText((dir, t) => dir === 'in' && raw.push(t));
    await a.waitForPrologue();
    const b = await lanClient(sim);
    await sleep(50);
    const lines = raw.join('').split('\n');
    assert.equal(lines[0], 'V1.4.0.0');
    assert.match(lines[1] ?? '', /^H[0-9A-F]{8}$/);
    assert.equal(lines[2], 'M10000001|Client connected from IP 127.0.0.1');
    assert.equal(a.version, '1.4.0.0');
    assert.notEqual(a.handle, b.handle);
    await a.close();
    await b.close();
  });
});

test('reply codes of the real message table (reference §5.4)', async () => {
  await withSim({}, async (sim) => {
    const c = await lanClient(sim);
    assert.equal((await c.command('frobnicate now')).code, 0x50000015, 'unknown command');
    assert.equal((await c.command('sub nonsense all')).code, 0x500000a3, 'invalid subscription');
    const noPort = await c.command('stream create type=remote_audio_rx compression=opus');
    assert.equal(noPort.code, 0x50000064, 'stream create before client udpport: No IP or PORT');
    assert.notEqual((await c.command('display panafall create x=100 y=100')).code, 0, 'a non-GUI client may not create a pan');
    assert.equal((await c.command('stream remove 0x04001234')).code, 0x50000059, 'invalid stream ID');
    assert.equal((await c.command('display panafall rfgain_info 0x0')).code, 0x50000029, 'as the real radio answered (fixture R39)');
    const gui = await c.command('client gui');
    assert.equal(gui.code, 0);
    assert.match(gui.message, /^[0-9A-F-]{36}$/, 'client gui replies with the client_id to persist');
    assert.equal((await c.command('display panafall create x=100 y=100')).code, 0, 'a GUI client may');
    assert.equal((await c.command('client udpport 50001')).code, 0);
    const other = await lanClient(sim);
    assert.equal((await other.command('client udpport 50001')).code, 0x500000a9, 'same IP and port as another client');
    assert.equal((await other.command('client bind client_id=00000000-0000-0000-0000-000000000000')).code, 0x500000be, 'invalid binding');
    const bound = await other.command(`client bind client_id=${gui.message}`);
    assert.equal(bound.code, 0);
    assert.equal(parseInt(bound.message, 16), c.handle, 'bind replies with the GUI client’s handle');
    await c.close();
    await other.close();
  });
});

test('GUI clients up to the licence (2 on a FLEX-6600M, as its beacon says); the third is refused', async () => {
  await withSim({}, async (sim) => {
    const clients = [await lanClient(sim), await lanClient(sim), await lanClient(sim)];
    const codes = [];
    for (const c of clients) codes.push((await c.command('client gui')).code);
    assert.deepEqual(codes.slice(0, 2), [0, 0]);
    assert.notEqual(codes[2], 0);
    await clients[0]?.close();
    await sleep(100);
    assert.equal((await clients[2]!.command('client gui')).code, 0, 'a slot frees when a GUI client leaves');
    for (const c of clients.slice(1)) await c.close();
  });
});

test('UDP from the data port at reference rates, counters continuous, waterfall tiles 1436/1316 B', async () => {
  const sink = await udpSink();
  try {
    await withSim({}, async (sim) => {
      const c = await guiSession(sim, sink.port, { audio: true, xpixels: 1024 });
      const t0 = performance.now();
      await sleep(3000);
      const secs = (performance.now() - t0) / 1000;
      await c.close();
      assert.ok(sink.got.length > 0);
      assert.ok(sink.got.every((g) => g.from.port === sim.ports.data), 'every datagram comes from the radio’s data port');
      const rate = (pcc: number): number => sink.got.filter((g) => g.pcc === pcc).length / secs;
      // Reference §3.9: meters ≈28/s; FFT = fps 25 × ceil(1024 bins / bins per packet), 2 packets at MTU 1500;
      // waterfall ≈100/s (20 lines × 5 tiles); Opus 100/s. Ranges allow for the setup time inside the window.
      assert.ok(rate(PCC.meter) > 20 && rate(PCC.meter) < 33, `meters ${rate(PCC.meter)}/s`);
      assert.ok(rate(PCC.fft) > 40 && rate(PCC.fft) < 55, `fft ${rate(PCC.fft)}/s`);
      assert.ok(rate(PCC.waterfall) > 80 && rate(PCC.waterfall) < 110, `waterfall ${rate(PCC.waterfall)}/s`);
      assert.ok(rate(PCC.opus) > 80 && rate(PCC.opus) < 110, `opus ${rate(PCC.opus)}/s`);
      const tiles = new Set(sink.got.filter((g) => g.pcc === PCC.waterfall).map((g) => g.payload.length));
      assert.deepEqual([...tiles].sort(), [1316, 1436], '3360 bins = 4 × 684 + 624 (reference §3.2)');
      for (const id of new Set(sink.got.map((g) => g.streamId))) {
        const counts = sink.stream(id!).map((g) => g.count!);
        for (let i = 1; i < counts.length; i++) assert.equal(counts[i], ((counts[i - 1] ?? 0) + 1) % 16, `stream ${id?.toString(16)} counter at ${i}`);
      }
    });
  } finally {
    await sink.close();
  }
});

test('keepalive: after `keepalive enable` a silent client is dropped; a pinging one stays', async () => {
  await withSim({ keepaliveTimeoutS: 1 }, async (sim) => {
    const silent = await lanClient(sim);
    const pinging = await lanClient(sim);
    await silent.command('keepalive enable');
    await pinging.command('keepalive enable');
    for (let i = 0; i < 10; i++) {
      await pinging.command('ping ms_timestamp=1.0');
      await sleep(250);
    }
    assert.ok(silent.closed, 'silent client dropped');
    assert.ok(!pinging.closed, 'pinging client kept');
    await pinging.close();
  });
});

test('closing the connection removes the client’s pans and streams (status `removed`)', async () => {
  const sink = await udpSink();
  try {
    await withSim({}, async (sim) => {
      const c = await guiSession(sim, sink.port, { audio: true });
      const watcher = await lanClient(sim);
      const seen: string[] = [];
      watcher.onLine((l) => l.type === 'status' && seen.push(l.body));
      await watcher.command('sub pan all');
      await watcher.command('sub audio_stream all');
      assert.equal(sim.core.pans.size, 1);
      await c.close();
      await sleep(200);
      assert.equal(sim.core.pans.size, 0);
      assert.equal(sim.core.streams.size, 0);
      assert.ok(seen.includes('display pan 0x40000000 removed'));
      assert.ok(seen.some((s) => /^stream 0x04[0-9A-F]{6} removed$/.test(s)));
      await watcher.close();
    });
  } finally {
    await sink.close();
  }
});

test('uncompressed remote audio, DAX audio (full and reduced bandwidth) and DAX IQ: classes, sizes and rates of reference §3.6–§3.8', async () => {
  const sink = await udpSink();
  try {
    await withSim({}, async (sim) => {
      const c = await guiSession(sim, sink.port);
      assert.equal((await c.command('stream create type=remote_audio_rx compression=none')).code, 0);
      assert.equal((await c.command('stream create type=dax_iq daxiq_channel=1')).code, 0);
      const t0 = performance.now();
      await sleep(2000);
      const secs = (performance.now() - t0) / 1000;
      const of = (pcc: number): typeof sink.got => sink.got.filter((g) => g.pcc === pcc);
      // 0x03E3: 128 stereo float32 frames = 1024 B + 28 header, 187.5/s.
      assert.ok(of(0x03e3).every((g) => g.payload.length === 1052));
      assert.ok(of(0x03e3).length / secs > 160 && of(0x03e3).length / secs < 200, `float audio ${of(0x03e3).length / secs}/s`);
      // DAX IQ 24 kHz: packet type 1, PCC 0x02E3, 512 complex float32 = 4096 B + 28, 24000/512 = 46.9/s.
      const iq = of(0x02e3);
      assert.ok(iq.length > 0 && iq.every((g) => g.payload.length === 4124 && g.payload[0]! >> 4 === 1));
      assert.ok(iq.length / secs > 38 && iq.length / secs < 52, `IQ ${iq.length / secs}/s`);
      await c.close();
      sink.got.length = 0;
      // DAX RX follows `client set send_reduced_bw_dax`: int16 mono (0x0123, 256 B + 28) when set.
      const d = await guiSession(sim, sink.port);
      assert.equal((await d.command('client set send_reduced_bw_dax=1')).code, 0);
      assert.equal((await d.command('stream create type=dax_rx dax_channel=1')).code, 0);
      await sleep(500);
      assert.ok(of(0x0123).length > 50 && of(0x0123).every((g) => g.payload.length === 284));
      assert.equal(of(0x03e3).length, 0);
      await d.close();
    });
  } finally {
    await sink.close();
  }
});
