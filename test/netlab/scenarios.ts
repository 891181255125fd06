/**
 * The lab's scenarios: each a network built with real kernel machinery (nftables, NAT, MTU, tc) and the
 * verdict FlexPath must give for it, with the reasoning that makes that verdict the right one.
 */
import assert from 'node:assert/strict';
import type { AnalysisReport, HopId } from '../../src/analysis/model.js';
import type { Lab } from './lab.js';
import type { Expected, Scenario } from './runner.js';
import { ADDR, PORTS, type WanOptions, lanTopology, radioPublicIp, wanTopology } from './topology.js';

const SMARTLINK_SIM = (o: WanOptions): string[] => ['--broker', '--broker-listen', ADDR.broker, '--public-ip', radioPublicIp(o)];

function hopStatus(r: AnalysisReport, id: HopId): string | undefined {
  return r.hops.find((h) => h.id === id)?.status;
}

/** Client firewalls, as ufw/firewalld/Windows Firewall build them, on the client's input hook. */
const CLIENT_FIREWALL = {
  drop: `
table inet lab {
  counter udp_in { }
  chain input {
    type filter hook input priority filter; policy accept;
    meta l4proto udp counter name "udp_in" drop
  }
}`,
  reject: `
table inet lab {
  counter udp_in { }
  chain input {
    type filter hook input priority filter; policy accept;
    meta l4proto udp counter name "udp_in" reject with icmpx type port-unreachable
  }
}`,
  stateful: `
table inet lab {
  counter udp_in { }
  chain input {
    type filter hook input priority filter; policy drop;
    iifname "lo" accept
    ct state established,related accept
    meta l4proto udp counter name "udp_in"
  }
}`,
} as const;

/** ICMP port-unreachable the radio received (the client's kernel answered its data with it). */
const RADIO_COUNTS_UNREACHABLE = `
table inet count {
  counter unreachable_in { }
  chain input {
    type filter hook input priority filter; policy accept;
    icmp type destination-unreachable icmp code port-unreachable counter name "unreachable_in"
  }
}`;

/** A router firewall that drops ICMP "fragmentation needed": the classic PMTU black hole. */
export const BLACK_HOLE = `
table inet lab {
  counter frag_needed_dropped { }
  chain icmp_filter {
    type filter hook forward priority filter; policy accept;
    icmp type destination-unreachable icmp code 4 counter name "frag_needed_dropped" drop
  }
}`;

function lossOnInet(pct: number, radioIp: string): string {
  // Random loss on the radio's data only: TCP would recover lost segments by retransmission, which shows
  // as round-trip time, not as the loss this scenario is about.
  return `
table inet lab {
  counter lost { }
  chain loss {
    type filter hook forward priority filter; policy accept;
    ip saddr ${radioIp} udp sport ${PORTS.data} numgen random mod 100 < ${pct} counter name "lost" drop
  }
}`;
}

/**
 * A NAT whose UDP mapping is refreshed by outbound packets only (RFC 4787 §4.3 requires outbound
 * refresh; inbound refresh is optional and many home routers lack it), with a 0.5 s lifetime — shorter
 * than FlexLib's 5 s keep-open ping (short, so the silence FlexPath needs, 3 s, comes well before the
 * first ping reopens the mapping). Linux conntrack refreshes on both directions, so the mapping is
 * modelled as a pinhole set that only the client's outbound datagrams renew.
 */
const OUTBOUND_REFRESH_NAT = `
table inet lab {
  set pinholes {
    type ipv4_addr . inet_service
    flags dynamic, timeout
    timeout 500ms
  }
  counter expired { }
  chain pinhole {
    type filter hook forward priority filter; policy accept;
    iifname "lan0" meta l4proto udp update @pinholes { ip saddr . udp sport }
    iifname "wan0" meta l4proto udp ip daddr . udp dport != @pinholes counter name "expired" drop
  }
}`;

function counterAbove(lab: Lab, role: string, name: string, min: number): void {
  const n = lab.counter(role, name);
  assert.ok(n > min, `${role} counter ${name} = ${n}, expected more than ${min}`);
}

const ROUTED: WanOptions = { radioSide: 'none', clientSide: 'none' };

/**
 * The inet → client link shaped by a token bucket (tc tbf) below what the probe needs — about 1.4 Mbit/s,
 * of which 100 × 1464-byte tiles/s alone are 1.17 Mbit/s. The full queue drops what does not fit, the
 * large packets most: loss grows with rate → bandwidth.
 */
function rateLimitScenario(name: string, kbit: number, latencyMs: number, expect: Expected, more: string): Scenario {
  return {
    name,
    why: `A ${kbit} kbit/s token bucket with a ${latencyMs} ms queue on the inet → client link, below the probe’s ≈ 1.4 Mbit/s: loss grows with rate → bandwidth. ${more}`,
    build(lab) {
      wanTopology(lab, ROUTED);
      lab.tc('inet', 'qdisc', 'add', 'dev', 'c0', 'root', 'tbf', 'rate', `${kbit}kbit`, 'burst', '6000', 'latency', `${latencyMs}ms`);
    },
    diagnose: { mode: 'lan', host: ADDR.radio },
    settleS: 4,
    expect,
  };
}
const FORWARDED: WanOptions = { radioSide: 'nat', forward: { tcp: true, udp: true }, clientSide: 'nat' };

/**
 * A client at network_mtu 1500 (`--mtu 1500`, SmartSDR before v4) gets 1464-byte waterfall datagrams;
 * at SmartSDR v4's default 1450 (FlexPath's default `--mtu`) they are 50 bytes smaller, 1414 B.
 */
const WATERFALL_DATAGRAM = { 1500: 1464, 1450: 1414 } as const;

function mtuScenario(mtu: number, blackHole: boolean, clientMtu: 1500 | 1450 = 1500): Scenario {
  const o: WanOptions = { ...ROUTED, mtu };
  const size = WATERFALL_DATAGRAM[clientMtu];
  const fits = size <= mtu;
  return {
    name: `mtu-${mtu}-${blackHole ? 'black-hole' : 'icmp'}${clientMtu === 1500 ? '' : `-client-${clientMtu}`}`,
    why:
      `The inet–cr link has MTU ${mtu}; the client asks for network_mtu ${clientMtu}, so the radio's DF waterfall tiles are ${size} bytes. ` +
      (fits
        ? 'They fit: the same narrow link that breaks a 1500-byte client carries everything for this one — healthy, not mtu.'
        : 'They exceed it; the last tiles, FFT, meters and Opus do not. ' +
          (blackHole
            ? 'The radio’s router drops the ICMP "fragmentation needed" (black hole), so the radio never hears of it. '
            : 'ICMP "fragmentation needed" reaches the radio, which ignores it as a real radio does (DF always). ') +
          'Either way the ICMP goes to the radio, never to the client: the client sees small classes flowing and no waterfall line ever complete — the MTU signature on data:waterfall.'),
    build(lab) {
      wanTopology(lab, o);
      if (blackHole) lab.nft('rr', BLACK_HOLE);
    },
    diagnose: { mode: 'lan', host: ADDR.radio, options: ['--mtu', String(clientMtu)] },
    settleS: 4,
    expect: fits ? { cause: 'healthy' } : { hop: 'data:waterfall', cause: 'mtu' },
    check(lab) {
      if (fits) {
        assert.equal(lab.counter('radio', 'frag_needed_in'), 0, 'nothing was too big for the link');
      } else if (blackHole) {
        counterAbove(lab, 'rr', 'frag_needed_dropped', 0);
        assert.equal(lab.counter('radio', 'frag_needed_in'), 0, 'no ICMP reached the radio through the black hole');
      } else {
        counterAbove(lab, 'radio', 'frag_needed_in', 0);
      }
    },
  };
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'lan-healthy',
    why: 'Radio and client share one subnet with nothing in between: beacons arrive, every class flows.',
    build: lanTopology,
    diagnose: { mode: 'lan', host: ADDR.radio },
    settleS: 4,
    expect: { cause: 'healthy' },
    check(_lab, live) {
      assert.equal(hopStatus(live, 'discovery'), 'ok', 'beacons seen on the same subnet');
    },
  },
  {
    name: 'lan-client-drop',
    why:
      'The client’s firewall silently drops inbound UDP. The radio’s data never reaches any socket: control works, no VITA-49 arrives. The live diagnosis ' +
      'reads the client’s own nftables ruleset and finds the rule that drops the radio’s datagram → udp-return/host-firewall (issue 16); its recording holds ' +
      'only the packets, where nothing distinguishes this from a drop further up the path → udp-return/udp-blocked-inbound.',
    build(lab) {
      lanTopology(lab);
      lab.nft('client', CLIENT_FIREWALL.drop);
    },
    diagnose: { mode: 'lan', host: ADDR.radio },
    settleS: 4,
    expect: { hop: 'udp-return', cause: 'host-firewall' },
    recording: { hop: 'udp-return', cause: 'udp-blocked-inbound' },
    check(lab) {
      counterAbove(lab, 'client', 'udp_in', 100);
    },
  },
  {
    name: 'lan-client-reject',
    why:
      'The client’s firewall rejects inbound UDP with ICMP port-unreachable. That ICMP is generated by the client’s own kernel and sent to the radio: ' +
      'it never passes through a socket FlexPath owns, so the recording cannot see it and can only say udp-return/udp-blocked-inbound; the live diagnosis reads the ' +
      'client’s nftables rule that rejects it → udp-return/host-firewall (issue 16). ' +
      'A capture on the client’s interface (tcpdump, as a support agent would ask for) does show the ICMP, and its analysis must say host-firewall. The radio’s counter proves the ICMP was sent.',
    build(lab) {
      lanTopology(lab);
      lab.nft('client', CLIENT_FIREWALL.reject);
      lab.nft('radio', RADIO_COUNTS_UNREACHABLE);
    },
    diagnose: { mode: 'lan', host: ADDR.radio },
    settleS: 4,
    expect: { hop: 'udp-return', cause: 'host-firewall' },
    recording: { hop: 'udp-return', cause: 'udp-blocked-inbound' },
    wireCapture: { hop: 'udp-return', cause: 'host-firewall' },
    check(lab) {
      counterAbove(lab, 'client', 'udp_in', 100);
      const n = lab.exec('radio', 'nft', ['list', 'counter', 'inet', 'count', 'unreachable_in']);
      assert.match(n, /packets [1-9]/, 'the radio received ICMP port-unreachable');
    },
  },
  {
    name: 'lan-client-stateful',
    why:
      'The client allows only established/related inbound traffic. On a LAN the radio’s data is not a reply to anything the client sent (it comes from port 4993, ' +
      'the client sends nothing to it; reference §8 #7), so conntrack calls it new and the chain policy drops it. Live, FlexPath evaluates the ruleset for a new ' +
      'flow and names the policy → udp-return/host-firewall (issue 16); the recording alone → udp-return/udp-blocked-inbound.',
    build(lab) {
      lanTopology(lab);
      lab.nft('client', CLIENT_FIREWALL.stateful);
    },
    diagnose: { mode: 'lan', host: ADDR.radio },
    settleS: 4,
    expect: { hop: 'udp-return', cause: 'host-firewall' },
    recording: { hop: 'udp-return', cause: 'udp-blocked-inbound' },
    check(lab) {
      counterAbove(lab, 'client', 'udp_in', 100);
    },
  },
  {
    name: 'routed-healthy',
    why: 'Radio and client on different subnets joined by three forwarding routers, no NAT, no filter: every class flows; beacons stay on the radio’s subnet, which is expected.',
    build: (lab) => wanTopology(lab, ROUTED),
    diagnose: { mode: 'lan', host: ADDR.radio },
    settleS: 4,
    expect: { cause: 'healthy' },
    check(_lab, live) {
      assert.equal(hopStatus(live, 'discovery'), 'unknown', 'no beacons across routers, and that is not a fault');
    },
  },
  mtuScenario(1400, false),
  mtuScenario(1400, true),
  mtuScenario(1420, false),
  mtuScenario(1420, true),
  mtuScenario(1420, false, 1450),
  {
    name: 'routed-loss-5',
    why:
      'The internet drops 5 % of the radio’s datagrams at random, whatever their size: every class loses about 5 % → degraded, random-loss, at whichever data ' +
      'class first shows a lost packet (chance; almost always the meters). Never healthy: the path drops packets.',
    build(lab) {
      wanTopology(lab, ROUTED);
      lab.nft('inet', lossOnInet(5, ADDR.radio));
    },
    diagnose: { mode: 'lan', host: ADDR.radio },
    settleS: 6,
    expect: { hop: 'data:*', cause: 'random-loss' },
    check(lab) {
      counterAbove(lab, 'inet', 'lost', 20);
    },
  },
  {
    name: 'routed-loss-1',
    why:
      'The internet drops 1 % of the radio’s datagrams at random: FlexLib lowers a LAN link’s quality on any loss, so the path is degraded, random-loss — ten times ' +
      'the 0.1 % a LAN may lose, ≈ 20 lost of ≈ 2000 packets in 8 s. Which class shows it first is chance. Never healthy: the path drops packets.',
    build(lab) {
      wanTopology(lab, ROUTED);
      lab.nft('inet', lossOnInet(1, ADDR.radio));
    },
    diagnose: { mode: 'lan', host: ADDR.radio },
    settleS: 8,
    expect: { hop: 'data:*', cause: 'random-loss' },
    check(lab) {
      counterAbove(lab, 'inet', 'lost', 5);
    },
  },
  rateLimitScenario('routed-rate-limit', 800, 30, { hop: 'data:meter', cause: 'bandwidth' },
    'The queue is shallow (30 ms): the meters are delayed by varying amounts (jitter ≥ 20 ms) or lose a packet, so the first class in path order, data:meter, is degraded — by the same bottleneck.'),
  rateLimitScenario('routed-rate-limit-bufferbloat', 400, 100, { hop: 'control', cause: 'bandwidth' },
    'The queue is deep (100 ms at 400 kbit/s plus the burst, ≈ 220 ms): every ping waits in it, so the control channel’s average RTT passes FlexLib’s LAN "Poor" 100 ms. The commands are all answered; the round trip is long because of the radio’s own data, so the cause is bandwidth, on the first hop it slows: control.'),
  {
    name: 'nat-client-lan-mode',
    why:
      'The client sits behind a NAT router and talks to the radio directly (LAN mode, no SmartLink): the radio sends its data to the control connection’s source, ' +
      'the router’s public address, port 4991, where no mapping exists — the router drops it. The radio’s `client ip` answer is that public address, not the ' +
      'client’s own: a NAT on a LAN-mode path → udp-return/nat (issue 11).',
    build: (lab) => wanTopology(lab, { radioSide: 'none', clientSide: 'nat' }),
    diagnose: { mode: 'lan', host: ADDR.radio },
    settleS: 4,
    expect: { hop: 'udp-return', cause: 'nat' },
  },
  {
    name: 'smartlink-forwarded',
    why:
      'SmartLink with the radio’s router forwarding TCP 4994 and UDP 4993 to the radio and the client behind its own NAT: the client’s registrations open its NAT, ' +
      'the forward lets them reach the radio, data flows back through both → healthy.',
    build: (lab) => wanTopology(lab, FORWARDED),
    sim: SMARTLINK_SIM(FORWARDED),
    diagnose: { mode: 'smartlink' },
    settleS: 4,
    expect: { cause: 'healthy' },
    check(_lab, live) {
      assert.equal(hopStatus(live, 'radio-forwarding'), 'ok', 'the broker measured both forwarded ports');
    },
  },
  {
    name: 'smartlink-stateful-client',
    why:
      'As smartlink-forwarded, plus a client firewall allowing only established/related traffic: over SmartLink the client registers from its data port to the ' +
      'radio’s public UDP port first, so the radio’s data is a reply conntrack knows → healthy (the contrast with lan-client-stateful).',
    build(lab) {
      wanTopology(lab, FORWARDED);
      lab.nft('client', CLIENT_FIREWALL.stateful);
    },
    sim: SMARTLINK_SIM(FORWARDED),
    diagnose: { mode: 'smartlink' },
    settleS: 4,
    expect: { cause: 'healthy' },
  },
  {
    name: 'smartlink-no-udp-forward',
    why:
      'The radio’s router forwards TCP 4994 but not UDP 4993, while the radio advertises both. The broker’s test_connection, run from the internet, finds the TCP port ' +
      'open and the UDP port dead; FlexLib uses the advertised ports, so the data plane cannot work → radio-forwarding/router-no-forwarding.',
    build: (lab) => wanTopology(lab, { ...FORWARDED, forward: { tcp: true, udp: false } }),
    sim: SMARTLINK_SIM(FORWARDED),
    diagnose: { mode: 'smartlink' },
    settleS: 4,
    expect: { hop: 'radio-forwarding', cause: 'router-no-forwarding' },
    // The client's own udp_register meets the radio router's closed UDP port: ICMP port-unreachable from
    // the radio's public address comes back through the client's NAT (issue 11 class 2).
    wireCapture: { hop: 'radio-forwarding', cause: 'router-no-forwarding' },
  },
  {
    name: 'smartlink-radio-double-nat',
    why:
      'The radio sits behind its own router (forwarding TCP 4994 and UDP 4993) behind an ISP router that does NAT again and forwards nothing. test_connection from the internet ' +
      'finds neither port → radio-forwarding/router-no-forwarding. (That it is a second NAT cannot be told from the client: the radio’s public address is a public one; ' +
      'only a private or CGNAT public_ip reveals double NAT.)',
    build: (lab) => wanTopology(lab, { ...FORWARDED, radioSide: 'double-nat' }),
    sim: SMARTLINK_SIM({ ...FORWARDED, radioSide: 'double-nat' }),
    diagnose: { mode: 'smartlink' },
    settleS: 4,
    expect: { hop: 'radio-forwarding', cause: 'router-no-forwarding' },
  },
  {
    name: 'smartlink-client-double-nat',
    why: 'The client sits behind two NAT routers. Every flow of a SmartLink session starts at the client, so both NATs map it and the replies come back → healthy.',
    build: (lab) => wanTopology(lab, { ...FORWARDED, clientSide: 'double-nat' }),
    sim: SMARTLINK_SIM(FORWARDED),
    diagnose: { mode: 'smartlink' },
    settleS: 4,
    expect: { cause: 'healthy' },
  },
  {
    name: 'smartlink-nat-timeout',
    why:
      'The client’s NAT forgets a UDP mapping 0.5 s after the client last sent on it, and FlexLib keeps it open with a ping only every 5 s: data flows right after ' +
      'registration, then stops while the session goes on → udp-return/udp-blocked-inbound (data stopped: NAT mapping expired).',
    build(lab) {
      wanTopology(lab, FORWARDED);
      lab.nft('cr', OUTBOUND_REFRESH_NAT);
    },
    sim: SMARTLINK_SIM(FORWARDED),
    diagnose: { mode: 'smartlink' },
    settleS: 10,
    expect: { hop: 'udp-return', cause: 'udp-blocked-inbound' },
    check(lab) {
      counterAbove(lab, 'cr', 'expired', 50);
    },
  },
  {
    name: 'smartlink-conntrack-timeout',
    why:
      'The client’s router has conntrack UDP timeouts of 2 s (nf_conntrack_udp_timeout and _stream), shorter than FlexLib’s 5 s ping. Linux refreshes a ' +
      'conntrack entry on packets in either direction, so the radio’s continuous stream itself keeps the mapping alive → healthy.',
    build(lab) {
      wanTopology(lab, FORWARDED);
      lab.sysctl('cr', 'net.netfilter.nf_conntrack_udp_timeout', '2');
      lab.sysctl('cr', 'net.netfilter.nf_conntrack_udp_timeout_stream', '2');
    },
    sim: SMARTLINK_SIM(FORWARDED),
    diagnose: { mode: 'smartlink' },
    settleS: 8,
    expect: { cause: 'healthy' },
  },
];
