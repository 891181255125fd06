/**
 * The ticket report's text and Markdown: the facts a ticket keeps (capture start in UTC, duration,
 * FlexPath version), readable hop names, and every evidence line of an ok hop — two radios' beacons are
 * two lines, not one. Built from the real FLEX-6700 beacon datagram (test/fixtures/shared) sent from two
 * addresses, so the expected lines come from the construction.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import { formatMarkdown, formatText } from '../../src/report/format.js';
import { fixture } from '../helpers/paths.js';

const beacon = readFileSync(fixture('flex6700-discovery-datagram.bin'));

function twoRadios(): ReturnType<Analyzer['report']> {
  const a = new Analyzer();
  const t0 = 1_750_000_000; // 2025-06-15T15:06:40Z
  for (let i = 0; i < 10; i++) {
    for (const ip of ['192.168.1.10', '192.168.1.11']) {
      a.feed({ type: 'udp', ts: t0 + i, src: { ip, port: 4992 }, dst: { ip: '255.255.255.255', port: 4992 }, payload: beacon });
    }
  }
  a.finish();
  return a.report({ file: 'two-radios.pcapng', packets: 20, bytes: 20 * beacon.length, durationS: 9 });
}

test('text report: ticket facts on top, readable hop names, every evidence line of an ok hop', () => {
  const text = formatText(twoRadios());
  assert.match(text, /^Started: +2025-06-15 15:06:40 UTC$/m);
  assert.match(text, /^Duration: +9\.0 s — 20 packets/m);
  assert.match(text, /^FlexPath: +\d+\.\d+\.\d+/m);
  assert.match(text, /^ {2}OK {7}Discovery \(LAN beacons\) +10 beacons from 192\.168\.1\.10:4992 over 9\.0 s$/m);
  assert.match(text, /^ {3,}10 beacons from 192\.168\.1\.11:4992 over 9\.0 s$/m, 'the second radio is not dropped');
  assert.match(text, /Panadapter \(FFT\)/);
});

test('Markdown report: the same facts, hops as "name (id)"', () => {
  const md = formatMarkdown(twoRadios());
  assert.match(md, /^- \*\*Started:\*\* 2025-06-15 15:06:40 UTC$/m);
  assert.match(md, /^\| Discovery \(LAN beacons\) \(discovery\) \| OK \| .*192\.168\.1\.10.*192\.168\.1\.11/m);
});

test('a redacted report says so at the top of text and Markdown', () => {
  const r = { ...twoRadios(), redacted: 'public IP addresses, serials and callsigns are replaced' };
  assert.match(formatText(r), /^REDACTED: public IP addresses/m);
  assert.match(formatMarkdown(r), /^> \*\*Redacted:\*\* `public IP addresses/m);
});
