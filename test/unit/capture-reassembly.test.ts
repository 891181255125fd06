/**
 * Reassembly under hostile input (issue 13): IP fragments by merged intervals, a fragment cap per
 * datagram, and one byte budget shared by IP fragments and TCP segments that evicts the oldest holder.
 * Every expected value comes from the frames the test builds: payload bytes, hole sizes, budget sizes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTcp, buildUdp } from '../../src/capture/build.js';
import { Dissector } from '../../src/capture/dissect.js';
import { LINKTYPE } from '../../src/capture/link.js';
import { INCOMPLETE_HEAD_BYTES, type NetEvent } from '../../src/capture/types.js';
import { ipv4Fragment, ipv4Fragments } from '../helpers/fragments.js';
import { prng } from '../helpers/prng.js';

const RADIO = { ip: '192.168.1.20', port: 4993 };
const CLIENT = { ip: '192.168.1.10', port: 4991 };
const T0 = 1_700_000_000;

function pattern(n: number, salt: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + salt + (i >> 8)) & 0xff;
  return b;
}

function dissect(frames: Buffer[], opts: ConstructorParameters<typeof Dissector>[1] = {}): { events: NetEvent[]; warnings: string[]; d: Dissector } {
  const events: NetEvent[] = [];
  // Buffers in events are views valid only during the call: keep copies.
  const d = new Dissector((e) => events.push(e.type === 'udp' ? { ...e, payload: Buffer.from(e.payload) } : e.type === 'tcp-data' ? { ...e, data: Buffer.from(e.data) } : e), opts);
  frames.forEach((f, i) => d.frame(LINKTYPE.ETHERNET, T0 + i * 1e-6, f, 0, f.length));
  return { events, warnings: d.finish(), d };
}

async function dissectYielding(frames: Buffer[]): Promise<{ events: NetEvent[]; warnings: string[] }> {
  const events: NetEvent[] = [];
  const d = new Dissector((e) => events.push(e.type === 'udp' ? { ...e, payload: Buffer.from(e.payload) } : e));
  for (let i = 0; i < frames.length; i++) {
    if (i % 50 === 0) await new Promise((r) => setImmediate(r));
    d.frame(LINKTYPE.ETHERNET, T0 + i * 1e-6, frames[i]!, 0, frames[i]!.length);
  }
  return { events, warnings: d.finish() };
}

const udpPayloads = (events: NetEvent[]): Buffer[] => events.flatMap((e) => (e.type === 'udp' ? [e.payload] : []));

// Before merged intervals this input took 16–20 s (every fragment re-sorted all the others once the
// last one was known); the timeout is a hang guard, not a measurement. Frames are fed with a yield to
// the event loop every 50, so the guard can fire while the work is still going on.
test('one datagram in 8000 fragments, last fragment first and the rest shuffled, reassembles to the bytes sent', { timeout: 8000 }, async () => {
  // 8000 fragments × 8 bytes = 64 000 bytes of IP payload: the UDP header and 63 992 payload bytes.
  const payload = pattern(63_992, 7);
  const whole = buildUdp({ src: RADIO, dst: CLIENT, payload, ipId: 0x1234 });
  const frags = ipv4Fragments(whole, 8);
  assert.equal(frags.length, 8000);
  const rest = frags.slice(0, -1);
  const rnd = prng(42);
  for (let i = rest.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [rest[i], rest[j]] = [rest[j]!, rest[i]!];
  }
  const { events, warnings } = await dissectYielding([frags[frags.length - 1]!, ...rest]);
  const got = udpPayloads(events);
  assert.equal(got.length, 1);
  assert.ok(got[0]!.equals(payload), 'reassembled payload equals the bytes the test built');
  assert.deepEqual(warnings, []);
});

test('overlapping fragments keep the bytes that arrived first', () => {
  const payload = pattern(200, 3);
  const whole = buildUdp({ src: RADIO, dst: CLIENT, payload, ipId: 9 });
  // A forged copy of bytes 64..127 of the IP payload, sent before the genuine ones.
  const forged = Buffer.from(whole);
  forged.fill(0xee, 14 + 20 + 64, 14 + 20 + 128);
  const frames = [ipv4Fragment(forged, 64, 64, true), ipv4Fragment(whole, 0, 96, true), ipv4Fragment(whole, 96, 112, false)];
  const { events, warnings } = dissect(frames);
  const expected = Buffer.from(payload);
  // IP payload bytes 64..127 are UDP payload bytes 56..119.
  expected.fill(0xee, 56, 120);
  assert.ok(udpPayloads(events)[0]?.equals(expected));
  assert.ok(warnings.some((w) => /^2 IP fragment\(s\) overlapped/.test(w)), warnings.join('\n'));
});

test('a datagram sent in more than 8192 pieces (repeats) is dropped and said so', () => {
  const whole = buildUdp({ src: RADIO, dst: CLIENT, payload: pattern(1000, 1), ipId: 77 });
  const first = ipv4Fragment(whole, 0, 8, true);
  const frames = [...Array.from({ length: 8192 }, () => first), ipv4Fragment(whole, 8, 1000, false)];
  const { events, warnings } = dissect(frames);
  assert.deepEqual(udpPayloads(events), []);
  assert.ok(warnings.some((w) => /^1 IP datagram\(s\) dropped: more than 8192 fragments each/.test(w)), warnings.join('\n'));
});

test('one budget for IP and TCP: the longest-waiting holder is evicted first, whatever its kind', () => {
  const size = 16_384;
  const dgram = (id: number): Buffer => buildUdp({ src: RADIO, dst: CLIENT, payload: pattern(size + 100, id), ipId: id });
  const a = dgram(1);
  const c = dgram(3);
  const dd = dgram(4);
  const api = { ip: '192.168.1.20', port: 4992 };
  const isn = 1000;
  const hole = 100;
  const behind = pattern(size, 2);
  // Budget: three holders of ≈16.6 kB fit, the third one's arrival (C) pushes past 40 kB.
  const frames = [
    ipv4Fragment(a, 0, size, true), // A waits for its tail
    buildTcp({ src: api, dst: CLIENT, seq: isn, flags: { syn: true } }),
    buildTcp({ src: api, dst: CLIENT, seq: isn + 1 + hole, flags: { ack: true }, payload: behind }), // B: bytes behind a 100-byte hole
    ipv4Fragment(c, 0, size, true), // C: over budget → A (oldest) is dropped
    ipv4Fragment(a, size, a.length - 34 - size, false), // A's tail: A is gone, so this starts a new, small holder A'
    ipv4Fragment(dd, 0, size, true), // D: over budget → B (now oldest) gives up its hole
    ipv4Fragment(c, size, c.length - 34 - size, false), // C completes
  ];
  const { events, warnings } = dissect(frames, { reassemblyBytes: 40 * 1024 });
  const relevant = events.filter((e) => e.type !== 'tcp-open').map((e) => (e.type === 'udp' ? `udp ${e.payload.length}` : e.type === 'tcp-gap' ? `gap ${e.missingBytes}` : e.type === 'tcp-data' ? `data ${e.data.length}` : e.type));
  // A is told incomplete when evicted; A' and D when the capture ends unfinished.
  assert.deepEqual(relevant, ['udp-incomplete', 'gap 100', `data ${size}`, `udp ${size + 100}`, 'udp-incomplete', 'udp-incomplete']);
  const data = events.find((e) => e.type === 'tcp-data');
  assert.ok(data?.type === 'tcp-data' && data.data.equals(behind));
  assert.ok(udpPayloads(events)[0]!.equals(pattern(size + 100, 3)), 'C is delivered whole');
  assert.ok(warnings.includes('1 fragmented IP datagram(s) dropped unfinished to keep reassembly within 40 KiB (oldest first)'), warnings.join('\n'));
  assert.ok(warnings.some((w) => w.startsWith('1 TCP hole(s) given up early to keep reassembly within 40 KiB (oldest first)')), warnings.join('\n'));
});

test('4096 TCP directions with holes: held bytes stay within the budget, every hole is reported and every byte behind one delivered', () => {
  const budget = 8 * 1024 * 1024;
  const events: NetEvent[] = [];
  let gaps = 0;
  let delivered = 0;
  let over = 0;
  const d = new Dissector(
    (e) => {
      if (e.type === 'tcp-gap') gaps += e.missingBytes;
      if (e.type === 'tcp-data') delivered += e.data.length;
      if (e.type === 'tcp-close') events.push(e);
    },
    { reassemblyBytes: budget },
  );
  const dirs = 4096;
  const chunk = 4000;
  for (let i = 0; i < dirs; i++) {
    const src = { ip: `10.${(i >> 8) & 255}.${i & 255}.1`, port: 4992 };
    const dst = { ip: '10.255.0.1', port: 40000 + (i % 1000) };
    // Sequence 5000 starts the direction (no SYN); bytes 5000+1000 onward arrive, 5000..5999 never do.
    for (const f of [
      buildTcp({ src, dst, seq: 4000, flags: { ack: true }, payload: Buffer.alloc(1000, 1) }),
      buildTcp({ src, dst, seq: 6000, flags: { ack: true }, payload: Buffer.alloc(chunk, 2) }),
    ]) {
      d.frame(LINKTYPE.ETHERNET, T0 + i * 1e-3, f, 0, f.length);
      if (d.budget.bytes > budget) over++;
    }
  }
  d.finish();
  assert.equal(over, 0, 'never above the budget after a frame');
  assert.equal(gaps, dirs * 1000);
  assert.equal(delivered, dirs * (1000 + chunk));
});

test('a UDP datagram that never completes is told once, with what arrived of it: ports and first bytes from its first fragment, sizes from the fragments', () => {
  const payload = pattern(2000, 3);
  const a = buildUdp({ src: RADIO, dst: CLIENT, payload, ipId: 0x0101 });
  const b = buildUdp({ src: RADIO, dst: CLIENT, payload, ipId: 0x0202 });
  const c = buildUdp({ src: RADIO, dst: CLIENT, payload, ipId: 0x0303 });
  // 8 + 2000 bytes of IP payload in pieces of 800: 800, 800, 408.
  const [a0, , a2] = ipv4Fragments(a, 800);
  const [, b1, b2] = ipv4Fragments(b, 800);
  const whole = ipv4Fragments(c, 800);
  const { events, warnings } = dissect([a0!, a2!, b1!, b2!, ...whole]);
  const told = events.filter((e) => e.type === 'udp-incomplete');
  assert.equal(udpPayloads(events).length, 1, 'the whole one arrives');
  assert.equal(told.length, 2, 'one event per datagram left incomplete, none for the whole one');
  const [first, later] = told;
  assert.deepEqual(first && { ...first, head: [...first.head] }, {
    type: 'udp-incomplete',
    ts: T0,
    src: RADIO,
    dst: CLIENT,
    head: [...payload.subarray(0, INCOMPLETE_HEAD_BYTES)],
    fragments: 2,
    largestFragment: 20 + 800,
    ipLength: 20 + 8 + 2000,
  });
  assert.deepEqual(later && { ...later, head: [...later.head] }, {
    type: 'udp-incomplete',
    ts: T0 + 2e-6,
    src: { ip: RADIO.ip, port: 0 },
    dst: { ip: CLIENT.ip, port: 0 },
    head: [],
    fragments: 2,
    largestFragment: 20 + 800,
    ipLength: 20 + 8 + 2000,
  });
  assert.ok(warnings.includes('2 fragmented IP datagram(s) never completed (fragments lost or outside reassembly limits)'), warnings.join('\n'));
});
