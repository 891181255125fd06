/**
 * Hand-made facts about this computer's side (src/local/types.ts) for the rule tests: the LAN client of
 * test/helpers/facts.ts healthyLan() — 192.168.10.20 on eth0, radio 192.168.10.27 — with nothing wrong,
 * which each test bends.
 */
import type { FirewallHit, LocalFacts } from '../../src/local/types.js';

export function localLan(): LocalFacts {
  return {
    os: 'linux',
    ts: 1_700_000_001,
    radio: '192.168.10.27',
    route: { checked: true, value: { to: '192.168.10.27', interface: 'eth0', source: '192.168.10.20' } },
    bound: { ip: '0.0.0.0', port: 4991 },
    controlSource: '192.168.10.20',
    interfaces: {
      checked: true,
      list: [
        { name: 'lo', kind: 'loopback', mtu: 65536, up: true, addresses: [{ ip: '127.0.0.1', family: 4, prefix: 8, class: 'loopback' }] },
        { name: 'eth0', kind: 'ethernet', mtu: 1500, up: true, addresses: [{ ip: '192.168.10.20', family: 4, prefix: 24, class: 'private' }] },
      ],
    },
    ports: { checked: true, list: [{ port: 4991, local: '0.0.0.0', pid: 4242, program: 'node', ours: true }] },
    datagram: { src: '192.168.10.27', sport: 4993, dst: '192.168.10.20', dport: 4991, iface: 'eth0' },
    firewalls: [{ tool: 'nftables', checked: true, value: { tool: 'nftables', drops: [], notes: [] } }],
  };
}

/** The nftables answer with this drop in it. */
export function withDrop(l: LocalFacts, hit: FirewallHit): LocalFacts {
  return { ...l, firewalls: [{ tool: 'nftables', checked: true, value: { tool: 'nftables', drops: [hit], notes: [] } }] };
}
