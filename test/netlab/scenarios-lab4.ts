/**
 * Faults of home and club networks the other scenarios do not build, each one FlexPath once read wrong:
 * a policer far below the radio's stream (an ISP's or a firewall's rate limit, no queue), and SmartLink used
 * from behind the radio's own router.
 * Every expectation comes from the construction.
 */
import assert from 'node:assert/strict';
import type { Lab } from './lab.js';
import type { Scenario } from './runner.js';
import { ADDR, PORTS, brokerLeg, radioPublicIp, wanTopology } from './topology.js';

/** The policer's rate, B/s (128 kbit/s), and bucket, B: the meters, FFT and Opus alone send ≈ 24 kB/s with headers. */
const POLICER_BYTES_PER_S = 16_000;
const POLICER_BURST = 3000;

const POLICER: Scenario = {
  name: 'routed-policer-128kbit',
  why:
    `Routed as routed-healthy; the internet router polices the radio’s UDP to ${POLICER_BYTES_PER_S / 1000} kB/s (nft limit, ${POLICER_BURST}-byte burst, no queue): ` +
    'what exceeds it is dropped at once. A packet passes when the bucket holds its size, so the large ones lose most (waterfall ≈ 90 %, FFT ≈ 80 %), the Opus ' +
    'some, the meters least: loss grows with the rate → bandwidth, live, in the recording and in a tcpdump capture, at whichever data hop first shows it. Never ' +
    'random loss beside a “stop of every stream”: with the heavy classes losing 80–90 %, a window where every stream is silent is their own loss meeting a ' +
    'lost meter packet (0.9²⁹ · 0.8¹⁹ · 0.02 ≈ 10⁻⁵, not the 0.2¹⁶ the brief-outage arithmetic needs) — the recording of one run said “51 % lost at random ' +
    'outside a stop of every stream (0.0 s)”.',
  build(lab) {
    wanTopology(lab, { radioSide: 'none', clientSide: 'none' });
    lab.nft('inet', `
table inet lab {
  chain police {
    type filter hook forward priority filter; policy accept;
    ip saddr ${ADDR.radio} udp sport ${PORTS.data} limit rate over ${POLICER_BYTES_PER_S / 1000} kbytes/second burst ${POLICER_BURST} bytes drop
  }
}`);
  },
  diagnose: { mode: 'lan', host: ADDR.radio, options: ['--no-mtu-step'] },
  settleS: 4,
  expect: { hop: 'data:*', cause: 'bandwidth' },
  recording: { hop: 'data:*', cause: 'bandwidth' },
  reports(r) {
    for (const [what, report] of [['live', r.live], ['recording', r.recording]] as const) {
      assert.deepEqual(report.outages ?? [], [], `${what}: no stop of every stream: ${JSON.stringify(report.outages)}`);
    }
  },
};

/** The second inside subnet of the radio's router, where the client sits (a guest or office VLAN, a second port). */
const INSIDE = { client: '198.18.8.20', gw: '198.18.8.1' } as const;

/**
 *   radio ──┐
 *           rr (NAT, forwards TCP 4994 and UDP 4993 from wan0 only) ── inet ── SmartLink server
 *   client ─┘
 * The client sits behind the radio's own router and uses SmartLink: it connects to the router's public
 * address, which the router forwards only for what arrives on its WAN side — no hairpinning.
 */
function behindRadioRouter(lab: Lab): void {
  for (const r of ['radio', 'rr', 'inet', 'client']) lab.addNamespace(r, { forward: r === 'rr' || r === 'inet' });
  lab.link({ role: 'radio', dev: 'lan0', addr: `${ADDR.radio}/24` }, { role: 'rr', dev: 'lan0', addr: `${ADDR.radioGw}/24` });
  lab.ip('radio', 'route', 'add', 'default', 'via', ADDR.radioGw);
  lab.link({ role: 'client', dev: 'lan0', addr: `${INSIDE.client}/24` }, { role: 'rr', dev: 'lan1', addr: `${INSIDE.gw}/24` });
  lab.ip('client', 'route', 'add', 'default', 'via', INSIDE.gw);
  lab.link({ role: 'rr', dev: 'wan0', addr: `${ADDR.rrWan}/24` }, { role: 'inet', dev: 'r0', addr: `${ADDR.inetToRr}/24` });
  lab.ip('rr', 'route', 'add', 'default', 'via', ADDR.inetToRr);
  lab.nft('rr', `
table inet lab {
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    iifname "wan0" tcp dport ${PORTS.tls} dnat ip to ${ADDR.radio}
    iifname "wan0" udp dport ${PORTS.data} dnat ip to ${ADDR.radio}
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "wan0" masquerade
  }
}`);
  // The SmartLink server's leg, as wanTopology builds it: its probes reach the router from the internet.
  brokerLeg(lab);
}

const NO_HAIRPIN: Scenario = {
  name: 'smartlink-inside-no-hairpin',
  why:
    'The client sits on a second subnet behind the radio’s own router and connects over SmartLink. The router forwards TCP 4994 and UDP 4993 to the radio ' +
    'for what arrives on its WAN side only: the SmartLink server’s test_connection, from the internet, finds both ports; the client’s TLS connect to the ' +
    `router’s public address ${ADDR.rrWan} from inside reaches the router itself, where nothing listens: a reset. The server sees the client at ${ADDR.rrWan}, ` +
    'the radio’s own public address → control/router-no-forwarding (control-no-hairpin): no NAT loopback; connect on the LAN. Before: control-refused, ' +
    '“nothing listens on that port there, or a firewall rejects it”, with advice to check the address and allow TCP. The recording holds the session’s TLS ' +
    '(encrypted) and the refused connect without the server’s plain text, so it cannot tell whose public address is whose: not this verdict.',
  build: behindRadioRouter,
  sim: ['--broker', '--broker-listen', ADDR.broker, '--public-ip', radioPublicIp({ radioSide: 'nat', clientSide: 'none' })],
  diagnose: { mode: 'smartlink' },
  settleS: 4,
  expect: { hop: 'control', cause: 'router-no-forwarding' },
  recording: { cause: 'inconclusive' },
  check(_lab, live) {
    assert.equal(live.hops.find((h) => h.id === 'control')?.rule, 'control-no-hairpin');
    assert.equal(live.hops.find((h) => h.id === 'radio-forwarding')?.status, 'ok', 'the server’s test found the forwarded ports from the internet');
  },
};

export const LAB4_SCENARIOS: Scenario[] = [POLICER, NO_HAIRPIN];
