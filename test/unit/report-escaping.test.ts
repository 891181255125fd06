/**
 * Capture text cannot drive the reader's terminal or a Markdown/HTML renderer (issue 13): a capture whose
 * radio beacon and file name carry terminal escapes (OSC 0 window title, OSC 52 clipboard, a C1 CSI),
 * a bidi override, a Markdown image/link and HTML is analysed and rendered in every format.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeCaptureFile } from '../../src/analysis/analyze-file.js';
import { buildUdp } from '../../src/capture/build.js';
import { PcapWriter } from '../../src/capture/writer.js';
import { formatReport } from '../../src/report/format.js';
import { PCC, encodePacket, flexHeader } from '../../src/vita/index.js';

const ESC = '\x1b';
const BEL = '\x07';
const MODEL = `FLEX-6600${ESC}]0;pwned-title${BEL}`;
const NICKNAME = `<img/src=x/onerror=alert(1)>[click](https://evil.example/x)${ESC}]52;c;ZXZpbA==${BEL}\u009b31m\u202Egnp.exe`;
const CALLSIGN = '**W1AW**_`x`|y';
const FILE = `cap${ESC}[2J${ESC}]0;t${BEL}.pcap`;

async function hostileReport(): Promise<Awaited<ReturnType<typeof analyzeCaptureFile>>> {
  const dir = mkdtempSync(join(tmpdir(), 'flexpath-escape-'));
  try {
    const beacon = encodePacket({
      kind: 'discovery',
      header: flexHeader(PCC.discovery, 0x800, 0, { packetType: 3 }),
      payload: { tokens: [['model', MODEL], ['serial', '1234-5678-9012-3456'], ['version', '3.9.19.33'], ['nickname', NICKNAME], ['callsign', CALLSIGN], ['ip', '192.168.1.20'], ['port', '4992']] },
    });
    const path = join(dir, FILE);
    const w = new PcapWriter(path);
    w.write(1_700_000_000n * 1_000_000_000n, buildUdp({ src: { ip: '192.168.1.20', port: 4992 }, dst: { ip: '255.255.255.255', port: 4992 }, payload: beacon }));
    await w.close();
    return await analyzeCaptureFile(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** C0 except newline, DEL, C1, and the bidi overrides: nothing a terminal or a viewer would act on. */
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

test('the hostile strings reach the report (so the checks below are not vacuous)', async () => {
  const r = await hostileReport();
  assert.equal(r.source.file, FILE);
  assert.equal(r.radios[0]?.model, MODEL);
  assert.equal(r.radios[0]?.nickname, NICKNAME);
});

test('text: control characters are shown as \\xNN (as tshark does), never sent', async () => {
  const out = formatReport(await hostileReport(), 'text');
  assert.doesNotMatch(out, CONTROL);
  assert.ok(out.includes('FLEX-6600\\x1b]0;pwned-title\\x07'), out);
  assert.ok(out.includes('\\x9b31m\\u{202e}gnp.exe'), out);
  assert.ok(out.includes('cap\\x1b[2J\\x1b]0;t\\x07.pcap'), out);
});

/** Markdown with every code span removed: what a renderer would interpret. */
function outsideCodeSpans(md: string): string {
  return md.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, '');
}

test('Markdown: capture text sits in code spans, so no image, link or HTML renders', async () => {
  const out = formatReport(await hostileReport(), 'md');
  assert.doesNotMatch(out, CONTROL);
  const live = outsideCodeSpans(out);
  for (const bad of ['<img', '](', 'https://evil', '**W1AW**', ESC]) assert.ok(!live.includes(bad), `${bad} outside a code span:\n${live}`);
  // The text is there, literally, for the reader.
  assert.ok(out.includes('<img/src=x/onerror=alert(1)>[click](https://evil.example/x)\\x1b]52;c;ZXZpbA==\\x07'), out);
  // A backtick inside is fenced by a longer run; a pipe inside a table cell is escaped.
  assert.ok(out.includes('``**W1AW**_`x`\\|y``'), out);
});

test('HTML: capture text is escaped, control characters shown as \\xNN', async () => {
  const out = formatReport(await hostileReport(), 'html');
  assert.doesNotMatch(out, CONTROL);
  assert.ok(!out.includes('<img'), 'no live <img>');
  assert.ok(out.includes('&#60;img/src=x/onerror=alert(1)&#62;'), out);
});

test('JSON: the values are exact, and no control character is written raw', async () => {
  const r = await hostileReport();
  const out = formatReport(r, 'json');
  assert.doesNotMatch(out, CONTROL);
  const back = JSON.parse(out) as typeof r;
  assert.equal(back.radios[0]?.nickname, NICKNAME);
  assert.equal(back.source.file, FILE);
});
