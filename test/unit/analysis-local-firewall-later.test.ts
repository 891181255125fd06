/**
 * A host firewall rule that came into force while the session ran (Windows moving the network to the
 * Public profile, a VPN client or security suite loading its rules: reference §12 #2): the data flowed,
 * then stopped, and this computer's firewall — read again after it stopped (walk.ts) — drops the radio's
 * datagram. That is host-firewall, as when no data ever came, not "a NAT mapping or firewall state may
 * have expired". Hand-made facts (test/helpers/facts.ts, local-facts.ts): a healthy LAN whose data
 * stopped after flowing 1.9 s.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PathFacts } from '../../src/analysis/facts.js';
import { judge, judgeHop } from '../../src/analysis/judge.js';
import { healthyLan } from '../helpers/facts.js';
import { localLan, withDrop } from '../helpers/local-facts.js';

const NFT_DROP = { where: 'nftables table inet later chain input', rule: 'ip saddr 192.168.10.27 udp sport 4993 drop', verdict: 'drop' as const, certain: true, handle: 3, chain: { family: 'inet', table: 'later', name: 'input' } };

/** Every class flowed for 1.9 s and has been silent `silentS` while still requested. */
function stopped(silentS: number): PathFacts {
  const f = healthyLan();
  for (const hop of ['data:meter', 'data:panadapter', 'data:waterfall'] as const) f.data[hop] = { ...f.data[hop], stopped: { silentS, flowedS: 1.9 } };
  f.udpReturn = { ...f.udpReturn, stopped: { silentS, flowedS: 1.9 } };
  return f;
}

test('data that flowed and stopped, and a client firewall rule that now drops it: udp-return host-firewall, the rule and the flow named', () => {
  const f = stopped(6.2);
  f.local = withDrop(localLan(), NFT_DROP);
  const h = judgeHop(f, 'udp-return');
  assert.equal(h.rule, 'local-host-firewall');
  assert.equal(h.cause, 'host-firewall');
  assert.match(h.evidence[0] ?? '', /nftables table inet later chain input drops the radio’s UDP .*: ip saddr 192\.168\.10\.27 udp sport 4993 drop \(the data flowed for 1\.9 s, then stopped/);
  assert.ok(h.evidence.some((e) => e.startsWith('fix: sudo nft insert rule inet later input')), h.evidence.join('\n'));
});

test('the same stop with a firewall that drops nothing, or before STOPPED_AFTER_S (3 s), is no host firewall', () => {
  const clean = stopped(6.2);
  clean.local = localLan();
  assert.equal(judgeHop(clean, 'udp-return').rule, 'udp-return-stopped');
  const early = stopped(2.99);
  early.local = withDrop(localLan(), NFT_DROP);
  assert.equal(judgeHop(early, 'udp-return').rule, 'udp-return-ok');
});

test('a rule the evaluator cannot decide, after the data stopped, says "may drop" with the flow named', () => {
  const f = stopped(6.2);
  f.local = withDrop(localLan(), { where: 'Windows Defender Firewall, Public profile', rule: 'default BlockInbound', verdict: 'drop', certain: false });
  const h = judgeHop(f, 'udp-return');
  assert.equal(h.rule, 'local-host-firewall-possible');
  assert.match(h.evidence[0] ?? '', /may drop the radio’s UDP: default BlockInbound \(the data flowed for 1\.9 s, then stopped/);
});

test('the headline says what the rule does: a drop rule drops (no ICMP), and after a flow it says so', () => {
  const f = stopped(6.2);
  f.local = withDrop(localLan(), NFT_DROP);
  assert.match(judge(f).verdict.summary, /^This computer’s firewall drops the radio’s data, after it had flowed \(hop udp-return: blocked\)/);
  const reject = stopped(6.2);
  reject.local = withDrop(localLan(), { ...NFT_DROP, verdict: 'reject' });
  assert.match(judge(reject).verdict.summary, /^This computer’s firewall rejects the radio’s data/);
});
