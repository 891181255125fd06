/**
 * Faults of home and club networks the other scenarios do not build, each one FlexPath once read wrong:
 * a link far slower than the radio's stream (an ADSL upload, a congested mobile link), and SmartLink used
 * from behind the radio's own router.
 * Every expectation comes from the construction.
 */
import assert from 'node:assert/strict';
import type { Lab } from './lab.js';
import type { Scenario } from './runner.js';
import { ADDR, PORTS, radioPublicIp, wanTopology } from './topology.js';

/** tbf's rate, kbit/s (12.5 kB/s): under a tenth of what the probe needs (≈ 1.15 Mbit/s: 120 waterfall tiles/s of ≤ 1.4 kB, FFT, meters, Opus). */
const SLOW_KBIT = 100;
/** tbf's bucket, B, and queue, ms: at most 3000 + 125 B queued, 0.25 s at the rate. */
const SLOW_BURST = 3000;
const SLOW_LATENCY_MS = 10;

const SLOW_LINK: Scenario = {
  name: 'routed-link-100kbit',
  why:
    `Routed as routed-healthy, the inet → client link shaped to ${SLOW_KBIT} kbit/s (tbf, ${SLOW_BURST}-byte bucket, ${SLOW_LATENCY_MS} ms queue): under a tenth ` +
    'of the probe’s ≈ 1.15 Mbit/s; its meters, FFT and Opus alone (≈ 24 kB/s with headers) are twice the rate. Every class loses, the light ones least: loss grows ' +
    'with the rate the radio sends at → bandwidth. The waterfall gets at most a few tiles through a queue the small packets keep full: no line completes, or it ' +
    'stops outright after the first second while the other classes go on — blocked either way, by the limit: data:waterfall/bandwidth ' +
    '(data-frames-lost-rate-limit or data-stopped-rate-limit; which one is the queue’s timing). Before: the waterfall, arriving with fewer than RATE_MIN_PACKETS ' +
    'tiles, was left out of the rate comparison → “Packets are lost at a steady rate on every stream, whatever their size” (random-loss); or, starved, “a NAT ' +
    'mapping or firewall state may have expired” (udp-blocked-inbound) on a flow the other classes still used.',
  build(lab) {
    wanTopology(lab, { radioSide: 'none', clientSide: 'none' });
    lab.tc('inet', 'qdisc', 'add', 'dev', 'c0', 'root', 'tbf', 'rate', `${SLOW_KBIT}kbit`, 'burst', String(SLOW_BURST), 'latency', `${SLOW_LATENCY_MS}ms`);
  },
  // No MTU steps: four more 1.5-s windows, each command waiting in the queue, and no setting carries a stream the rate cannot.
  diagnose: { mode: 'lan', host: ADDR.radio, options: ['--no-mtu-step'] },
  settleS: 4,
  expect: { hop: 'data:waterfall', cause: 'bandwidth' },
  reports(r) {
    for (const [what, report] of [['live', r.live], ['recording', r.recording]] as const) {
      assert.match(report.verdict.rule, /^data-(frames-lost|stopped)-rate-limit$/, `${what}: the waterfall blocked by the limit: ${report.verdict.summary}`);
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
  lab.link({ role: 'radio', dev: 'sl0', addr: `${ADDR.broker}/30` }, { role: 'inet', dev: 'sl0', addr: `${ADDR.inetToBroker}/30` });
  lab.ip('radio', 'rule', 'add', 'from', ADDR.broker, 'lookup', '100');
  lab.ip('radio', 'route', 'add', 'default', 'via', ADDR.inetToBroker, 'dev', 'sl0', 'table', '100');
  lab.nft('inet', `
table inet broker {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    ip saddr ${ADDR.broker} oifname "r0" snat ip to ${ADDR.inetToRr}
  }
}`);
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

export const LAB4_SCENARIOS: Scenario[] = [SLOW_LINK, NO_HAIRPIN];
