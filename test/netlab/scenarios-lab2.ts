/**
 * The same faults on networks the other scenarios do not build: a stop of every stream that recurs (a
 * link that flaps), a tunnel whose encapsulation, not an interface setting, makes the path MTU, a rate
 * limit on the radio's own uplink behind SmartLink, and a client firewall that starts dropping the data
 * mid-session, and a client on an IPv6-only network. Every expectation comes from the construction.
 */
import assert from 'node:assert/strict';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { Lab } from './lab.js';
import type { Scenario } from './runner.js';
import { BLACK_HOLE } from './scenarios.js';
import { COUNT_RADIO_DATA, FLOWING, until } from './scenarios-outage.js';
import { ADDR, PORTS, type WanOptions, radioPublicIp, lanTopology, wanTopology } from './topology.js';

const ROUTED: WanOptions = { radioSide: 'none', clientSide: 'none' };
const FORWARDED: WanOptions = { radioSide: 'nat', forward: { tcp: true, udp: true }, clientSide: 'nat' };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const BURST = `
table inet burst {
  chain cut {
    type filter hook forward priority filter - 10; policy accept;
    ip saddr ${ADDR.radio} udp sport ${PORTS.data} drop
  }
}`;

const BURST_MS = 200;
const BURST_EVERY_MS = 2000;
const BURSTS = 5;

function flappingLink(): Scenario {
  const bursts = { started: 0, ended: 0 };
  let atCheck = { started: 0, ended: 0 };
  const checkReport = (what: string, r: AnalysisReport): void => {
    const o = r.outages ?? [];
    // The diagnosis ends while the bursts go on: those ended by its exit are in its evidence, but the
    // last of them may have come after its data window; one started and not ended may be in it too.
    assert.ok(o.length >= atCheck.ended - 1 && o.length <= atCheck.started, `${what}: ${o.length} outages, ${atCheck.ended} bursts ended and ${atCheck.started} started by the diagnosis's end: ${JSON.stringify(o)}`);
    assert.ok(atCheck.ended >= 3, `at least 3 bursts inside the diagnosis, got ${atCheck.ended}`);
    for (const x of o) assert.ok(x.lengthS >= BURST_MS / 1000 - 0.05 && x.lengthS < 1, `${what}: an outage of ${x.lengthS} s, the bursts are ${BURST_MS} ms plus nft's own time`);
    assert.equal(r.verdict.rule, 'data-brief-outage', `${what}: ${r.verdict.summary}`);
    assert.doesNotMatch(r.verdict.summary, /at random/, `${what}: nothing is lost outside the bursts`);
  };
  return {
    name: 'routed-flapping-link',
    why:
      `Routed path (as routed-healthy); once the session flows, the internet router drops every datagram from the radio’s data port for ${BURST_MS} ms every ` +
      `${BURST_EVERY_MS / 1000} s, ${BURSTS} times (a link that flaps, a Wi-Fi client roaming back and forth), and nothing in between. Each burst is shorter ` +
      'than OUTAGE_MIN_S and, for the meters and FFT, than HALF_COUNTER periods: each is a brief stop of every stream at once, so degraded, cause outage ' +
      '(data-brief-outage) at the first data class in path order — never random loss, of which there is none. Before the block rate counted send slots, the ' +
      'loss of one burst lowered the meters’ and FFT’s measured rate (22.7/s for 27.8/s) and the next burst’s counter jump no longer fitted its silence: every other ' +
      'burst read as 4.5 % random loss beside 2 outages.',
    build(lab) {
      wanTopology(lab, ROUTED);
      lab.nft('inet', COUNT_RADIO_DATA);
    },
    async during(lab) {
      await until('the session’s data to flow', () => lab.counter('inet', 'radio_data') >= FLOWING, 20_000);
      for (let i = 0; i < BURSTS; i++) {
        bursts.started++;
        lab.nft('inet', BURST);
        try {
          await sleep(BURST_MS);
        } finally {
          lab.exec('inet', 'nft', ['delete', 'table', 'inet', 'burst']);
        }
        bursts.ended++;
        await sleep(BURST_EVERY_MS - BURST_MS);
      }
    },
    diagnose: { mode: 'lan', host: ADDR.radio },
    settleS: 10,
    expect: { hop: 'data:meter', cause: 'outage' },
    wireCapture: { hop: 'data:meter', cause: 'outage' },
    check(_lab, live) {
      atCheck = { ...bursts };
      checkReport('live', live);
    },
    reports(r) {
      checkReport('recording', r.recording);
      if (r.wire) checkReport('tcpdump capture', r.wire);
    },
  };
}

/** The tunnel's inner addresses (198.18.7.0/30, unused by topology.ts). */
const TUNNEL = { inet: '198.18.7.1', cr: '198.18.7.2' } as const;
/** VXLAN's own headers: outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14 (RFC 7348 §5). */
const VXLAN_OVERHEAD = 50;
const UNDERLAY_MTU = 1400;

/**
 * The internet router reaches the client's router only through a VXLAN tunnel over their link of MTU
 * UNDERLAY_MTU (a VPN inside PPPoE, say): the tunnel's MTU is what the encapsulation leaves, set by the
 * kernel from the underlay, and TCP's MSS is clamped to it as wanTopology's `mtu` does.
 */
function vxlanTunnel(lab: Lab): void {
  wanTopology(lab, { ...ROUTED, mtu: UNDERLAY_MTU });
  for (const [role, dev, local, remote, addr] of [['inet', 'c0', ADDR.inetToCr, ADDR.crWan, TUNNEL.inet], ['cr', 'wan0', ADDR.crWan, ADDR.inetToCr, TUNNEL.cr]] as const) {
    lab.ip(role, 'link', 'add', 'vx0', 'type', 'vxlan', 'id', '42', 'local', local, 'remote', remote, 'dstport', '4789', 'dev', dev);
    lab.ip(role, 'addr', 'add', `${addr}/30`, 'dev', 'vx0');
    lab.ip(role, 'link', 'set', 'vx0', 'up');
  }
  const mtu = Number(/mtu (\d+)/.exec(lab.ip('inet', 'link', 'show', 'vx0'))?.[1]);
  assert.equal(mtu, UNDERLAY_MTU - VXLAN_OVERHEAD, 'the tunnel’s MTU is what the encapsulation leaves of the underlay');
  lab.ip('inet', 'route', 'replace', '198.18.4.0/24', 'via', TUNNEL.cr, 'dev', 'vx0');
  lab.ip('cr', 'route', 'replace', 'default', 'via', TUNNEL.inet, 'dev', 'vx0');
  lab.nft('rr', BLACK_HOLE);
}

const VXLAN_TUNNEL: Scenario = {
  name: 'routed-vxlan-tunnel-black-hole',
  why:
    `The client’s router is reached through a VXLAN tunnel over a link of MTU ${UNDERLAY_MTU}: the tunnel’s MTU is ${UNDERLAY_MTU - VXLAN_OVERHEAD} ` +
    '(the encapsulation’s 50 bytes), no interface on the path is set to it by hand, and the radio’s router drops the ICMP “fragmentation needed” the ' +
    'tunnel’s router sends (black hole). At the probe’s network_mtu 1450 the waterfall’s full tiles are 1442-byte DF datagrams → data:waterfall/mtu. ' +
    'The steps: 1500 (1464 B), 1450 (1442 B) and 1400 (1364 B) exceed 1350; 1300 (1264 B) fits → “set SmartSDR’s MTU to 1300”, a step below the ' +
    '1400 every other MTU scenario finds.',
  build: vxlanTunnel,
  diagnose: { mode: 'lan', host: ADDR.radio },
  settleS: 4,
  expect: { hop: 'data:waterfall', cause: 'mtu' },
  wireCapture: { hop: 'data:waterfall', cause: 'mtu' },
  check(lab) {
    assert.ok(lab.counter('rr', 'frag_needed_dropped') > 0, 'the tunnel’s router sent ICMP fragmentation-needed and the black hole dropped it');
    assert.equal(lab.counter('radio', 'frag_needed_in'), 0, 'no ICMP reached the radio through the black hole');
  },
  reports(r) {
    for (const [what, report] of [['live', r.live], ['recording', r.recording], ...(r.wire ? [['tcpdump capture', r.wire] as const] : [])] as const) {
      assert.ok(report.verdict.advice.some((a) => /set SmartSDR’s MTU to 1300\b/.test(a)), `${what}: the steps found 1300 passing: ${report.verdict.advice.join(' | ')}`);
    }
  },
};

/**
 * The radio's router's uplink shaped by a token bucket (tc tbf) below what the probe needs (≈ 1.4 Mbit/s,
 * of which the waterfall's full tiles alone are ≈ 1.1): the radio's site has a slow upload.
 */
const SMARTLINK_SLOW_UPLOAD: Scenario = {
  name: 'smartlink-slow-upload',
  why:
    'SmartLink as smartlink-forwarded, and the radio’s router sends to the internet through an 800 kbit/s token bucket with a 30 ms queue (a slow upload ' +
    'at the radio’s site): the radio’s data exceeds it, the full queue drops what does not fit, the large packets most, and the light meters see the ' +
    'queue → degraded, bandwidth — not random loss, not an outage, and not a forwarding fault (the broker’s test finds both ports).',
  build(lab) {
    wanTopology(lab, FORWARDED);
    lab.tc('rr', 'qdisc', 'add', 'dev', 'wan0', 'root', 'tbf', 'rate', '800kbit', 'burst', '6000', 'latency', '30ms');
  },
  sim: ['--broker', '--broker-listen', ADDR.broker, '--public-ip', radioPublicIp(FORWARDED)],
  diagnose: { mode: 'smartlink' },
  settleS: 4,
  expect: { hop: 'data:*', cause: 'bandwidth' },
  check(_lab, live) {
    assert.equal(live.hops.find((h) => h.id === 'radio-forwarding')?.status, 'ok', 'the broker measured both forwarded ports');
  },
};

/** The client counts the radio's datagrams reaching its input hook (before any drop below). */
const CLIENT_COUNTS_RADIO_DATA = `
table inet lab {
  counter radio_data { }
  chain input {
    type filter hook input priority filter - 20; policy accept;
    ip saddr ${ADDR.radio} udp sport ${PORTS.data} counter name "radio_data"
  }
}`;

/** Loaded mid-session: the client's own firewall starts dropping the radio's data. */
const CLIENT_DROPS_LATER = `
table inet later {
  chain input {
    type filter hook input priority filter - 10; policy accept;
    ip saddr ${ADDR.radio} udp sport ${PORTS.data} drop
  }
}`;

const LAN_FIREWALL_LATER: Scenario = {
  name: 'lan-client-firewall-later',
  why:
    'One subnet; the session flows, then the client’s own firewall gains a rule that drops the radio’s UDP (Windows moving the network to the Public ' +
    'profile, a VPN client or security suite loading its rules, reference §12 #2). The data flowed ≈ 2 s, then stopped while the session went on. Live, ' +
    'FlexPath read the firewall before the data flowed (nothing dropped then) and reads it again once the data stopped: the rule is in this computer’s ' +
    'ruleset → udp-return/host-firewall, naming the rule and that the data flowed first — not “a NAT mapping or firewall state may have expired”. The ' +
    'recording holds only the packets: flowed, then stopped → udp-return/udp-blocked-inbound (udp-return-stopped).',
  build(lab) {
    lanTopology(lab);
    lab.nft('client', CLIENT_COUNTS_RADIO_DATA);
  },
  async during(lab) {
    await until('the session’s data to flow', () => lab.counter('client', 'radio_data') >= FLOWING, 20_000);
    lab.nft('client', CLIENT_DROPS_LATER);
  },
  diagnose: { mode: 'lan', host: ADDR.radio },
  settleS: 8,
  expect: { hop: 'udp-return', cause: 'host-firewall' },
  recording: { hop: 'udp-return', cause: 'udp-blocked-inbound' },
  check(_lab, live) {
    const h = live.hops.find((x) => x.id === 'udp-return');
    assert.equal(h?.rule, 'local-host-firewall', JSON.stringify(h));
    assert.match(h?.evidence[0] ?? '', /table inet later chain input drops the radio’s UDP.*\(the data flowed for \d+\.\d s, then stopped/, h?.evidence.join(' | '));
  },
  reports(r) {
    assert.equal(r.recording.hops.find((x) => x.id === 'udp-return')?.rule, 'udp-return-stopped', 'the recording: flowed, then stopped');
  },
};

/** The client's IPv6 address on an IPv6-only LAN: 2001:2::/48, IPv6's benchmarking block (RFC 5180), as 198.18/15 is IPv4's. */
const CLIENT_V6 = '2001:2::10';

const LAN_CLIENT_IPV6_ONLY: Scenario = {
  name: 'lan-client-ipv6-only',
  why:
    'The radio on its LAN as lan-healthy, but the client’s network gives it IPv6 only (a hotel or a mobile network, reference §12 #15): its one ' +
    `adapter holds ${CLIENT_V6}/64 and no IPv4 address, and the radio speaks IPv4 only. connect() to the radio fails at once (ENETUNREACH); ` +
    'this computer’s side, read after the failure, says why: no IPv4 address at all → control/unreachable by local-no-inet, its headline naming the ' +
    'IPv6-only network — before, the local facts went unread and it said “no route … connect the VPN, or add the route” (control-unreachable); with the ' +
    'facts but no headline of its own, “the control channel does not answer … restart the radio”. The recording holds the one attempt FlexPath made and ' +
    'no answer (the kernel refused the SYN, which never left): control/control-timeout, all a capture can say.',
  build(lab) {
    lanTopology(lab);
    lab.ip('client', 'addr', 'del', `${ADDR.lanClient}/24`, 'dev', 'lan0');
    lab.ip('client', 'addr', 'add', `${CLIENT_V6}/64`, 'dev', 'lan0', 'nodad');
  },
  diagnose: { mode: 'lan', host: ADDR.radio },
  settleS: 4,
  expect: { hop: 'control', cause: 'unreachable' },
  recording: { hop: 'control', cause: 'control-timeout' },
  check(_lab, live) {
    const h = live.hops.find((x) => x.id === 'control');
    assert.equal(h?.rule, 'local-no-inet', JSON.stringify(h));
    assert.match(live.verdict.summary, /^This computer has no IPv4 address \(an IPv6-only network\)/);
    assert.match(h?.evidence[0] ?? '', new RegExp(`this computer has no IPv4 address \\(an IPv6-only network\\): the radio at ${ADDR.radio.replaceAll('.', '\\.')} speaks IPv4 only`));
  },
};

/** The internet link of smartlink-forwarded narrowed to this MTU (a tunnel or PPPoE at either end of a SmartLink path). */
const SMARTLINK_LINK_MTU = 1400;

const SMARTLINK_MTU_BLACK_HOLE: Scenario = {
  name: 'smartlink-mtu-black-hole',
  why:
    `SmartLink as smartlink-forwarded, the internet–client-router link at MTU ${SMARTLINK_LINK_MTU}, and the radio’s router drops ICMP “fragmentation ` +
    'needed” (black hole). At the probe’s network_mtu 1450 the waterfall’s full tiles are 1442-byte DF datagrams: dropped, the meters and the small ' +
    'last tiles pass → data:waterfall/mtu. The MTU steps now run over SmartLink too (they did on the LAN only): 1500 (1464 B) and 1450 (1442 B) ' +
    `exceed ${SMARTLINK_LINK_MTU}, 1400 (1364 B) fits → “set SmartSDR’s MTU to 1400”, live and in the recording (its TLS text holds the steps’ ` +
    'network_mtu commands, read as MTU phases).',
  build(lab) {
    wanTopology(lab, { ...FORWARDED, mtu: SMARTLINK_LINK_MTU });
    lab.nft('rr', BLACK_HOLE);
  },
  sim: ['--broker', '--broker-listen', ADDR.broker, '--public-ip', radioPublicIp(FORWARDED)],
  diagnose: { mode: 'smartlink' },
  settleS: 4,
  expect: { hop: 'data:waterfall', cause: 'mtu' },
  check(lab) {
    assert.ok(lab.counter('rr', 'frag_needed_dropped') > 0, 'the narrow link’s router sent ICMP fragmentation-needed and the black hole dropped it');
  },
  reports(r) {
    for (const [what, report] of [['live', r.live], ['recording', r.recording]] as const) {
      assert.ok(report.verdict.advice.some((a) => /set SmartSDR’s MTU to 1400\b/.test(a)), `${what}: the steps found 1400 passing: ${report.verdict.advice.join(' | ')}`);
    }
  },
};

export const LAB2_SCENARIOS: Scenario[] = [flappingLink(), VXLAN_TUNNEL, SMARTLINK_SLOW_UPLOAD, LAN_FIREWALL_LATER, LAN_CLIENT_IPV6_ONLY, SMARTLINK_MTU_BLACK_HOLE];
