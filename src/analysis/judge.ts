/**
 * Facts → hops → verdict, by the rule table (rules.ts). Each hop is decided by the first rule of its own
 * that matches (blocked and degraded ones tried first, then "not tested", then ok/unknown); the verdict
 * names the first failing hop in path order (DESIGN.md §2), or a verdict rule below decides.
 */
import { oneLine } from '../common/text.js';
import { ADVICE } from './advice.js';
import { FIX_PREFIX } from './rules-local.js';
import { describeHop } from './describe.js';
import { type PathFacts, isDataHop } from './facts.js';
import { HOP_IDS, HOP_PLANE, type Hop, type HopId, type Verdict } from './model.js';
import { NOT_TESTED_RULE, RULES, type Rule, TRUNCATED_RULE, VERDICT_RULES, workingMtuAdvice } from './rules.js';

const failing = (r: Rule): boolean => r.status === 'blocked' || r.status === 'degraded';

/** The rules deciding `hop`, in the order they are tried. */
function rulesFor(hop: HopId): Rule[] {
  const own = RULES.filter((r) => r.hop === hop || r.hop === '*' || (r.hop === 'data:*' && isDataHop(hop)));
  return [...own.filter(failing), NOT_TESTED_RULE, ...own.filter((r) => !failing(r))];
}

export function judgeHop(f: PathFacts, hop: HopId): Hop {
  const own = rulesFor(hop).find((r) => r.when(f, hop));
  // Every hop's rules end in one that always holds; a table without it is a bug the unit tests catch.
  if (!own) throw new Error(`no rule decides ${hop}`);
  // A truncated capture: the hop's own reading stays in the evidence, as read, but decides nothing.
  const cut = own.status !== 'unknown' && TRUNCATED_RULE.when(f, hop);
  const rule = cut ? TRUNCATED_RULE : own;
  const summary = rule.summary(f, hop);
  const asRead = cut ? own.summary(f, hop) : undefined;
  return {
    id: hop,
    plane: HOP_PLANE[hop],
    status: rule.status,
    rule: rule.id,
    evidence: [
      ...(summary !== undefined ? [summary] : []),
      ...(asRead !== undefined ? [`as read (${own.id}): ${asRead}`] : []),
      ...rule.evidence(f, hop),
      ...describeHop(f, hop),
    ],
    ...(rule.cause ? { cause: rule.cause } : {}),
  };
}

function judgeVerdict(f: PathFacts, hops: Hop[]): Verdict {
  const bad = hops.find((h) => h.status === 'blocked') ?? hops.find((h) => h.status === 'degraded');
  if (bad) {
    // Blocked and degraded rules always name a cause (the table test checks it).
    const cause = bad.cause ?? 'udp-blocked-inbound';
    const a = ADVICE[cause];
    // A rule's copy-paste fixes ("fix: …" evidence, filled with this session's addresses and ports) lead the advice.
    const fixes = bad.evidence.filter((l) => l.startsWith(FIX_PREFIX)).map((l) => l.slice(FIX_PREFIX.length));
    // The deciding rule may word the headline closer to its evidence than the cause's title does.
    const rule = RULES.find((r) => r.id === bad.rule);
    const title = rule?.title?.(f, bad.id, hops) ?? a.title;
    // An MTU cause a client MTU step confirmed: the setting that carried the large packets comes first.
    const setting = cause === 'mtu' ? workingMtuAdvice(f) : [];
    return { status: bad.status === 'blocked' ? 'blocked' : 'degraded', hop: bad.id, cause, rule: bad.rule, summary: `${title} (hop ${bad.id}: ${bad.status}).`, advice: [...setting, ...fixes, ...(rule?.advice ?? a.advice)] };
  }
  const rule = VERDICT_RULES.find((r) => r.when(f, hops))!;
  return { status: rule.status, ...(rule.cause ? { cause: rule.cause } : {}), rule: rule.id, summary: rule.summary(f, hops), advice: rule.advice(f, hops) };
}

/**
 * Every hop in path order, then the verdict. `extraEvidence`: a live walk's timed steps, after the judged
 * facts. Evidence and the verdict's words quote capture text and error messages: each is made one
 * printable line here, once, for every report format and the UI.
 */
export function judge(f: PathFacts, extraEvidence: Partial<Record<HopId, string[]>> = {}): { hops: Hop[]; verdict: Verdict } {
  const hops = HOP_IDS.map((id) => judgeHop(f, id));
  for (const h of hops) h.evidence = [...h.evidence, ...(extraEvidence[h.id] ?? [])].map(oneLine);
  const verdict = judgeVerdict(f, hops);
  return { hops, verdict: { ...verdict, summary: oneLine(verdict.summary), advice: verdict.advice.map(oneLine) } };
}
