/**
 * Holes in a captured TCP stream that nothing will fill: a segment the snapshot length cut (caplen below
 * the IP length says so at once) and a segment the capture dropped (the receiver's ACK beyond it proves
 * it passed the capture point). The bytes behind such a hole go on at once, with the time they arrived,
 * not when a timeout gave up on the hole. Expected events come from the frames' construction.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ETHERNET_HEADER, buildTcp } from '../../src/capture/build.js';
import { Dissector } from '../../src/capture/dissect.js';
import { LINKTYPE } from '../../src/capture/link.js';
import { TCP_FLAG, TcpReassembler } from '../../src/capture/tcp.js';
import type { NetEvent } from '../../src/capture/types.js';

const CLIENT = { ip: '192.168.1.20', port: 50000 };
const RADIO = { ip: '192.168.1.27', port: 4992 };
const T0 = 1_700_000_000;

/** The events as short strings: data with its bytes and times, gaps with their size and `beforeTs`. */
function text(events: NetEvent[]): string[] {
  return events.filter((e) => e.type !== 'tcp-open').map((e) => {
    switch (e.type) {
      case 'tcp-data':
        return `data ${e.data.toString('latin1')} @${(e.ts - T0).toFixed(3)} arrived ${((e.arrivedTs ?? e.ts) - T0).toFixed(3)}`;
      case 'tcp-gap':
        return `gap ${e.missingBytes} before ${((e.beforeTs ?? e.ts) - T0).toFixed(3)}`;
      default:
        return e.type;
    }
  });
}

/** A reassembler that saw the radio's SYN (initial sequence number 999: its data starts at 1000). */
function reassembler(): { tcp: TcpReassembler; events: NetEvent[] } {
  const all: NetEvent[] = [];
  const tcp = new TcpReassembler((e) => all.push(e.type === 'tcp-data' ? { ...e, data: Buffer.from(e.data) } : e));
  tcp.segment(T0, RADIO, CLIENT, 999, TCP_FLAG.SYN, Buffer.alloc(0));
  all.length = 0;
  return { tcp, events: all };
}

test('a segment cut by the snapshot length: its cut bytes are a gap at once, the next segment is delivered on arrival', () => {
  const { tcp, events } = reassembler();
  // "R11|0|\n" (7 bytes) captured as "R11|" (3 cut), then "R12|0|\n" 1 s later.
  tcp.segment(T0 + 1, RADIO, CLIENT, 1000, TCP_FLAG.ACK, Buffer.from('R11|'), -1, 3);
  assert.deepEqual(text(events), ['data R11| @1.000 arrived 1.000', 'gap 3 before 1.000']);
  tcp.segment(T0 + 2, RADIO, CLIENT, 1007, TCP_FLAG.ACK, Buffer.from('R12|0|\n'));
  assert.deepEqual(text(events).slice(2), ['data R12|0|\n @2.000 arrived 2.000']);
});

test('a cut segment that arrives after the one behind it: both go on when it comes, its cut bytes a gap between them', () => {
  const { tcp, events } = reassembler();
  tcp.segment(T0 + 1, RADIO, CLIENT, 1007, TCP_FLAG.ACK, Buffer.from('R12|0|\n'));
  assert.deepEqual(events, []);
  tcp.segment(T0 + 1.5, RADIO, CLIENT, 1000, TCP_FLAG.ACK, Buffer.from('R11|'), -1, 3);
  assert.deepEqual(text(events), ['data R11| @1.500 arrived 1.500', 'gap 3 before 1.500', 'data R12|0|\n @1.500 arrived 1.500']);
});

test('a held segment cut short: its own cut bytes are a gap when the hole before it fills', () => {
  const { tcp, events } = reassembler();
  tcp.segment(T0 + 1, RADIO, CLIENT, 1004, TCP_FLAG.ACK, Buffer.from('ab'), -1, 4); // covers 1004..1009
  tcp.segment(T0 + 2, RADIO, CLIENT, 1010, TCP_FLAG.ACK, Buffer.from('XY'));
  tcp.segment(T0 + 3, RADIO, CLIENT, 1000, TCP_FLAG.ACK, Buffer.from('0123'));
  assert.deepEqual(text(events), ['data 0123 @3.000 arrived 3.000', 'data ab @3.000 arrived 3.000', 'gap 4 before 1.000', 'data XY @3.000 arrived 3.000']);
});

test('a segment the capture dropped: the receiver’s ACK beyond it ends the hole at once, the bytes behind keep their arrival time', () => {
  const { tcp, events } = reassembler();
  tcp.segment(T0 + 1, RADIO, CLIENT, 1000, TCP_FLAG.ACK, Buffer.from('R10|0|\n'));
  // 1007..1013 ("R11|0|\n") never captured; "R12|0|\n" waits behind the hole.
  tcp.segment(T0 + 2, RADIO, CLIENT, 1014, TCP_FLAG.ACK, Buffer.from('R12|0|\n'));
  assert.equal(events.length, 1);
  // The client acknowledges up to 1010 only: the hole's bytes 1010..1013 may still be on their way.
  tcp.segment(T0 + 2.1, CLIENT, RADIO, 500, TCP_FLAG.ACK, Buffer.alloc(0), 1010);
  assert.equal(events.length, 1);
  // Up to 1021: the client had R11 and R12, so R11 passed the capture point: dropped by the capture.
  tcp.segment(T0 + 2.2, CLIENT, RADIO, 500, TCP_FLAG.ACK, Buffer.alloc(0), 1021);
  assert.deepEqual(text(events).slice(1), ['gap 7 before 2.000', 'data R12|0|\n @2.200 arrived 2.000']);
});

test('an ACK that comes before the bytes after a dropped segment: they are delivered as they arrive', () => {
  const { tcp, events } = reassembler();
  tcp.segment(T0 + 1, RADIO, CLIENT, 1000, TCP_FLAG.ACK, Buffer.from('R10|0|\n'));
  tcp.segment(T0 + 1.5, CLIENT, RADIO, 500, TCP_FLAG.ACK, Buffer.from('C12|ping\n'), 1014); // R11 (1007..1013) acknowledged, never captured
  tcp.segment(T0 + 2, RADIO, CLIENT, 1014, TCP_FLAG.ACK, Buffer.from('R12|0|\n'), 509);
  assert.deepEqual(text(events).filter((e) => !e.startsWith('data C')), ['data R10|0|\n @1.000 arrived 1.000', 'gap 7 before 2.000', 'data R12|0|\n @2.000 arrived 2.000']);
});

test('a hole no ACK explains (one direction captured): given up at the end, the bytes behind it keep their arrival times', () => {
  const { tcp, events } = reassembler();
  tcp.segment(T0 + 1, RADIO, CLIENT, 1000, TCP_FLAG.ACK, Buffer.from('R10|0|\n'));
  tcp.segment(T0 + 2, RADIO, CLIENT, 1014, TCP_FLAG.ACK, Buffer.from('R12|0|\n'));
  tcp.segment(T0 + 3, RADIO, CLIENT, 1021, TCP_FLAG.ACK, Buffer.from('R13|0|\n'));
  assert.equal(events.length, 1);
  tcp.finish(T0 + 5);
  assert.deepEqual(text(events).slice(1), ['gap 7 before 2.000', 'data R12|0|\n @5.000 arrived 2.000', 'data R13|0|\n @5.000 arrived 3.000']);
});

test('dissector: a frame cut inside the TCP header still places its segment (caplen vs IP length), and its data is a gap', () => {
  const events: NetEvent[] = [];
  const d = new Dissector((e) => events.push(e.type === 'tcp-data' ? { ...e, data: Buffer.from(e.data) } : e));
  const frame = (seq: number, payload: string): Buffer => buildTcp({ src: RADIO, dst: CLIENT, seq, ack: 500, flags: { ack: true, psh: true }, payload: Buffer.from(payload) });
  const first = frame(1000, 'R10|0|\n');
  const cut = frame(1007, 'R11|0|\n');
  const next = frame(1014, 'R12|0|\n');
  d.frame(LINKTYPE.ETHERNET, T0 + 1, first, 0, first.length);
  // Captured through the TCP flags (14 of the 20 header bytes; IPv4 header 20, no options): the IP length says 7 data bytes follow.
  d.frame(LINKTYPE.ETHERNET, T0 + 2, cut, 0, ETHERNET_HEADER + 20 + 14);
  d.frame(LINKTYPE.ETHERNET, T0 + 3, next, 0, next.length);
  assert.deepEqual(text(events), ['data R10|0|\n @1.000 arrived 1.000', 'gap 7 before 2.000', 'data R12|0|\n @3.000 arrived 3.000']);
  assert.equal(d.truncated.packets, 1);
  assert.deepEqual(d.finish(), [], 'no header problem reported');
});
