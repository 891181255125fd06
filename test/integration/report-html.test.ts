/**
 * The HTML report as a customer or an agent sees it: on a 390-px phone (Debian's chromium through
 * Playwright, never a downloaded browser) the page does not scroll sideways and no Markdown backtick
 * shows; printed, it keeps to the page width. Screenshots go to test-results/report-html/ to be looked at.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium } from '@playwright/test';
import { writeEventsCapture } from '../helpers/capture-files.js';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';
import { lanScenario } from '../helpers/scenario.js';

const CHROMIUM = '/usr/bin/chromium';
const missing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed`;
const dir = mkdtempSync(join(tmpdir(), 'flexpath-html-'));
const shots = join(repoRoot, 'test-results', 'report-html');

test('HTML report at 390 px: no sideways scroll, no literal backticks, the ticket facts on top; print fits the page', { skip: missing ?? false, timeout: 60_000 }, async () => {
  // An MTU fault: advice and evidence carry `commands` and long address pairs, the hard case for a phone.
  const file = join(dir, 'mtu.pcapng');
  await writeEventsCapture(file, lanScenario({ mtu: 1340, icmpFragNeeded: 2 }));
  const out = join(dir, 'mtu.html');
  const r = await runCli(['analyze', file, '--format', 'html', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const html = readFileSync(out, 'utf8');
  mkdirSync(shots, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.setContent(html);
    // Expressions as strings: this file is compiled without the DOM library.
    const m = { scroll: await page.evaluate<number>('document.documentElement.scrollWidth'), text: await page.innerText('body') };
    await page.screenshot({ path: join(shots, 'report-390.png'), fullPage: true });
    assert.ok(m.scroll <= 390, `page is ${m.scroll} px wide at a 390-px viewport`);
    assert.ok(!m.text.includes('`'), 'no Markdown backtick in the rendered text');
    assert.match(m.text, /Started\s+2023-11-14 22:13:20 UTC/, 'capture start in UTC (lanScenario starts at 1 700 000 000 s)');
    assert.match(m.text, /FlexPath\s+\d+\.\d+\.\d+/);
    assert.match(m.text, /Waterfall/);
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 700, height: 1000 });
    const printed = await page.evaluate<number>('document.documentElement.scrollWidth');
    assert.ok(printed <= 700, `printed page is ${printed} px wide on a 700-px sheet`);
    await page.pdf({ path: join(shots, 'report.pdf'), format: 'A4' });
  } finally {
    await browser.close();
  }
});
