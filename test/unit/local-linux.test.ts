/**
 * The Linux local checks: on this machine for real (its own sockets, loopback, /sys), and the firewall
 * evaluators on rulesets whose verdict for a datagram is worked out by hand from the rule text.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { classify, inCidr, maskToPrefix } from '../../src/local/address.js';
import { gatherLocalFacts } from '../../src/local/gather.js';
import { iptablesDrops } from '../../src/local/iptables.js';
import { type LinuxSys, linuxProbe, parseProcNetUdp, realLinuxSys } from '../../src/local/linux.js';
import { nftDrops } from '../../src/local/nft.js';
import type { RadioDatagram } from '../../src/local/types.js';
import { parseUfwStatus, ufwDrops } from '../../src/local/ufw.js';
import { repoRoot } from '../helpers/paths.js';

const linux = process.platform === 'linux' ? undefined : 'Linux only';
const sample = (p: string): string => readFileSync(join(repoRoot, 'test', 'fixtures', 'local', p), 'utf8');

test('address classes: private, CGNAT vs Tailscale, IPv6 ranges', () => {
  assert.equal(classify('192.168.1.5'), 'private');
  assert.equal(classify('172.31.255.255'), 'private');
  assert.equal(classify('172.32.0.1'), 'public');
  // 100.64.0.0/10 spans 100.64.0.0–100.127.255.255.
  assert.equal(classify('100.64.0.1'), 'cgnat');
  assert.equal(classify('100.127.255.254'), 'cgnat');
  assert.equal(classify('100.128.0.1'), 'public');
  assert.equal(classify('100.63.255.255'), 'public');
  assert.equal(classify('100.101.102.103', { iface: 'tailscale0' }), 'tailscale');
  assert.equal(classify('100.101.102.103', { iface: 'utun3', kind: 'vpn', tailnet: true }), 'tailscale');
  assert.equal(classify('100.101.102.103', { iface: 'wwan0', kind: 'other' }), 'cgnat');
  assert.equal(classify('192.0.0.7'), 'cgnat');
  assert.equal(classify('192.0.0.8'), 'public');
  assert.equal(classify('fd7a:115c:a1e0::1'), 'tailscale');
  assert.equal(classify('fd00::1'), 'ula');
  assert.equal(classify('fe80::1'), 'link-local');
  assert.equal(classify('2001:db8::1'), 'public');
  assert.equal(inCidr('::ffff:10.1.2.3', '::ffff:10.0.0.0/104'), true);
  assert.equal(maskToPrefix('255.255.240.0'), 20);
  assert.equal(maskToPrefix('255.0.255.0'), undefined);
});

test('/proc/net/udp lines decode to address, port and inode', () => {
  const v4 = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n' +
    '  123: 0100007F:1370 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 4242 2 0000000000000000 0\n' +
    '  124: 00000000:137F 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 99 2 0000000000000000 0\n';
  // 0x1370 = 4976, 0x137F = 4991; 0100007F little-endian = 127.0.0.1.
  assert.deepEqual(parseProcNetUdp(v4, false), [
    { local: '127.0.0.1', port: 4976, inode: 4242 },
    { local: '0.0.0.0', port: 4991, inode: 99 },
  ]);
  const v6 = 'header\n   5: 00000000000000000000000001000000:137F 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 77 2 0 0\n' +
    '   6: 00000000000000000000000000000000:1381 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 78 2 0 0\n';
  assert.deepEqual(parseProcNetUdp(v6, true), [
    { local: '::1', port: 4991, inode: 77 },
    { local: '::', port: 4993, inode: 78 },
  ]);
});

test('linux, for real: our own UDP socket is found and named, loopback route and MTU', { skip: linux }, async () => {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const port = s.address().port;
  try {
    const facts = await gatherLocalFacts(linuxProbe(), { radio: '127.0.0.1', bound: { ip: '127.0.0.1', port } });
    assert.ok(facts.ports.checked);
    const mine = facts.ports.list.filter((p) => p.port === port);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]?.pid, process.pid);
    assert.equal(mine[0]?.ours, true);
    assert.equal(mine[0]?.program, readFileSync('/proc/self/comm', 'utf8').trim());
    assert.ok(facts.route.checked, facts.route.checked ? '' : facts.route.reason);
    assert.equal(facts.route.value.interface, 'lo');
    assert.ok(facts.interfaces.checked);
    const lo = facts.interfaces.list.find((i) => i.name === 'lo');
    assert.equal(lo?.kind, 'loopback');
    assert.equal(lo?.mtu, Number(readFileSync('/sys/class/net/lo/mtu', 'utf8')));
    assert.equal(facts.bound?.interface, 'lo');
    assert.deepEqual(facts.datagram, { src: '127.0.0.1', sport: 4993, dst: '127.0.0.1', dport: port, iface: 'lo' });
  } finally {
    s.close();
  }
});

test('linux: a process we may not read is "needs root to name the program"; tools refusing say needs admin', async () => {
  const sys: LinuxSys = {
    ...realLinuxSys,
    pid: 1,
    readFile: async (p) => {
      if (p === '/proc/net/udp') return 'h\n 1: 00000000:137F 00000000:0000 07 0:0 0:0 0 1000 0 555 2 0 0\n';
      throw new Error('ENOENT');
    },
    readdir: async (p) => {
      if (p === '/proc') return ['1', '4321'];
      throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
    },
    run: async () => ({ code: 1, stdout: '', stderr: 'Error: Could not process rule: Operation not permitted', missing: false }),
  };
  const p = linuxProbe(sys);
  const ports = await p.udpPorts([4991]);
  assert.ok(ports.checked);
  assert.deepEqual(ports.list, [{ port: 4991, local: '0.0.0.0', unnamed: 'needs root to name the program', ours: false }]);
  const fw = await p.firewalls({ src: '10.0.0.2', sport: 4993, dst: '10.0.0.3', dport: 4991 });
  assert.deepEqual(fw[0], { tool: 'nftables', checked: false, reason: 'not checked (needs admin)' });
});

const PKT: RadioDatagram = { src: '198.18.1.10', sport: 4993, dst: '198.18.1.20', dport: 4991, iface: 'lan0' };

test('nftables: rules of the sample ruleset, each decided for the radio datagram', () => {
  const json = JSON.parse(sample('linux/nft-ruleset.json')) as unknown;
  const text = sample('linux/nft-ruleset.txt');
  // Rule handle 6 accepts exactly 198.18.1.10:4993 → :4991 (ct state established is not NEW).
  assert.deepEqual(nftDrops(json, PKT, text).drops, []);
  // To another local port: handle 8 drops (source 198.18.0.0/15 in the set, sport in 4990-4999).
  const other = nftDrops(json, { ...PKT, dport: 5000 }, text);
  assert.equal(other.drops.length, 1);
  assert.equal(other.drops[0]?.handle, 8);
  assert.equal(other.drops[0]?.rule, 'ip saddr { 10.0.0.0/8, 198.18.0.0/15 } udp sport 4990-4999 counter packets 0 bytes 0 drop');
  assert.equal(other.drops[0]?.where, 'nftables table inet lab chain input');
  assert.equal(other.drops[0]?.certain, true);
  // From 192.0.2.7:5001: not handle 8 (neither in the set nor the port range), handle 9 drops all UDP.
  const nine = nftDrops(json, { ...PKT, src: '192.0.2.7', sport: 5001 }, text);
  assert.equal(nine.drops[0]?.handle, 9);
  assert.equal(nine.drops[0]?.rule, 'meta l4proto udp counter name "udp_in" drop');
  // Without the text listing the rule is still named, rendered from the JSON.
  assert.equal(nftDrops(json, { ...PKT, src: '192.0.2.7', sport: 5001 }).drops[0]?.rule, 'meta l4proto udp counter name "udp_in" drop');
});

test('nftables: policy drop, jump into a user chain, an undecidable rule, iifname', () => {
  const chain = (policy: string, rules: unknown[][], extra: unknown[] = []) => ({
    nftables: [
      { chain: { family: 'inet', table: 'f', name: 'input', type: 'filter', hook: 'input', prio: 0, policy } },
      { chain: { family: 'inet', table: 'f', name: 'sub' } },
      ...rules.map((expr, i) => ({ rule: { family: 'inet', table: 'f', chain: 'input', handle: 10 + i, expr } })),
      ...extra,
    ],
  });
  const ct = { match: { op: 'in', left: { ct: { key: 'state' } }, right: ['established', 'related'] } };
  // Stateful firewall, nothing for the radio: the policy drops it (reference §8 #7).
  const stateful = nftDrops(chain('drop', [[ct, { accept: null }]]), PKT);
  assert.equal(stateful.drops[0]?.rule, 'policy drop (no rule accepted the datagram)');
  // On SmartLink the client's registrations opened the flow: the same ruleset lets it in.
  assert.deepEqual(nftDrops(chain('drop', [[ct, { accept: null }]]), { ...PKT, flow: 'established' }).drops, []);
  // A jump into a chain whose rule drops 100.64/10 from other adapters does not touch 198.18.1.10 …
  const ts = { rule: { family: 'inet', table: 'f', chain: 'sub', handle: 30, expr: [{ match: { op: '==', left: { payload: { protocol: 'ip', field: 'saddr' } }, right: { prefix: { addr: '100.64.0.0', len: 10 } } } }, { match: { op: '!=', left: { meta: { key: 'iifname' } }, right: 'tailscale0' } }, { drop: null }] } };
  assert.deepEqual(nftDrops(chain('accept', [[{ jump: { target: 'sub' } }]], [ts]), PKT).drops, []);
  // … but drops a 100.x radio arriving on lan0 (Tailscale's rule, tailscale#12829), and not on tailscale0.
  const cg = { ...PKT, src: '100.70.1.1' };
  assert.equal(nftDrops(chain('accept', [[{ jump: { target: 'sub' } }]], [ts]), cg).drops[0]?.handle, 30);
  assert.deepEqual(nftDrops(chain('accept', [[{ jump: { target: 'sub' } }]], [ts]), { ...cg, iface: 'tailscale0' }).drops, []);
  // A named-set lookup cannot be decided: the drop is reported, marked uncertain.
  const setDrop = [{ match: { op: '==', left: { payload: { protocol: 'ip', field: 'saddr' } }, right: '@blocklist' } }, { drop: null }];
  const u = nftDrops(chain('accept', [setDrop]), PKT);
  assert.equal(u.drops[0]?.certain, false);
  // A TCP match never applies to UDP, even negated.
  const tcp = [{ match: { op: '!=', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: 22 } }, { drop: null }];
  assert.deepEqual(nftDrops(chain('accept', [tcp]), PKT).drops, []);
  // An "ip6" table never sees this IPv4 datagram.
  const v6only = { nftables: [{ chain: { family: 'ip6', table: 'f', name: 'input', type: 'filter', hook: 'input', prio: 0, policy: 'drop' } }] };
  assert.equal(nftDrops(v6only, PKT).filterChains, 0);
});

test('iptables-save: INPUT with user chain, ranges and policy', () => {
  const save = [
    '*filter',
    ':INPUT DROP [0:0]',
    ':FORWARD DROP [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':radio - [0:0]',
    '-A INPUT -i lo -j ACCEPT',
    '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    '-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT',
    '-A INPUT -s 198.18.1.0/24 -p udp -j radio',
    '-A radio -p udp -m udp --sport 4990:4999 --dport 5000 -j ACCEPT',
    '-A radio -p udp -m udp --sport 4993 -m comment --comment "no radio" -j REJECT --reject-with icmp-port-unreachable',
    'COMMIT',
  ].join('\n');
  const r = iptablesDrops(save, PKT);
  assert.equal(r.drops.length, 1);
  assert.equal(r.drops[0]?.rule, '-A radio -p udp -m udp --sport 4993 -m comment --comment "no radio" -j REJECT --reject-with icmp-port-unreachable');
  assert.equal(r.drops[0]?.verdict, 'reject');
  // An established flow is accepted by the conntrack rule before anything else.
  assert.deepEqual(iptablesDrops(save, { ...PKT, flow: 'established' }).drops, []);
  // To port 5000 the user chain accepts first.
  assert.deepEqual(iptablesDrops(save, { ...PKT, dport: 5000 }).drops, []);
  // From outside 198.18.1.0/24 nothing accepts: the INPUT policy DROP decides.
  assert.equal(iptablesDrops(save, { ...PKT, src: '10.9.9.9' }).drops[0]?.rule, ':INPUT DROP (chain policy: no rule accepted the datagram)');
  // Negated source: "! -s 198.18.1.0/24 -j DROP" spares the radio.
  assert.deepEqual(iptablesDrops('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT ! -s 198.18.1.0/24 -j DROP\nCOMMIT\n', PKT).drops, []);
});

test('ufw status verbose: first matching rule, else the default incoming policy', () => {
  const text = [
    'Status: active',
    'Logging: on (low)',
    'Default: deny (incoming), allow (outgoing), disabled (routed)',
    'New profiles: skip',
    '',
    'To                         Action      From',
    '--                         ------      ----',
    '22/tcp                     ALLOW IN    Anywhere',
    '4991/udp                   ALLOW IN    192.168.1.0/24',
    '22/tcp (v6)                ALLOW IN    Anywhere (v6)',
  ].join('\n');
  const st = parseUfwStatus(text);
  assert.ok(st);
  assert.equal(st.active, true);
  assert.equal(st.incoming, 'deny');
  assert.equal(st.rules.length, 3);
  // 198.18.1.10 is not in 192.168.1.0/24: only the default denies.
  assert.deepEqual(ufwDrops(st, PKT).map((d) => d.rule), ['default deny (incoming)']);
  // From inside the allowed network, rule 2 lets it in.
  assert.deepEqual(ufwDrops(st, { ...PKT, src: '192.168.1.50' }), []);
  // Loopback is accepted by ufw's before.rules, ahead of the listing.
  assert.deepEqual(ufwDrops(st, { ...PKT, src: '127.0.0.1', dst: '127.0.0.1', iface: 'lo' }), []);
  const inactive = parseUfwStatus('Status: inactive\n');
  assert.deepEqual(inactive && ufwDrops(inactive, PKT), []);
});
