/**
 * Oracle-free checks of one AnalysisReport as support staff read it: every format (text, Markdown, HTML,
 * JSON) says the same verdict, hop, cause and deciding rule; the hop table marks the verdict's hop as
 * failing (and none when healthy); the figures printed agree with each other and with arithmetic; no
 * NaN/undefined/null reaches the page. Each check returns the problems it found (empty = consistent), so
 * a test over many scenarios can tally them and print a reproducer for the first.
 */
import { type AnalysisReport, HOP_IDS, type Hop } from '../../src/analysis/model.js';
import { HOP_LABEL } from '../../src/hop-label.js';
import { formatReport } from '../../src/report/format.js';
import { triageRow } from '../../src/report/triage.js';

export type Formats = Record<'text' | 'md' | 'html' | 'json', string>;

export function allFormats(r: AnalysisReport): Formats {
  return { text: formatReport(r, 'text'), md: formatReport(r, 'md'), html: formatReport(r, 'html'), json: formatReport(r, 'json') };
}

/** The marks the contract shows for a hop status (README: text/Markdown/HTML hop tables). */
const MARK: Record<Hop['status'], string> = { ok: 'OK', degraded: 'DEGRADED', blocked: 'BLOCKED', unknown: '—' };

/** HTML to the text a reader sees: tags dropped, the five escapes htmlText writes decoded. */
function htmlToText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

/** `HEALTHY`, `DEGRADED at data:meter (random-loss)`: the verdict line as printed, read back. */
function parseVerdictLine(line: string): { status: string; hop?: string; cause?: string } | undefined {
  const m = /^([A-Z]+)(?: at ([\w:-]+))?(?: \(([\w-]+)\))?$/.exec(line.trim());
  if (!m) return undefined;
  return { status: m[1]!.toLowerCase(), ...(m[2] ? { hop: m[2] } : {}), ...(m[3] ? { cause: m[3] } : {}) };
}

/** The verdict, hop, cause and rule each format prints agree with the JSON's. */
export function verdictAgrees(r: AnalysisReport, f: Formats): string[] {
  const bad: string[] = [];
  const v = r.verdict;
  const want = { status: v.status, ...(v.hop ? { hop: v.hop } : {}), ...(v.cause && v.cause !== 'healthy' ? { cause: v.cause } : {}) };
  const lines: Record<string, string | undefined> = {
    text: /^VERDICT: (.*)$/m.exec(f.text)?.[1],
    md: /^\*\*Verdict: (.*?)\*\*/m.exec(f.md)?.[1],
    html: /<strong>Verdict: (.*?)<\/strong>/.exec(f.html)?.[1],
  };
  for (const [fmt, line] of Object.entries(lines)) {
    const got = line === undefined ? undefined : parseVerdictLine(htmlToText(line));
    if (JSON.stringify(got) !== JSON.stringify(want)) bad.push(`${fmt} verdict line '${line}' ≠ JSON ${JSON.stringify(want)}`);
  }
  const json = JSON.parse(f.json) as AnalysisReport;
  if (JSON.stringify(json) !== JSON.stringify(r)) bad.push('JSON format does not parse back to the report');
  const plain = { text: f.text.replace(/`/g, ''), md: f.md.replace(/`/g, ''), html: htmlToText(f.html) };
  for (const [fmt, s] of Object.entries(plain)) {
    if (!s.includes(`decided by ${v.rule}`)) bad.push(`${fmt} does not say 'decided by ${v.rule}'`);
    if (!s.includes(v.summary.replace(/`/g, ''))) bad.push(`${fmt} does not carry the summary`);
    for (const a of v.advice) if (!s.includes(a.replace(/`/g, ''))) bad.push(`${fmt} lacks the advice '${a}'`);
  }
  return bad;
}

const failing = (h: Hop): boolean => h.status === 'blocked' || h.status === 'degraded';

/**
 * The verdict and the hop table never contradict: healthy ⇔ no hop failing; a blocked/degraded verdict
 * names a hop the table marks with that very status and cause; any `hop <id>: <status>` the summary or
 * advice mentions is what the table says; each format's table row shows the JSON's status.
 */
export function hopsAgree(r: AnalysisReport, f: Formats): string[] {
  const bad: string[] = [];
  const v = r.verdict;
  const failed = r.hops.filter(failing);
  if (v.status === 'healthy' && failed.length > 0) bad.push(`healthy verdict but hops ${failed.map((h) => `${h.id}=${h.status}`).join(', ')}`);
  if ((v.status === 'blocked' || v.status === 'degraded') && failed.length === 0) bad.push(`${v.status} verdict but no hop is marked failing`);
  if (v.status === 'blocked' || v.status === 'degraded') {
    const h = r.hops.find((x) => x.id === v.hop);
    if (!h) bad.push(`${v.status} verdict names hop '${v.hop}', not in the table`);
    else {
      if (h.status !== v.status) bad.push(`verdict ${v.status} at ${h.id}, whose row says ${h.status}`);
      if (h.cause !== v.cause) bad.push(`verdict cause ${v.cause} at ${h.id}, whose row's cause is ${h.cause}`);
    }
  }
  if (v.status === 'blocked' && !failed.some((h) => h.status === 'blocked')) bad.push('blocked verdict, no hop blocked');
  for (const s of [v.summary, ...v.advice]) {
    for (const m of s.matchAll(/\bhop ([\w:-]+): (ok|degraded|blocked|unknown)\b/g)) {
      const h = r.hops.find((x) => x.id === m[1]);
      if (h?.status !== m[2]) bad.push(`'${m[0]}' in the verdict, table says ${h?.status ?? 'no such hop'}`);
      if (m[1] !== v.hop) bad.push(`'${m[0]}' in the verdict names another hop than the verdict's ${v.hop}`);
    }
  }
  const textLines = f.text.split('\n');
  const html = f.html;
  for (const h of r.hops) {
    const label = HOP_LABEL[h.id];
    if (!textLines.some((l) => l.startsWith(`  ${MARK[h.status].padEnd(8)} ${label}`))) bad.push(`text row of ${h.id} does not show ${MARK[h.status]}`);
    if (!f.md.includes(`| ${label} (${h.id}) | ${MARK[h.status]} |`)) bad.push(`md row of ${h.id} does not show ${MARK[h.status]}`);
    const row = new RegExp(`<span class="id">${h.id}</span></td><td><span class="st"[^>]*>([^<]*)</span>`).exec(html);
    if (row?.[1] !== MARK[h.status]) bad.push(`html row of ${h.id} shows ${row?.[1]}, JSON ${h.status}`);
  }
  for (const id of r.hops.map((h) => h.id)) if (!HOP_IDS.includes(id)) bad.push(`unknown hop id ${id}`);
  return bad;
}

/** Printed values nobody should ever see: NaN, undefined, null, Infinity, an object's default string. */
const JUNK = /\bNaN\b|\bundefined\b|\bnull\b|Infinity|\[object /;

/** Every percentage in every format lies in [0, 100]; no junk values; the JSON holds no null (NaN's JSON). */
export function figuresSane(f: Formats): string[] {
  const bad: string[] = [];
  for (const [fmt, s] of Object.entries(f)) {
    const plain = fmt === 'html' ? htmlToText(s) : s;
    const junk = JUNK.exec(fmt === 'json' ? s.replace(/"[^"]*":/g, '') : plain);
    if (junk) bad.push(`${fmt}: '${junk[0]}' in '${plain.slice(Math.max(0, junk.index - 60), junk.index + 30)}'`);
    for (const m of plain.matchAll(/(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s?%/g)) {
      const p = Number(m[1]);
      if (!(p >= 0 && p <= 100)) bad.push(`${fmt}: percentage ${m[0]}`);
    }
  }
  return bad;
}

/** `P` as printed is lost / (packets + lost) to its printed precision; else what is wrong. */
function pct(s: string, lost: number, pkts: number): string | undefined {
  const decimals = s.split('.')[1]?.length ?? 0;
  const want = pkts + lost === 0 ? 0 : (100 * lost) / (pkts + lost);
  return Math.abs(Number(s) - want) <= 0.5 * 10 ** -decimals + 1e-9 ? undefined : `${s} % printed, ${want.toFixed(3)} % = ${lost}/(${pkts}+${lost})`;
}

/**
 * The stream table and the evidence agree: the text's row per stream shows the JSON's packets and lost;
 * an evidence line about a stream (`<id> <src> → <dst>: N pkts, …, lost L (P %)`) shows the same N and L,
 * and P is L / (N + L) to the printed precision.
 */
export function streamsAgree(r: AnalysisReport, f: Formats): string[] {
  const bad: string[] = [];
  const textLines = f.text.split('\n');
  for (const s of r.streams) {
    if (!(s.lost >= 0 && s.packets >= 0 && Number.isInteger(s.lost) && Number.isInteger(s.packets))) bad.push(`${s.id}: packets ${s.packets}, lost ${s.lost}`);
    const row = textLines.find((l) => l.trimStart().startsWith(`${s.kind} `) && l.includes(` ${s.id} `) && l.includes(`${s.src} → ${s.dst}`));
    if (!row) bad.push(`text has no stream row for ${s.id}`);
    else {
      // Columns after 'from → to': pkts, pkt/s, lost.
      const after = row.slice(row.indexOf(`${s.src} → ${s.dst}`) + `${s.src} → ${s.dst}`.length).trim().split(/\s+/);
      if (after[0] !== String(s.packets) || after[2] !== String(s.lost)) bad.push(`text row of ${s.id}: pkts ${after[0]} lost ${after[2]}, JSON ${s.packets}/${s.lost}`);
    }
    for (const h of r.hops) {
      for (const e of h.evidence) {
        if (!e.startsWith(`${s.id} ${s.src} → ${s.dst}:`)) continue;
        const n = /: (\d+) pkts/.exec(e)?.[1];
        if (n !== String(s.packets)) bad.push(`${h.id} evidence says ${n} pkts for ${s.id}, table ${s.packets}`);
        const l = /lost (\d+) \(([\d.]+) %\)/.exec(e);
        if (l) {
          if (l[1] !== String(s.lost)) bad.push(`${h.id} evidence says lost ${l[1]} for ${s.id}, table ${s.lost}`);
          const p = pct(l[2]!, s.lost, s.packets);
          if (p) bad.push(`${h.id} evidence of ${s.id}: ${p}`);
        }
      }
    }
  }
  return bad;
}

/** A class hop's `P % lost` headline line agrees with its only stream's figures in the stream table. */
export function headlineLossAgrees(r: AnalysisReport): string[] {
  const bad: string[] = [];
  for (const h of r.hops) {
    const head = /^([\d.]+) % lost\b/.exec(h.evidence[0] ?? '');
    const kind = h.id.startsWith('data:') ? h.id.slice(5) : undefined;
    const mine = r.streams.filter((s) => s.kind === kind);
    if (head && mine.length === 1) {
      const p = pct(head[1]!, mine[0]!.lost, mine[0]!.packets);
      if (p) bad.push(`${h.id} headline: ${p}`);
    }
  }
  return bad;
}

/** The triage row of this report (`flexpath analyze a b`) says what the full report says. */
export function triageAgrees(r: AnalysisReport, f: Formats): string[] {
  const bad: string[] = [];
  const row = triageRow({ name: 'x.pcapng', ok: true, report: r });
  const v = r.verdict;
  if (row.verdict !== v.status) bad.push(`triage verdict ${row.verdict}, report ${v.status}`);
  if (row.hop !== (v.hop ?? '')) bad.push(`triage hop ${row.hop}, report ${v.hop}`);
  if (row.cause !== (v.cause && v.cause !== 'healthy' ? v.cause : '')) bad.push(`triage cause ${row.cause}, report ${v.cause}`);
  if (!f.text.includes(row.figure)) bad.push(`triage figure '${row.figure}' is not in the text report`);
  // The figure is the fact that decided: for a failing verdict, what the text report's row of that hop
  // shows beside its status mark (the deciding fact first, model.ts Hop.evidence).
  const h = r.hops.find((x) => x.id === v.hop);
  if (h && failing(h)) {
    const rowLine = f.text.split('\n').find((l) => l.startsWith(`  ${MARK[h.status].padEnd(8)} ${HOP_LABEL[h.id]}`));
    if (!rowLine?.endsWith(` ${row.figure}`)) bad.push(`triage figure '${row.figure}' is not what the report's ${h.id} row shows: '${rowLine}'`);
  }
  return bad;
}
