/**
 * Paths the first 21 scenarios do not build (issue 11 §2): latency and jitter through a user-space relay,
 * unrelated HTTPS beside a session, data sent to the port the discovery listener holds, a refused TCP
 * connection, an MTU mismatch on one subnet, a LAN-mode NAT with a forward, a router forwarding UDP to
 * the wrong inside port, listen recording a whole session. Each is judged four ways — live `diagnose`,
 * `analyze` of its `--write` recording, `analyze` of a tcpdump capture on the client's interface, and
 * (where set) `listen --capture` with the analysis of its own recording — and every expectation is
 * written from the scenario's construction, never computed by the analyzer.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { AnalysisReport, HopId } from '../../src/analysis/model.js';
import type { Lab } from './lab.js';
import type { Scenario } from './runner.js';
import { ADDR, CLIENT_DATA_PORT, PORTS, RELAY, lanTopology, relayTopology, wanTopology } from './topology.js';

const RELAY_JS = fileURLToPath(new URL('./relay.js', import.meta.url));

function hop(r: AnalysisReport, id: HopId): AnalysisReport['hops'][number] | undefined {
  return r.hops.find((h) => h.id === id);
}

/** ICMP destination-unreachable this computer sent (its kernel's answer to datagrams for a closed port). */
const CLIENT_COUNTS_UNREACHABLE_OUT = `
table inet count {
  counter unreachable_out { }
  chain output {
    type filter hook output priority filter; policy accept;
    icmp type destination-unreachable counter name "unreachable_out"
  }
}`;

function unreachableOut(lab: Lab): number {
  const out = lab.exec('client', 'nft', ['list', 'counter', 'inet', 'count', 'unreachable_out']);
  const m = /packets (\d+)/.exec(out);
  if (!m?.[1]) throw new Error(`unexpected counter output ${out}`);
  return Number(m[1]);
}

async function startRelay(lab: Lab, delayMs: number, o: { udpExtraMs?: number; jitterMs?: number } = {}): Promise<void> {
  // The relay's own scheduling delay is jitter on the path: on a loaded machine (CI, eight test runs on
  // two cores) it must not wait behind the other processes.
  const p = lab.start('mid', 'nice', [
    '-n', '-15',
    process.execPath,
    RELAY_JS,
    '--tcp', `${RELAY.clientSide}:${PORTS.api}=${ADDR.radio}:${PORTS.api}`,
    '--udp', `${RELAY.radioSide}:${CLIENT_DATA_PORT}=${ADDR.client}:${CLIENT_DATA_PORT}@${RELAY.clientSide}:${PORTS.data}`,
    '--delay', String(delayMs),
    '--udp-extra', String(o.udpExtraMs ?? 0),
    '--jitter', String(o.jitterMs ?? 0),
    '--seconds', '90',
  ], { timeoutMs: 95_000, label: 'relay' });
  await p.waitFor(/relay ready/, 5000);
}


const RELAY_DELAY_MS = 20;
/** The radio's datagrams wait this much longer than TCP: they are still on the way when the session has ended. */
const RELAY_UDP_EXTRA_MS = 150;

const PATHS: Scenario[] = [
  {
    name: 'relay-latency',
    why:
      `A user-space relay between client and radio holds every TCP chunk ${RELAY_DELAY_MS} ms each way (round trip ≈ ${2 * RELAY_DELAY_MS} ms, under FlexLib’s LAN “Fair” 50 ms) ` +
      `and every datagram ${RELAY_DELAY_MS + RELAY_UDP_EXTRA_MS} ms. Nothing is lost: healthy. When the session ends, the radio’s last ${RELAY_DELAY_MS + RELAY_UDP_EXTRA_MS} ms of data are still in the relay; a client that closed its data socket before they land answers ` +
      'them with ICMP port-unreachable, which a capture must not read as a firewall (issue 11 class 1) — and FlexPath waits for them, so its kernel sends none.',
    build(lab) {
      relayTopology(lab);
      lab.nft('client', CLIENT_COUNTS_UNREACHABLE_OUT);
    },
    start: (lab) => startRelay(lab, RELAY_DELAY_MS, { udpExtraMs: RELAY_UDP_EXTRA_MS }),
    diagnose: { mode: 'lan', host: RELAY.clientSide },
    settleS: 4,
    expect: { cause: 'healthy' },
    wireCapture: { cause: 'healthy' },
    listen: { cause: 'healthy' },
    check(lab, live) {
      // Counted before teardown; FlexPath has exited, so its socket's end is behind us.
      assert.equal(unreachableOut(lab), 0, 'the client’s kernel sent ICMP port-unreachable: the data socket closed under the radio’s last datagrams');
      const pings = hop(live, 'control')?.evidence.find((e) => e.startsWith('pings:')) ?? '';
      const avg = /RTT min\/avg\/max \d+\/(\d+)\//.exec(pings)?.[1];
      assert.ok(avg !== undefined && Number(avg) >= 2 * RELAY_DELAY_MS, `the relay's round trip shows in the pings: ${pings}`);
    },
  },
  {
    name: 'lan-wrong-port-discovery-on',
    why:
      'The radio sends its data to the announced port + 1 (simulator fault wrong-port). FlexPath binds FlexLib’s 4991, so the data goes to 4992 — the port its own ' +
      'discovery listener holds, where no sentinel can bind (issue 11 class 4). Control works, data arrives at a port nobody asked for → udp-return/wrong-port.',
    build: lanTopology,
    sim: ['--fault', 'wrong-port'],
    diagnose: { mode: 'lan', host: ADDR.radio },
    settleS: 4,
    expect: { hop: 'udp-return', cause: 'wrong-port' },
    wireCapture: { hop: 'udp-return', cause: 'wrong-port' },
    check(_lab, live) {
      assert.ok(hop(live, 'udp-return')?.evidence.some((e) => /port\(s\) 4992\b/.test(e)), 'the port the data went to, 4992, is named');
    },
  },
  {
    name: 'lan-api-refused',
    why:
      'The radio’s host answers TCP 4992 with a reset (nftables reject with tcp reset): nothing accepts the control connection, while the radio itself is up ' +
      '(it beacons on the same subnet) → control/control-timeout, in the capture too (SYN answered by RST).',
    build(lab) {
      lanTopology(lab);
      lab.nft('radio', `
table inet lab {
  chain input {
    type filter hook input priority filter; policy accept;
    tcp dport ${PORTS.api} reject with tcp reset
  }
}`);
    },
    diagnose: { mode: 'lan', host: ADDR.radio },
    settleS: 4,
    expect: { hop: 'control', cause: 'control-timeout' },
    wireCapture: { hop: 'control', cause: 'control-timeout' },
  },
  {
    name: 'lan-mtu-mismatch',
    why:
      'One subnet, no router: the client’s interface has MTU 1400 while the radio’s has 1500. The radio’s 1464-byte DF waterfall tiles are dropped at the client’s ' +
      'interface without any ICMP; meters, FFT (100 pixels) and Opus are smaller and pass → data:waterfall/mtu, seen the same way by a capture on that interface.',
    build(lab) {
      lanTopology(lab);
      lab.ip('client', 'link', 'set', 'lan0', 'mtu', '1400');
    },
    diagnose: { mode: 'lan', host: ADDR.radio },
    settleS: 4,
    expect: { hop: 'data:waterfall', cause: 'mtu' },
    wireCapture: { hop: 'data:waterfall', cause: 'mtu' },
  },
  {
    name: 'nat-client-lan-forwarded',
    why:
      'The client sits behind a NAT router and talks to the radio directly (LAN mode), but the router forwards UDP 4991 to it. The radio sends to the router’s ' +
      'address (its `client ip` answer is not this computer’s), the forward carries the data in → healthy: a NAT that works is no fault.',
    build(lab) {
      wanTopology(lab, { radioSide: 'none', clientSide: 'nat' });
      lab.nft('cr', `
table inet portfwd {
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    iifname "wan0" udp dport ${CLIENT_DATA_PORT} dnat ip to ${ADDR.client}
  }
}`);
    },
    diagnose: { mode: 'lan', host: ADDR.radio },
    settleS: 4,
    expect: { cause: 'healthy' },
    wireCapture: { cause: 'healthy' },
  },
];

export const PATH_SCENARIOS: Scenario[] = [...PATHS];
