/**
 * Bounds on what a hostile capture can make the analysis keep (issue 13): commands waiting for a reply
 * across all sessions, and the number of warnings a report lists.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Analyzer, MAX_WARNINGS } from '../../src/analysis/analyzer.js';
import { MAX_OUTSTANDING_TOTAL } from '../../src/analysis/control-tracker.js';
import { ReassemblyBudget } from '../../src/capture/budget.js';
import { buildTcp } from '../../src/capture/build.js';
import { Dissector } from '../../src/capture/dissect.js';
import { DEFAULT_DEFRAG_LIMITS, Defragmenter } from '../../src/capture/ip.js';
import { DEFAULT_TCP_LIMITS, TCP_FLAG, TcpReassembler } from '../../src/capture/tcp.js';
import { LINKTYPE } from '../../src/capture/link.js';
import type { Endpoint } from '../../src/capture/types.js';

const RADIO_API: Endpoint = { ip: '192.168.1.20', port: 4992 };
const T0 = 1_700_000_000;
const source = { file: 'hostile.pcap', packets: 0, bytes: 0, durationS: 0 };

function text(a: Analyzer, ts: number, src: Endpoint, dst: Endpoint, s: string): void {
  a.feed({ type: 'tcp-data', ts, src, dst, data: Buffer.from(s, 'latin1') });
}

test('commands without replies are bounded across sessions; the oldest go first, a real client\'s ping still pairs with its reply', () => {
  const a = new Analyzer();
  const floods = 8;
  const perSession = 4096;
  for (let k = 0; k < floods; k++) {
    const client = { ip: '192.168.1.66', port: 50_000 + k };
    let lines = '';
    for (let i = 1; i <= perSession; i++) lines += `C${i}|info\n`;
    text(a, T0 + k, client, RADIO_API, lines);
  }
  const waiting = (): number => a.control.sessions.reduce((n, s) => n + a.control.pending(s).length, 0);
  // 8 × 4096 sent, none answered: only the newest 16 384 are still remembered.
  assert.equal(waiting(), MAX_OUTSTANDING_TOTAL);
  const real = { ip: '192.168.1.10', port: 60_000 };
  text(a, T0 + 10, real, RADIO_API, 'C1|ping\n');
  text(a, T0 + 10.02, RADIO_API, real, 'R1|0|\n');
  // The ping pushed out one more flood command, then was answered.
  assert.equal(waiting(), MAX_OUTSTANDING_TOTAL - 1);
  const pendingOf = (port: number): number => a.control.pending(a.control.sessions.find((s) => s.client.port === port)!).length;
  assert.equal(pendingOf(50_000), 0, 'the oldest session\'s commands were forgotten first');
  assert.equal(pendingOf(50_007), perSession, 'the newest flood is whole');
  const realSession = a.control.sessions.find((s) => s.client.port === real.port)!;
  assert.equal(realSession.pings.sent, 1);
  assert.equal(realSession.pings.answered, 1);
  const r = a.report(source);
  assert.ok(r.warnings.some((w) => w.startsWith(`${floods * perSession - MAX_OUTSTANDING_TOTAL + 1} command(s) without a reply were forgotten`)), r.warnings.join('\n'));
});

test(`a report lists at most ${MAX_WARNINGS} warnings and counts the rest`, () => {
  const a = new Analyzer();
  const sessions = 300;
  // Each session opens with a TLS record the analysis cannot read: one warning per session.
  for (let i = 0; i < sessions; i++) {
    a.feed({ type: 'tcp-data', ts: T0 + i, src: { ip: '192.168.1.10', port: 40_000 + i }, dst: { ip: '198.51.100.7', port: 8443 }, data: Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5]) });
  }
  for (let i = 0; i < 120; i++) a.warn(`direct warning ${i}`);
  const r = a.report(source);
  assert.equal(r.warnings.length, MAX_WARNINGS);
  assert.equal(r.warnings[0], 'direct warning 0');
  // 120 direct + 300 per-session warnings, of which MAX_WARNINGS − 1 are listed.
  assert.equal(r.warnings[MAX_WARNINGS - 1], `… and ${120 + sessions - (MAX_WARNINGS - 1)} more warning(s)`);
});

test('unfinished API lines count in the reassembly budget: past it the oldest is dropped with a warning, the newest line still parses', () => {
  const budget = new ReassemblyBudget(1024 * 1024);
  const a = new Analyzer({ budget });
  // 64 connections each hold 60 000 bytes of a status line without its end: 3.8 MB of line starts
  // (up to 64 KiB each before the splitter gives up on a line), against a 1 MiB budget.
  const sessions = 64;
    const filler = ' x=1'.repeat(15_000);
  const client = (k: number): Endpoint => ({ ip: '192.168.1.66', port: 50_000 + k });
  let over = 0;
  for (let k = 0; k < sessions; k++) {
    text(a, T0 + k, RADIO_API, client(k), `S1|display pan 0x${(0x40000000 + k).toString(16)} x_pixels=${k + 100}${filler}`);
    if (budget.bytes > budget.maxBytes) over++;
  }
  assert.equal(over, 0, 'never above the budget after an event');
  // One line buffer grows past the budget at most before the oldest gives way (64 KiB at most).
  assert.ok(budget.peak <= budget.maxBytes + 64 * 1024, `peak ${budget.peak}`);
  for (let k = 0; k < sessions; k++) text(a, T0 + 100, RADIO_API, client(k), '\n');
  const session = (k: number) => a.control.sessions.find((s) => s.client.port === 50_000 + k)!;
  assert.match(session(0).lastLineError ?? '', /dropped to keep memory within the reassembly budget/);
  assert.equal(a.control.pans.has('0x40000000'), false, 'the oldest line was dropped');
  assert.equal(a.control.pans.get(`0x4000003F`)?.xPixels, 100 + sessions - 1, 'the newest line came out whole');
  const dropped = budget.evicted['api-lines'];
  // 1 MiB holds at most 16 buffers of 64 KiB: at least 48 of the 64 lines went.
  assert.ok(dropped >= sessions - 16, `${dropped} dropped`);
  assert.ok(budget.warnings().some((w) => w.startsWith(`${dropped} unfinished API text line(s) dropped`)), budget.warnings().join('\n'));
});

test('a TCP hole that fills delivers its queue once, even when the text it delivers pushes the shared budget over', () => {
  // The direction holds 3 × 400 bytes behind a 100-byte hole (a 4096-byte slab + 3 × PIECE_OVERHEAD), the
  // analysis holds the start of a line; when the hole fills, that line grows past the 5500-byte budget
  // while the queue is being delivered (at 'b': 4864 + a 1024-byte line buffer).
  const budget = new ReassemblyBudget(5500);
  const a = new Analyzer({ budget });
  const d = new Dissector((e) => a.feed(e), { budget, tcp: { ...DEFAULT_TCP_LIMITS, maxBufferedBytes: 1500 } });
  const client = { ip: '192.168.1.10', port: 50_000 };
  const seg = (seq: number, payload: Buffer): Buffer => buildTcp({ src: RADIO_API, dst: client, seq, flags: { ack: true }, payload });
  const frames = [
    seg(1000, Buffer.alloc(10, 'S')),
    seg(1110, Buffer.alloc(400, 'a')),
    seg(1510, Buffer.alloc(400, 'b')),
    seg(1910, Buffer.concat([Buffer.alloc(399, 'c'), Buffer.from('\n')])),
    seg(1010, Buffer.alloc(100, 'h')),
    // A new 100-byte hole: 1600 bytes behind it pass the 1500-byte limit, so it is given up at once —
    // if the count of held bytes is still right after the first hole.
    seg(2410, Buffer.alloc(800, 'd')),
    seg(3210, Buffer.alloc(800, 'e')),
  ];
  frames.forEach((f, i) => d.frame(LINKTYPE.ETHERNET, T0 + i * 1e-3, f, 0, f.length));
  const s = a.control.sessions[0]!;
  assert.equal(s.gaps, 1, 'the second hole was given up when 1600 bytes waited behind it');
  assert.equal(s.bytesToClient, 10 + 100 + 3 * 400 + 2 * 800, 'every byte once');
  d.finish();
  assert.equal(s.bytesToClient, 10 + 100 + 3 * 400 + 2 * 800);
});

/** Counts the bytes of every Buffer made by allocUnsafe or allocUnsafeSlow inside `measured` while `run` runs. */
function bytesMade(run: (measured: <T>(f: () => T) => T) => void): number {
  const { allocUnsafe, allocUnsafeSlow } = Buffer;
  let made = 0;
  let on = false;
  Buffer.allocUnsafe = (n: number) => ((made += on ? n : 0), allocUnsafe(n));
  Buffer.allocUnsafeSlow = (n: number) => ((made += on ? n : 0), allocUnsafeSlow(n));
  try {
    run((f) => {
      on = true;
      try {
        return f();
      } finally {
        on = false;
      }
    });
  } finally {
    Buffer.allocUnsafe = allocUnsafe;
    Buffer.allocUnsafeSlow = allocUnsafeSlow;
  }
  return made;
}

test('TCP holes under a flood reuse the memory the budget took back: new buffers total about the budget, not the flood', () => {
  // 512 directions, one segment in eight lost for good, 48 MB in all against a 1 MiB budget: the budget
  // gives up the oldest hole for each new one all along. Every buffer made for held bytes is counted. With
  // a fresh buffer per hole (left to the GC) this flood made 41.7 MiB of them, all waiting for a collection
  // (V8 frees external memory lazily): what put the tcp-holes bench ~60 MiB of ArrayBuffers past its budget.
  const budget = new ReassemblyBudget(1024 * 1024);
  const tcp = new TcpReassembler(() => {}, DEFAULT_TCP_LIMITS, budget);
  const dirs = 512;
  const seq = new Uint32Array(dirs);
  const payload = Buffer.alloc(1200, 'x');
  const made = bytesMade((measured) => {
    let flood = 0;
    for (let i = 0; flood < 48e6; i++) {
      const d = (i * 7919) % dirs;
      const src = { ip: '192.168.1.20', port: 4992 };
      const dst = { ip: `10.0.${d >> 8}.${d & 255}`, port: 50_000 + d };
      const len = 200 + ((i * 131) % 1000);
      if (Math.imul(i, 0x9e3779b1) >>> 29 !== 0) measured(() => tcp.segment(T0 + i * 1e-5, src, dst, seq[d]!, TCP_FLAG.ACK, payload.subarray(0, len)));
      seq[d] = (seq[d]! + len) >>> 0;
      flood += len;
    }
  });
  assert.ok(budget.evicted['tcp-segments'] > 5000, `${budget.evicted['tcp-segments']} holes given up`);
  // The budget's worth in use, a quarter of it idle, and the slabs on their way between: twice the budget.
  assert.ok(made <= 2 * budget.maxBytes, `${(made / 1048576).toFixed(1)} MiB of buffers made for a 1 MiB budget`);
});

test('IP reassembly under a fragment flood reuses its memory: new buffers total about what is in flight, not the flood', () => {
  // 4000 datagrams of 6–14 kB, 8 in flight at once, each in shuffled 1480-byte fragments, one in four
  // missing a fragment (dropped when the 16-datagram limit pushes it out): 40 MB through a 1 MiB budget.
  // A fresh slab per datagram, doubled as bytes came, and a fresh buffer to assemble it made 126 MiB here.
  const budget = new ReassemblyBudget(1024 * 1024);
  const defrag = new Defragmenter({ ...DEFAULT_DEFRAG_LIMITS, maxPending: 16 }, budget);
  const datagrams = 4000;
  let complete = 0;
  let correct = 0;
  let sent = 0;
  const made = bytesMade((measured) => {
    const queue: Array<{ id: number; off: number; more: boolean; data: Buffer }> = [];
    for (let id = 0; id < datagrams || queue.length > 0; ) {
      while (id < datagrams && queue.length < 8 * 8) {
        const size = 6000 + ((id * 7919) % 8000);
        const payload = Buffer.alloc(size, id & 0xff);
        const frags = [];
        for (let off = 0; off < size; off += 1480) frags.push({ id, off, more: off + 1480 < size, data: payload.subarray(off, Math.min(size, off + 1480)) });
        if (id % 4 === 1) frags.splice(id % frags.length, 1);
        // Shuffled by a fixed permutation of the datagram's fragments, then queued behind the others.
        frags.sort((a, b) => ((a.off * 31 + id) % 11) - ((b.off * 31 + id) % 11));
        queue.push(...frags);
        sent += size;
        id++;
      }
      const f = queue.splice((sent * 13) % Math.min(queue.length, 16), 1)[0]!;
      const whole = measured(() => defrag.add(`d${f.id}`, T0, f.off, f.more, f.data));
      if (whole !== undefined) {
        complete++;
        if (whole.length === 6000 + ((f.id * 7919) % 8000) && whole.every((b) => b === (f.id & 0xff))) correct++;
      }
    }
    measured(() => defrag.finish());
  });
  assert.equal(complete, datagrams - datagrams / 4, 'every datagram with all its fragments came out');
  assert.equal(correct, complete, 'each whole and right');
  // In flight: 16 pending datagrams of ≤ 16 KiB and their assembled copies, and the pool's idle quarter.
  assert.ok(made <= 4 * budget.maxBytes, `${(made / 1048576).toFixed(1)} MiB of buffers made for ${(sent / 1e6).toFixed(0)} MB of datagrams`);
});

test('a segment held behind a TCP hole costs a few numbers of heap, not an object and a Buffer view', () => {
  // 2048 directions each hold 256 one-byte segments behind a hole (524 288 in all), under a budget that
  // evicts nothing. Heap measured after a full GC, before and while they are held; their bytes are in
  // slabs outside the heap. An object and a view per segment measured 173 bytes each; four numbers in
  // one array per direction, with its growth, 34.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const budget = new ReassemblyBudget(1024 * 1024 * 1024);
  const tcp = new TcpReassembler(() => {}, { ...DEFAULT_TCP_LIMITS, holeTimeoutS: 1e9 }, budget);
  const dirs = 2048;
  const perDir = 256;
  const src = { ip: '192.168.1.20', port: 4992 };
  const dsts = Array.from({ length: dirs }, (_, d) => ({ ip: `10.0.${d >> 8}.${d & 255}`, port: 50_000 + d }));
  const one = Buffer.from('x');
  // Every direction exists (and its first slab) before the baseline.
  dsts.forEach((dst, d) => tcp.segment(T0, src, dst, 1000 * d + 2, TCP_FLAG.ACK, one));
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 1; i < perDir; i++) dsts.forEach((dst, d) => tcp.segment(T0, src, dst, 1000 * d + 2 + 2 * i, TCP_FLAG.ACK, one));
  gc();
  const perSegment = (process.memoryUsage().heapUsed - before) / (dirs * (perDir - 1));
  assert.equal(budget.evicted['tcp-segments'], 0);
  assert.ok(perSegment < 80, `${perSegment.toFixed(0)} bytes of heap per held segment`);
});

test('past maxDirections the oldest direction is settled and forgotten first, one reset in between or not', () => {
  const events: string[] = [];
  const tcp = new TcpReassembler(
    (e) => {
      if (e.type === 'tcp-gap' || e.type === 'tcp-data') events.push(`${e.type} ${e.dst.port}`);
    },
    { ...DEFAULT_TCP_LIMITS, maxDirections: 3 },
  );
  const src = { ip: '192.168.1.20', port: 4992 };
  const dst = (k: number): Endpoint => ({ ip: '192.168.1.10', port: 50_000 + k });
  const one = Buffer.from('x');
  // Each direction: one byte in order, then one behind a one-byte hole (held).
  const open = (k: number): void => {
    tcp.segment(T0 + k, src, dst(k), 100, TCP_FLAG.ACK, one);
    tcp.segment(T0 + k, src, dst(k), 102, TCP_FLAG.ACK, one);
  };
  open(0);
  open(1);
  open(2);
  tcp.segment(T0 + 3, src, dst(1), 0, TCP_FLAG.RST, Buffer.alloc(0)); // 1 goes without being settled
  open(3);
  open(4); // four were made, one reset: 0 is the oldest of three, settled and dropped
  open(5); // then 2
  tcp.finish(T0 + 10);
  const p = (k: number): number => 50_000 + k;
  assert.deepEqual(events, [
    `tcp-data ${p(0)}`, `tcp-data ${p(1)}`, `tcp-data ${p(2)}`, `tcp-data ${p(3)}`,
    `tcp-gap ${p(0)}`, `tcp-data ${p(0)}`, `tcp-data ${p(4)}`,
    `tcp-gap ${p(2)}`, `tcp-data ${p(2)}`, `tcp-data ${p(5)}`,
    // The end settles the rest, oldest first.
    `tcp-gap ${p(3)}`, `tcp-data ${p(3)}`, `tcp-gap ${p(4)}`, `tcp-data ${p(4)}`, `tcp-gap ${p(5)}`, `tcp-data ${p(5)}`,
  ]);
});
