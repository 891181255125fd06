import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { LineSplitter, formatLine, parseLine } from '../../src/api/lines.js';
import { parseMeterBody, parseStatusBody } from '../../src/api/status.js';
import { DecodeError } from '../../src/common/decode-error.js';
import { fixture } from '../helpers/paths.js';

const session = readFileSync(fixture('smartsdr-win-session.txt'), 'utf8').split('\n').filter((l) => l.length > 0);
const samples = readFileSync(fixture('api-line-samples.txt'), 'utf8').split('\n').filter((l) => l.length > 0);

test('every line of the real SmartSDR-Win session parses and formats back to the same text', () => {
  for (const line of session) assert.equal(formatLine(parseLine(line)), line);
});

test('the real session holds the prologue and the client udpport command (fixture text)', () => {
  assert.deepEqual(parseLine(session[0] ?? ''), { type: 'version', version: '1.4.0.0' });
  assert.deepEqual(parseLine(session[1] ?? ''), { type: 'handle', handle: 0x10c05077 });
  const udpport = session.map((l) => parseLine(l)).find((l) => l.type === 'command' && l.command.startsWith('client udpport'));
  assert.deepEqual(udpport, { type: 'command', seq: 34, debug: false, command: 'client udpport 4991' });
});

test('reply with an error code and message, as in the fixture (R39|50000029|)', () => {
  assert.deepEqual(parseLine('R39|50000029|'), { type: 'reply', seq: 39, code: 0x50000029, message: '' });
  assert.deepEqual(parseLine('R1|0|model="FLEX-6600"'), { type: 'reply', seq: 1, code: 0, message: 'model="FLEX-6600"' });
  assert.deepEqual(parseLine('R7|50000016|Malformed command|debug text'), {
    type: 'reply', seq: 7, code: 0x50000016, message: 'Malformed command', debug: 'debug text',
  });
});

test('the samples file: the one invalid line is rejected with a DecodeError naming the line type', () => {
  const bad = samples.filter((l) => {
    try {
      assert.equal(formatLine(parseLine(l)), l);
      return false;
    } catch (e) {
      assert.ok(e instanceof DecodeError, String(e));
      assert.equal(e.field, 'line type');
      return true;
    }
  });
  assert.deepEqual(bad, ['This is an invalid line that should cause an error']);
});

test('malformed lines name the field', () => {
  const cases: Array<[string, string]> = [
    ['C|x', 'command sequence'],
    ['Cabc|x', 'command sequence'],
    ['R5', 'reply'],
    ['R5|zz|', 'reply code'],
    ['Sxyz|radio', 'status handle'],
    ['Vbeta', 'version'],
    ['Hnothex', 'client handle'],
  ];
  for (const [line, field] of cases) {
    assert.throws(() => parseLine(line), (e: unknown) => e instanceof DecodeError && e.field === field, line);
  }
});

test('status body: object words, pairs and flags, from real status lines', () => {
  const pan = session.map((l) => parseLine(l)).find((l) => l.type === 'status' && l.body.startsWith('display pan '));
  assert.ok(pan && pan.type === 'status');
  const s = parseStatusBody(pan.body);
  assert.deepEqual(s.object.slice(0, 2), ['display', 'pan']);
  assert.match(s.object[2] ?? '', /^0x4[0-9A-F]{7}$/);
  const st = parseStatusBody('stream 0x04000008 type=dax_rx dax_channel=1 slice=A client_handle=0x3D63A6E7 ip=192.168.10.20');
  assert.deepEqual(st.object, ['stream', '0x04000008']);
  assert.equal(st.fields.get('ip'), '192.168.10.20');
  assert.deepEqual(parseStatusBody('stream 0x84000000 removed').flags, ['removed']);
  const c = parseStatusBody('client 0x10C05077 connected local_ptt=1 program=SmartSDR-Win');
  assert.deepEqual(c.object, ['client', '0x10C05077']);
  assert.deepEqual(c.flags, ['connected']);
});

test('meter definitions use # separators; values from the fixture meters.csv', () => {
  const line = samples.find((l) => l.startsWith('R2|0|meter '));
  assert.ok(line);
  const r = parseLine(line);
  assert.equal(r.type, 'reply');
  const { defs } = parseMeterBody(r.type === 'reply' ? r.message : '');
  const csv = readFileSync(fixture('meters.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  for (const row of csv) {
    const d = defs.find((x) => x.id === Number(row[0]));
    if (!d) continue;
    assert.equal(d.src, row[1]);
    assert.equal(d.nam, row[3]);
    assert.equal(d.low, Number(row[4]));
    assert.equal(d.hi, Number(row[5]));
    assert.equal(d.unit, row[7]);
    assert.equal(d.fps, Number(row[8]));
  }
  assert.equal(defs.length, 25);
  assert.deepEqual(parseMeterBody('meter 5 removed').removed, [5]);
});

test('line splitter handles CR, LF, CRLF, chunk boundaries, NULs and a runaway line', () => {
  const out: string[] = [];
  const sp = new LineSplitter(32);
  sp.push('V1.4.0.0\nH12', (l) => out.push(l));
  sp.push('34\r\nC1|ping\rC2|a\0b\n', (l) => out.push(l));
  let overflow = 0;
  sp.push('x'.repeat(100), (l) => out.push(l), (n) => (overflow = n));
  sp.push('tail', (l) => out.push(l));
  sp.flush((l) => out.push(l));
  assert.deepEqual(out, ['V1.4.0.0', 'H1234', 'C1|ping', 'C2|ab', 'tail']);
  assert.equal(overflow, 100);
});

// Found by `npm run fuzz` (lines, seed 1, input 9759): a 74 kB status line in 1–4-byte TCP segments took
// 3 s because every push rescanned the whole unfinished line; now only the new bytes are scanned.
test('line splitter: a long line in tiny chunks comes out whole, and a runaway one overflows once', () => {
  const long = 'S7F6B5B|stream 0x04000008 type=dax_rx dax_channel=1 ' + 'slice=A '.repeat(7000);
  const out: string[] = [];
  const sp = new LineSplitter();
  const text = long + '\r\nR1|0|\n';
  for (let o = 0; o < text.length; o += 3) sp.push(text.slice(o, o + 3), (l) => out.push(l));
  assert.deepEqual(out, [long, 'R1|0|']);

  const small = new LineSplitter(1000);
  const overflows: number[] = [];
  for (let i = 0; i < 2500; i++) small.push('x', (l) => out.push(l), (n) => overflows.push(n));
  small.push('\nC2|ping\n', (l) => out.push(l), (n) => overflows.push(n));
  // 1001 bytes overflow (dropped), then 1499 more are the start of a new unfinished line: 1001 again, 498 left.
  assert.deepEqual(overflows, [1001, 1001]);
  assert.deepEqual(out.slice(2), ['x'.repeat(498), 'C2|ping']);
});

test('line splitter on bytes: line ends found across chunk boundaries, a UTF-8 character split between two chunks stays whole', () => {
  const out: string[] = [];
  const sp = new LineSplitter(64 * 1024, 'utf8');
  // "radio list … name=Ärger" with the two bytes of Ä (0xC3 0x84) in different TCP segments.
  const text = Buffer.from('C1|ping\r\nradio list name=\u00c4rger\nR1|0|\r', 'utf8');
  const cut = text.indexOf(0xc3) + 1;
  sp.push(text.subarray(0, 8), (l) => out.push(l)); // ends between CR and LF
  sp.push(text.subarray(8, cut), (l) => out.push(l));
  sp.push(text.subarray(cut), (l) => out.push(l));
  assert.deepEqual(out, ['C1|ping', 'radio list name=\u00c4rger', 'R1|0|']);
  // The held bytes are released once the line is out: nothing is left to count.
  assert.equal(sp.heldBytes, 0);
});
