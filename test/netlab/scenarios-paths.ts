/**
 * Paths the first 21 scenarios do not build (issue 11 §2): latency and jitter through a user-space relay,
 * unrelated HTTPS beside a session, data sent to the port the discovery listener holds, a refused TCP
 * connection, an MTU mismatch on one subnet, a LAN-mode NAT with a forward, a router forwarding UDP to
 * the wrong inside port, listen recording a whole session, a router dropping the waterfall stream by its id
 * while listen joins late, SmartLink with outbound UDP refused. Each is judged four ways — live `diagnose`,
 * `analyze` of its `--write` recording, `analyze` of a tcpdump capture on the client's interface, and
 * (where set) `listen --capture` with the analysis of its own recording — and every expectation is
 * written from the scenario's construction, never computed by the analyzer.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { AnalysisReport, HopId } from '../../src/analysis/model.js';
import type { Lab } from './lab.js';
import type { Reports, Scenario } from './runner.js';
import { ADDR, CLIENT_DATA_PORT, PORTS, RELAY, type WanOptions, lanTopology, radioPublicIp, relayTopology, wanTopology } from './topology.js';

const RELAY_JS = fileURLToPath(new URL('./relay.js', import.meta.url));
const TEST_CERT_JS = fileURLToPath(new URL('../../src/sim/test-cert.js', import.meta.url));

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


/** A one-shot node script inside a namespace, bounded by `timeoutMs`. */
function node(lab: Lab, role: string, script: string, timeoutMs: number, label: string) {
  return lab.start(role, process.execPath, ['--input-type=module', '-e', script], { timeoutMs, label });
}

/** One subnet, no router: the client's interface at MTU 1400, the radio's at 1500. */
function clientMtu1400(lab: Lab): void {
  lanTopology(lab);
  lab.ip('client', 'link', 'set', 'lan0', 'mtu', '1400');
}

/** What the probe's MTU steps found on that subnet, in the advice of every way in. */
const MTU_1400_PASSES = /set SmartSDR’s MTU to 1400\b/;

/** The reports of the ways in that ran, by name. */
function waysIn(r: Reports): Array<[string, AnalysisReport]> {
  const all: Array<[string, AnalysisReport | undefined]> = [['live', r.live], ['tcpdump capture', r.wire], ['listen', r.listen], ['listen recording', r.listenRecording]];
  return all.filter((x): x is [string, AnalysisReport] => x[1] !== undefined);
}

/** The ways in and diagnose's own --write recording, which holds the MTU steps after the run (live.ts pause). */
const withRecording = (r: Reports): Array<[string, AnalysisReport]> => [...waysIn(r), ['recording', r.recording]];

const LAN_MTU_MISMATCH: Scenario = {
  name: 'lan-mtu-mismatch',
  why:
    'One subnet, no router: the client’s interface has MTU 1400 while the radio’s has 1500. At the probe’s network_mtu 1450 the radio’s waterfall tiles are ' +
    '1414-byte UDP payloads, 1442-byte DF datagrams, dropped at the client’s interface without any ICMP; meters, FFT (100 pixels) and Opus are smaller and pass → ' +
    'data:waterfall/mtu. The probe then steps its MTU: 1500 (1464 B) and 1450 (1442 B) are dropped, 1400 (1336-byte payloads, 1364 B on the wire) passes → ' +
    '“set SmartSDR’s MTU to 1400”. Its --write recording, the tcpdump capture and `listen` hold the steps, and judged per MTU phase they give the live verdict and the same finding.',
  build: clientMtu1400,
  diagnose: { mode: 'lan', host: ADDR.radio },
  settleS: 4,
  expect: { hop: 'data:waterfall', cause: 'mtu' },
  wireCapture: { hop: 'data:waterfall', cause: 'mtu' },
  listen: { hop: 'data:waterfall', cause: 'mtu' },
  reports(r) {
    for (const [what, report] of withRecording(r)) assert.ok(report.verdict.advice.some((a) => MTU_1400_PASSES.test(a)), `${what}: the MTU steps found 1400 passing: ${report.verdict.advice.join(' | ')}`);
  },
};

const UNRELATED_HTTPS_IP = '198.18.1.30';

const RELAY_DELAY_MS = 20;
/** The radio's datagrams wait this much longer than TCP: they are still on the way when the session has ended. */
const RELAY_UDP_EXTRA_MS = 150;

const PATHS: Scenario[] = [
  {
    name: 'routed-radio-unreachable',
    why:
      'Radio and client on different subnets; the internet router has no way on to the radio’s address (an `unreachable` route: the radio is gone, or DHCP moved it) ' +
      'and answers the client’s SYN with ICMP host unreachable (type 3 code 1). The connect fails at once with EHOSTUNREACH → control/unreachable — not a refusal, ' +
      'not a silence (issue 11 class 7); a capture on the client holds the ICMP and says the same. FlexPath’s own recording holds only its connection attempt (a socket ' +
      'never sees the ICMP), which reads as a control channel that never answered.',
    build(lab) {
      wanTopology(lab, { radioSide: 'none', clientSide: 'none' });
      lab.ip('inet', 'route', 'add', 'unreachable', `${ADDR.radio}/32`);
    },
    diagnose: { mode: 'lan', host: ADDR.radio },
    settleS: 4,
    expect: { hop: 'control', cause: 'unreachable' },
    wireCapture: { hop: 'control', cause: 'unreachable' },
    recording: { hop: 'control', cause: 'control-timeout' },
  },
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
    name: 'relay-jitter',
    why:
      'The relay holds each datagram 5 ms plus a uniform 0–80 ms (TCP in order, 5 ms): datagrams reorder and their spacing varies by tens of ms, none is lost. ' +
      'Meter packets leave ≈ 36 ms apart, so a meter packet overtakes the one before it with P = (80 − 36)² / (2 · 80²) ≈ 15 % (more with the packets further back): ' +
      'well above 10 % out of order, and every FFT frame and waterfall line still completes. The first class in path order, data:meter, is degraded by the reordering → jitter. ' +
      'Reordered waterfall tiles are not loss that grows with rate (the 4-bit counter cannot place tiles late by 8 or more; the lines can): never bandwidth.',
    build: relayTopology,
    start: (lab) => startRelay(lab, 5, { jitterMs: 80 }),
    diagnose: { mode: 'lan', host: RELAY.clientSide },
    settleS: 4,
    expect: { hop: 'data:meter', cause: 'jitter' },
    wireCapture: { hop: 'data:meter', cause: 'jitter' },
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
    name: 'lan-unrelated-https',
    why:
      'A healthy LAN session while the client also fetches a page over HTTPS from another host (TLS to port 443, SNI www.example.org), and the radio reports its ' +
      'normal `wan server_connected=0` (it is not on SmartLink). HTTPS to 443 is not the SmartLink server and makes this no WAN session (issue 11 class 3) → healthy.',
    build(lab) {
      lanTopology(lab);
      lab.ip('radio', 'addr', 'add', `${UNRELATED_HTTPS_IP}/24`, 'dev', 'lan0');
    },
    async start(lab) {
      const server = node(lab, 'radio', `
        import { createServer } from 'node:tls';
        import { SIM_SERVER_CERT, SIM_SERVER_KEY } from ${JSON.stringify(TEST_CERT_JS)};
        const s = createServer({ cert: SIM_SERVER_CERT, key: SIM_SERVER_KEY }, (c) => {
          c.on('data', () => c.end('HTTP/1.1 200 OK\\r\\ncontent-length: 2\\r\\n\\r\\nok'));
          c.on('error', () => undefined);
        });
        s.listen(443, ${JSON.stringify(UNRELATED_HTTPS_IP)}, () => console.log('https ready'));
        setTimeout(() => process.exit(0), 60000);`, 65_000, 'https server');
      await server.waitFor(/https ready/, 5000);
    },
    async during(lab) {
      // Mid-session, as a browser would.
      await new Promise((r) => setTimeout(r, 2500));
      const client = node(lab, 'client', `
        import { connect } from 'node:tls';
        const c = connect({ host: ${JSON.stringify(UNRELATED_HTTPS_IP)}, port: 443, servername: 'www.example.org', rejectUnauthorized: false }, () => c.write('GET / HTTP/1.1\\r\\nhost: www.example.org\\r\\n\\r\\n'));
        c.on('data', (d) => { process.stdout.write(d); c.end(); });
        c.on('error', (e) => { console.error(e.message); process.exit(1); });
        setTimeout(() => process.exit(2), 8000);`, 10_000, 'https client');
      const r = await client.done;
      assert.match(r.stdout, /200 OK/, `the HTTPS fetch worked: ${r.stderr}`);
    },
    diagnose: { mode: 'lan', host: ADDR.radio },
    settleS: 5,
    expect: { cause: 'healthy' },
    wireCapture: { cause: 'healthy' },
    listen: { cause: 'healthy' },
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
  LAN_MTU_MISMATCH,
  {
    name: 'lan-listen-radio-reset',
    why:
      'A LAN session the radio ends itself: it resets the control connection 3 s after it opened (simulator fault tcp-reset=3), while data flows and the probe ' +
      'watches for 6 s. `listen --capture` records from before the session began until after it ended, so the end — the radio’s RST — lies inside its recording, ' +
      'and its recording holds one handshake, opened by this computer (issue 11 class 6: a second, reversed one read as “control does not answer”). ' +
      'Every way in sees the same: the radio reset the connection → control/control-timeout.',
    build: lanTopology,
    sim: ['--fault', 'tcp-reset=3'],
    diagnose: { mode: 'lan', host: ADDR.radio },
    settleS: 6,
    expect: { hop: 'control', cause: 'control-timeout' },
    wireCapture: { hop: 'control', cause: 'control-timeout' },
    listen: { hop: 'control', cause: 'control-timeout' },
    reports(r) {
      for (const [what, report] of waysIn(r)) assert.equal(report.verdict.rule, 'control-reset-by-radio', `${what}: ${JSON.stringify(report.verdict)}`);
    },
  },
  {
    ...LAN_MTU_MISMATCH,
    name: 'lan-listen-late',
    why:
      'The MTU black hole of lan-mtu-mismatch (client interface MTU 1400), and `listen --capture` joins the running session only once the probe has created its ' +
      'streams and watches them; the probe then steps its MTU (1500, 1450, 1400, 1.8 s each). The listener never sees the session’s start nor the pan’s creation, ' +
      'only what follows — answered pings, meters, the pan’s FFT (100 pixels, 244 B) and, of the waterfall, only each line’s small last tile (the full tiles ' +
      'at 1450 and 1500 are dropped) — until network_mtu 1400, whose 1364-byte tiles pass. Every MTU phase it sees before 1400 has the FFT arriving and no ' +
      'waterfall line ever complete: never healthy (issue 11 class 5) → data:waterfall/mtu, with 1400 the setting that passes.',
    listenAfter: /watching the data plane/,
    reports(r) {
      for (const [what, report] of withRecording(r)) {
        assert.ok(report.verdict.advice.some((a) => MTU_1400_PASSES.test(a)), `${what}: the MTU steps found 1400 passing: ${report.verdict.advice.join(' | ')}`);
        if (!what.startsWith('listen')) continue;
        const setup = report.hops.find((h) => h.id === 'stream-setup')?.evidence.join('\n') ?? '';
        assert.doesNotMatch(setup, /panafall create/, `${what} joined late: the pan’s creation is not in its evidence`);
      }
    },
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

const FORWARD_WRONG_INSIDE: WanOptions = { radioSide: 'nat', clientSide: 'nat' };

/**
 * SmartLink through a radio router that forwards TLS 4994 correctly but UDP 4993 to the wrong inside port,
 * 4999, where nothing listens: the radio's kernel answers the client's `client udp_register` with ICMP
 * port-unreachable, which both NATs carry back to the client. Live, the broker's test_connection finds the
 * UDP port dead; a capture on the client (which cannot read the TLS) sees the registrations refused.
 */
const SMARTLINK_UDP_WRONG_INSIDE: Scenario = {
  name: 'smartlink-udp-forward-wrong-inside-port',
  why:
    'The radio’s router forwards TCP 4994 to the radio but UDP 4993 to the radio’s port 4999, where nothing listens. test_connection finds UDP dead → ' +
    'radio-forwarding/router-no-forwarding live; a capture on the client sees its own udp_register answered by ICMP port-unreachable from the radio’s public address — ' +
    'the same fault, never “data to a port nobody listens on” at this computer (issue 11 class 2).',
  build(lab) {
    wanTopology(lab, FORWARD_WRONG_INSIDE);
    lab.nft('rr', `
table inet portfwd {
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    iifname "wan0" tcp dport ${PORTS.tls} dnat ip to ${ADDR.radio}
    iifname "wan0" udp dport ${PORTS.data} dnat ip to ${ADDR.radio}:4999
  }
}`);
  },
  sim: ['--broker', '--broker-listen', ADDR.broker, '--public-ip', radioPublicIp(FORWARD_WRONG_INSIDE)],
  diagnose: { mode: 'smartlink' },
  settleS: 4,
  expect: { hop: 'radio-forwarding', cause: 'router-no-forwarding' },
  wireCapture: { hop: 'radio-forwarding', cause: 'router-no-forwarding' },
};

const FORWARDED: WanOptions = { radioSide: 'nat', forward: { tcp: true, udp: true }, clientSide: 'nat' };

/** SmartLink with working forwards, but this computer's firewall refuses outbound UDP to the radio's data port. */
const SMARTLINK_OUTBOUND_BLOCKED: Scenario = {
  name: 'smartlink-outbound-udp-blocked',
  why:
    'SmartLink with both ports forwarded (as smartlink-forwarded, healthy there), but this computer’s firewall drops outbound UDP to port 4993: every ' +
    '`client udp_register` is refused by its own kernel (EPERM), so the radio never learns where to send: the probe’s stream create is answered ' +
    '"No IP or PORT", the first hop in path order to fail is stream-setup, and the fault is this computer’s outbound rule → stream-setup/host-firewall with advice about outbound UDP. ' +
    'A tcpdump capture on the client’s interface cannot say as much: the drop is in the output hook, before tcpdump sees a packet, so the capture holds the TLS ' +
    'session to the radio’s 4994 (unreadable: no "No IP or PORT" in it) and not one UDP datagram either way. From that alone the fault cannot be placed — the ' +
    'client never registered, and the radio never sent — so it must say so: inconclusive, never healthy, with advice about outbound UDP.',
  build(lab) {
    wanTopology(lab, FORWARDED);
    lab.nft('client', `
table inet lab {
  counter udp_out { }
  chain output {
    type filter hook output priority filter; policy accept;
    udp dport ${PORTS.data} counter name "udp_out" drop
  }
}`);
  },
  sim: ['--broker', '--broker-listen', ADDR.broker, '--public-ip', radioPublicIp(FORWARDED)],
  diagnose: { mode: 'smartlink' },
  settleS: 4,
  expect: { hop: 'stream-setup', cause: 'host-firewall' },
  // The refused registrations never left this computer, so its recording holds none: read alone, it is
  // a radio that never learned where to send.
  recording: { hop: 'stream-setup', cause: 'udp-blocked-inbound' },
  wireCapture: { cause: 'inconclusive' },
  check(lab, live) {
    assert.equal(live.hops.find((h) => h.id === 'udp-return')?.rule, 'udp-return-send-refused');
    assert.ok(lab.counter('client', 'udp_out') > 0, 'the firewall dropped the registrations');
    assert.ok(live.verdict.advice.some((a) => /outbound/i.test(a)), `outbound advice: ${live.verdict.advice.join(' | ')}`);
  },
  reports(r) {
    if (!r.wire) return;
    const v = r.wire.verdict;
    assert.ok(v.advice.some((a) => /outbound UDP/.test(a)), `tcpdump capture: outbound advice: ${v.advice.join(' | ')}`);
    const tlsTo = `${radioPublicIp(FORWARDED)}:${PORTS.tls}`;
    assert.ok(v.summary.includes(tlsTo), `tcpdump capture: the summary names the TLS session to ${tlsTo}: ${v.summary}`);
    assert.match(v.summary, /udp_register/, `tcpdump capture: says no registration left: ${v.summary}`);
    assert.deepEqual(r.wire.streams.filter((st) => st.kind !== 'discovery'), [], 'no VITA-49 data in the capture');
  },
};

/**
 * A router that drops one VITA-49 stream by its id: the stream ID is word 1 of the VITA-49 header (reference
 * §1), UDP payload bytes 4–7, so 8 + 4 bytes into the transport header — bit 96 for nftables' raw `@th`
 * match. Its top byte 0x42 is the waterfalls' (reference §2.4: 0x42000000, … paired with the pan; FFT
 * 0x40…, meters 0x00000700, audio 0x04…; the simulator follows it), so it takes the waterfall tiles of any
 * size and nothing else.
 */
const DROP_WATERFALL_STREAM = `
table inet lab {
  counter waterfall_dropped { }
  counter other_data_forwarded { }
  chain forward {
    type filter hook forward priority filter; policy accept;
    ip saddr ${ADDR.radio} udp sport ${PORTS.data} @th,96,8 0x42 counter name "waterfall_dropped" drop
    ip saddr ${ADDR.radio} udp sport ${PORTS.data} counter name "other_data_forwarded"
  }
}`;

/** Three routers on links of MTU 1500 (no NAT), the middle one (inet) filtering with `rules`. */
function routedFilter(rules: string): (lab: Lab) => void {
  return (lab) => {
    wanTopology(lab, { radioSide: 'none', clientSide: 'none' });
    lab.nft('inet', rules);
  };
}

/**
 * What the probe's MTU steps found on a path that drops the waterfall whatever its size: none carried it, down
 * to 1300. The steps quoted are those after the deciding phase: live, its recording and the tcpdump capture
 * hold the judged run from its network_mtu command on, so all four; `listen` joins during the run and holds
 * only its remnant, which can be shorter than the 1 s a remnant needs to decide (analyzer.ts
 * MIN_DECIDING_PHASE_S), and then the 1500 step decides, judged with 1450, 1400 and 1300.
 */
const NO_MTU_STEP_PASSES = /^network_mtu 1500, 1450, 1400 and 1300 .*: not one waterfall packet arrived at any/;
const NO_MTU_STEP_PASSES_LATE = /^network_mtu (1500, )?1450, 1400 and 1300 .*: not one waterfall packet arrived at any/;

const WATERFALL_DROPPED_LISTEN_LATE: Scenario = {
  name: 'routed-listen-late-waterfall-dropped',
  why:
    'Three routers, path MTU 1500 throughout, and the middle one drops every datagram whose VITA-49 stream ID starts with 0x42 — the waterfall’s, whatever ' +
    'its size — while the FFT (100 pixels, 244 B), meters and Opus pass. `listen --capture` joins the running session only once the probe watches its ' +
    'streams: it never sees the pan created nor the waterfall’s own status, only the pan naming its waterfall, the FFT flowing and not one waterfall tile. ' +
    'The pan implies its waterfall (issue 11 class 5), so every way in must say blocked at data:waterfall, never healthy. The judged run alone cannot tell ' +
    'the cause: small classes arriving and the large one never is what an MTU hole looks like. The probe’s steps 1500 → 1300 after the run bring no ' +
    'waterfall tile either, although the 1300 step’s 1264-byte datagrams fit any tunnel (≥ 1280): the MTU is refuted. The live run, its --write ' +
    'recording (which goes on through the steps), the tcpdump capture and listen see the steps and must say data-missing-any-size — ' +
    'udp-blocked-inbound, a filter on the path — quoting the steps, and never advise an MTU setting.',
  build: routedFilter(DROP_WATERFALL_STREAM),
  diagnose: { mode: 'lan', host: ADDR.radio },
  settleS: 4,
  expect: { hop: 'data:waterfall', cause: 'udp-blocked-inbound' },
  wireCapture: { hop: 'data:waterfall', cause: 'udp-blocked-inbound' },
  listen: { hop: 'data:waterfall', cause: 'udp-blocked-inbound' },
  listenAfter: /watching the data plane/,
  check(lab) {
    assert.ok(lab.counter('inet', 'waterfall_dropped') > 0, 'the router dropped waterfall tiles');
    assert.ok(lab.counter('inet', 'other_data_forwarded') > 0, 'the router forwarded the other data');
  },
  reports(r) {
    for (const [what, report] of withRecording(r)) {
      assert.equal(hop(report, 'data:waterfall')?.status, 'blocked', `${what}: the waterfall hop`);
      assert.equal(hop(report, 'data:panadapter')?.status, 'ok', `${what}: the FFT arrives`);
      assert.equal(report.streams.filter((st) => st.kind === 'waterfall').length, 0, `${what}: not one waterfall tile`);
      assert.ok(!report.verdict.advice.some((a) => MTU_1400_PASSES.test(a) || /set SmartSDR’s MTU to/.test(a)), `${what}: no MTU setting advised: ${report.verdict.advice.join(' | ')}`);
      assert.equal(report.verdict.rule, 'data-missing-any-size', `${what}: ${JSON.stringify(report.verdict)}`);
      assert.ok((what.startsWith('listen') ? NO_MTU_STEP_PASSES_LATE : NO_MTU_STEP_PASSES).test(hop(report, 'data:waterfall')?.evidence[0] ?? ''), `${what}: the steps are quoted: ${hop(report, 'data:waterfall')?.evidence.join(' | ')}`);
      if (!what.startsWith('listen')) continue;
      const setup = hop(report, 'stream-setup')?.evidence.join('\n') ?? '';
      assert.doesNotMatch(setup, /panafall create/, `${what} joined late: the pan’s creation is not in its evidence`);
    }
  },
};

/**
 * A router that drops the radio's datagrams of 1400 bytes and more, whatever they carry (an IP length rule:
 * an IPS or QoS size policy), on links of MTU 1500: no ICMP, no link too small.
 */
const DROP_LARGE_DATA = `
table inet lab {
  counter large_dropped { }
  chain forward {
    type filter hook forward priority filter; policy accept;
    ip saddr ${ADDR.radio} udp sport ${PORTS.data} ip length >= 1400 counter name "large_dropped" drop
  }
}`;

const SIZE_FILTER_1400: Scenario = {
  name: 'routed-size-filter-1400',
  why:
    'Three routers, links of MTU 1500, and the middle one drops the radio’s datagrams of 1400 B or more by an IP-length rule — a size filter, not an MTU, ' +
    'and no ICMP. At the probe’s network_mtu 1450 the waterfall’s full tiles are 1414-byte datagrams (dropped), each line’s small last tile and the ' +
    'FFT (244 B), meters and Opus pass: the MTU signature. The steps: 1500 (1464 B) and 1450 (1414 B) dropped, 1400 (1364 B) passes. Whether a link or ' +
    'a rule limits the size, what the user needs is the same: the mtu cause and SmartSDR’s MTU at 1400, which carries the waterfall on this path. ' +
    'A filter that took the waterfall whatever its size is routed-listen-late-waterfall-dropped (data-missing-any-size).',
  build: routedFilter(DROP_LARGE_DATA),
  diagnose: { mode: 'lan', host: ADDR.radio },
  settleS: 4,
  expect: { hop: 'data:waterfall', cause: 'mtu' },
  wireCapture: { hop: 'data:waterfall', cause: 'mtu' },
  check(lab) {
    assert.ok(lab.counter('inet', 'large_dropped') > 0, 'the router dropped large datagrams');
  },
  reports(r) {
    for (const [what, report] of withRecording(r)) assert.match(report.verdict.advice[0] ?? '', MTU_1400_PASSES, `${what}: the MTU steps found 1400 passing: ${report.verdict.advice.join(' | ')}`);
  },
};

export const PATH_SCENARIOS: Scenario[] = [...PATHS, SMARTLINK_UDP_WRONG_INSIDE, SMARTLINK_OUTBOUND_BLOCKED, WATERFALL_DROPPED_LISTEN_LATE, SIZE_FILTER_1400];
