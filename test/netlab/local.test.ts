/**
 * This computer's side (issue 16), on a real kernel: for each scenario the lab builds the client's
 * namespace the way a user's PC goes wrong — another program on the data port, a second adapter, a
 * tunnel with a small MTU, an nftables rule dropping the radio's UDP — runs the simulated radio and
 * `flexpath diagnose`, and checks the verdict names the cause and the program, adapter or rule. The
 * expectations are written from each scenario's construction (see `why`), never from FlexPath's output.
 * The recording alone cannot see the local side: its analysis is expected to give the network-level
 * verdict, also written by hand.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import type { AnalysisReport } from '../../src/analysis/model.js';
import { runCli } from '../helpers/cli.js';
import { Lab, type LabProcess, labUnavailable, onlyScenarios, removeStaleNamespaces, run } from './lab.js';
import { ADDR, CLIENT_DATA_PORT, PORT_BASE, PORTS, lanTopology } from './topology.js';

const SIM_SECONDS = 60;
const DIAGNOSE_MAX_S = 20;
const SETTLE_S = 4;

interface Want {
  hop?: string;
  cause: string;
}

interface LocalScenario {
  name: string;
  why: string;
  build(lab: Lab): void;
  /** Started after the radio, before the diagnosis (e.g. the program holding the port). */
  start?(lab: Lab): Promise<LabProcess | undefined>;
  /** Diagnose target and extra options. */
  host: string;
  args?: string[];
  expect: Want;
  /** The verdict of `flexpath analyze` of the diagnosis's own recording; undefined: no recording made. */
  capture?: Want;
  /** What the live report must say, checked with the lab (and the started process) still up. */
  check(live: AnalysisReport, lab: Lab): void;
  /** A fix applied from the report, and the verdict of a second run after it. */
  fix?: { apply(lab: Lab, live: AnalysisReport): void; expect: Want };
}

function verdictOf(r: AnalysisReport): string {
  return r.verdict.status === 'healthy' ? 'healthy' : r.verdict.hop && r.verdict.cause ? `${r.verdict.hop}/${r.verdict.cause}` : r.verdict.status;
}
const want = (w: Want): string => (w.hop ? `${w.hop}/${w.cause}` : w.cause);

/** All the words of the deciding hop and the verdict, for "does it name X". */
function said(r: AnalysisReport): string {
  const hop = r.hops.find((h) => h.id === r.verdict.hop);
  return [r.verdict.summary, ...r.verdict.advice, ...(hop?.evidence ?? [])].join('\n');
}

/**
 * A client namespace whose route to the radio goes through a tunnel of MTU `mtu` via a router: VXLAN over
 * a veth underlay (a kernel tunnel every netlab kernel here has; GRE and WireGuard modules are absent).
 */
function tunnelTopology(lab: Lab, mtu: number): void {
  lab.addNamespace('radio');
  lab.addNamespace('rtr', { forward: true });
  lab.addNamespace('client');
  lab.link({ role: 'radio', dev: 'lan0', addr: `${ADDR.radio}/24` }, { role: 'rtr', dev: 'lan0', addr: `${ADDR.radioGw}/24` });
  lab.ip('radio', 'route', 'add', 'default', 'via', ADDR.radioGw);
  // The underlay the tunnel rides on, then the tunnel itself with its own addresses.
  lab.link({ role: 'rtr', dev: 'ul0', addr: '198.18.9.1/30' }, { role: 'client', dev: 'ul0', addr: '198.18.9.2/30' });
  for (const [role, local, remote, addr] of [
    ['rtr', '198.18.9.1', '198.18.9.2', '198.18.10.1/30'],
    ['client', '198.18.9.2', '198.18.9.1', '198.18.10.2/30'],
  ] as const) {
    lab.ip(role, 'link', 'add', 'tun0', 'type', 'vxlan', 'id', '42', 'local', local, 'remote', remote, 'dstport', '4789', 'dev', 'ul0');
    lab.ip(role, 'link', 'set', 'tun0', 'mtu', String(mtu));
    lab.ip(role, 'addr', 'add', addr, 'dev', 'tun0');
    lab.ip(role, 'link', 'set', 'tun0', 'up');
  }
  lab.ip('client', 'route', 'add', '198.18.1.0/24', 'via', '198.18.10.1', 'dev', 'tun0');
  // A real radio sends every data packet full-size with DF and ignores "fragmentation needed"
  // (reference §1.6); the simulator's kernel would otherwise start fragmenting and hide the fault.
  lab.nft('radio', `
table inet lab {
  chain input {
    type filter hook input priority filter; policy accept;
    icmp type destination-unreachable icmp code 4 drop
  }
}`);
}

const HOLDER_NAME = 'otherclient';

const SCENARIOS: LocalScenario[] = [
  {
    name: 'local-port-in-use',
    why:
      `Another program (process title "${HOLDER_NAME}") binds UDP ${CLIENT_DATA_PORT} on the client first; diagnose is asked to bind ` +
      `${CLIENT_DATA_PORT} as SmartSDR does (--data-port). The bind fails with EADDRINUSE, so the client cannot set up its data stream: ` +
      'stream-setup is blocked by port-in-use, and the report must name that program and its pid.',
    build: lanTopology,
    async start(lab) {
      const p = lab.start('client', process.execPath, ['-e', `process.title=${JSON.stringify(HOLDER_NAME)};const s=require('node:dgram').createSocket('udp4');s.bind(${CLIENT_DATA_PORT},'0.0.0.0',()=>console.log('bound'));setTimeout(()=>process.exit(0),${(SIM_SECONDS + 10) * 1000})`], {
        timeoutMs: (SIM_SECONDS + 15) * 1000,
        label: 'port holder',
      });
      await p.waitFor(/bound/, 5000);
      return p;
    },
    host: ADDR.radio,
    args: ['--data-port', String(CLIENT_DATA_PORT)],
    expect: { hop: 'stream-setup', cause: 'port-in-use' },
    check(live, lab) {
      const text = said(live);
      assert.match(text, new RegExp(`\\b${HOLDER_NAME}\\b`), text);
      // The holder's pid as the kernel knows it: the process in the client's namespace with that name.
      const pid = run('ip', ['netns', 'pids', lab.ns('client')])
        .split('\n')
        .filter(Boolean)
        .find((p) => readFileSync(`/proc/${p}/comm`, 'utf8').trim() === HOLDER_NAME);
      assert.ok(pid && new RegExp(`\\bpid ${pid}\\b`).test(text), `pid ${pid} named:\n${text}`);
      assert.ok(live.local?.ports.checked && live.local.ports.list.some((p) => p.port === CLIENT_DATA_PORT && p.program === HOLDER_NAME && !p.ours));
    },
  },
  {
    name: 'local-wrong-interface',
    why:
      'The client has a second adapter wifi0 (198.18.7.20/24) besides lan0 (198.18.1.20/24, the radio\'s subnet); diagnose binds its ' +
      'data socket to 198.18.7.20 (--bind), as a client tied to the wrong adapter does. The route to the radio leaves by lan0 and the radio ' +
      'sends its UDP to the control connection\'s address 198.18.1.20 (reference §5.7), where no socket listens: no data arrives, and ' +
      'the report must name both adapters. The recording alone shows only that no data came: udp-return/udp-blocked-inbound.',
    build(lab) {
      lanTopology(lab);
      lab.addNamespace('ap');
      lab.link({ role: 'client', dev: 'wifi0', addr: '198.18.7.20/24' }, { role: 'ap', dev: 'wifi0', addr: '198.18.7.1/24' });
    },
    host: ADDR.radio,
    args: ['--bind', '198.18.7.20'],
    expect: { hop: 'udp-return', cause: 'wrong-interface' },
    capture: { hop: 'udp-return', cause: 'udp-blocked-inbound' },
    check(live) {
      const text = said(live);
      assert.match(text, /\blan0\b/, text);
      assert.match(text, /\bwifi0\b/, text);
    },
  },
  {
    name: 'local-tunnel-mtu-1280',
    why:
      'The route to the radio goes through a VXLAN tunnel tun0 of MTU 1280 (Tailscale\'s MTU, reference §12). The radio\'s 1464-byte DF ' +
      'waterfall tiles cannot cross it while meters, FFT (100 px) and Opus do: data:waterfall is blocked by mtu (as the recording alone ' +
      'also shows), and the live report must name tun0, its MTU 1280 and the radio-side value to set (network_mtu=1280).',
    build: (lab) => tunnelTopology(lab, 1280),
    host: ADDR.radio,
    expect: { hop: 'data:waterfall', cause: 'mtu' },
    capture: { hop: 'data:waterfall', cause: 'mtu' },
    check(live) {
      const text = said(live);
      assert.match(text, /\btun0\b/, text);
      assert.match(text, /\b1280\b/, text);
      assert.match(text, /network_mtu=1280/, text);
    },
  },
  {
    name: 'local-nftables-drop-4993',
    why:
      'The client\'s nftables table inet filter, chain input, has the rule "udp sport 4993 drop": every datagram the radio sends from its ' +
      'data port 4993 dies in the client\'s kernel. Control works, no data arrives: udp-return is blocked by host-firewall, and the report ' +
      'must quote that rule and print an allow line. Applied as printed (without sudo), the allow line goes in front of the drop, so a ' +
      'second run is healthy. The recording alone shows only that no data came: udp-return/udp-blocked-inbound.',
    build(lab) {
      lanTopology(lab);
      lab.nft('client', `
table inet filter {
  chain input {
    type filter hook input priority filter; policy accept;
    udp sport ${PORTS.data} drop
  }
}`);
    },
    host: ADDR.radio,
    expect: { hop: 'udp-return', cause: 'host-firewall' },
    capture: { hop: 'udp-return', cause: 'udp-blocked-inbound' },
    check(live) {
      const text = said(live);
      assert.match(text, new RegExp(`udp sport ${PORTS.data} drop`), text);
      assert.match(text, /table inet filter chain input/, text);
    },
    fix: {
      apply(lab, live) {
        const line = said(live)
          .split('\n')
          .map((l) => l.replace(/^.*?(sudo nft insert rule .*)$/, '$1'))
          .find((l) => l.startsWith('sudo nft insert rule '));
        assert.ok(line, `an nft allow line in the report:\n${said(live)}`);
        assert.equal(line, `sudo nft insert rule inet filter input ip saddr ${ADDR.radio} udp sport ${PORTS.data} udp dport ${CLIENT_DATA_PORT} accept`);
        lab.exec('client', 'nft', line.replace(/^sudo nft /, '').split(' '));
      },
      expect: { cause: 'healthy' },
    },
  },
];

async function diagnose(lab: Lab, s: LocalScenario, file: string): Promise<AnalysisReport> {
  const args = ['diagnose', '--host', s.host, '--probe', '--format', 'json', '--settle', String(SETTLE_S), '--seconds', String(DIAGNOSE_MAX_S), '--write', file, ...(s.args ?? [])];
  const r = await lab.flexpath('client', args, { timeoutMs: (DIAGNOSE_MAX_S + 15) * 1000, label: `${s.name}: diagnose` }).done;
  if (r.code !== 0 || r.timedOut) throw new Error(`${s.name}: diagnose exit ${r.code}${r.timedOut ? ' (timed out)' : ''}\n${r.stderr}`);
  return JSON.parse(r.stdout) as AnalysisReport;
}

async function analyze(file: string): Promise<AnalysisReport> {
  const a = await runCli(['analyze', file, '--format', 'json'], { timeoutMs: 60_000 });
  if (a.code !== 0) throw new Error(`analyze ${file} exit ${a.code}\n${a.stderr}`);
  return JSON.parse(a.stdout) as AnalysisReport;
}

const unavailable = labUnavailable();
if (unavailable) {
  test('netlab: this computer’s side', { skip: unavailable }, () => undefined);
} else {
  before(() => void removeStaleNamespaces());

  const only = onlyScenarios();
  for (const s of SCENARIOS.filter((x) => !only || only.includes(x.name))) {
    test(`${s.name}: ${want(s.expect)}${s.fix ? ` → fixed: ${want(s.fix.expect)}` : ''}`, async () => {
      const lab = new Lab();
      const dir = mkdtempSync(join(tmpdir(), `flexpath-netlab-${s.name}-`));
      let failed = true;
      try {
        s.build(lab);
        const sim = lab.flexpath('radio', ['sim', '--listen', ADDR.radio, '--port-base', String(PORT_BASE), '--discovery', `${ADDR.radioBroadcast}:4992`, '--seconds', String(SIM_SECONDS)], {
          timeoutMs: (SIM_SECONDS + 10) * 1000,
          label: `${s.name}: sim`,
        });
        await sim.waitFor(/API tcp \d+/, 10_000);
        await s.start?.(lab);
        const file = join(dir, `${s.name}.pcapng`);
        const live = await diagnose(lab, s, file);
        const context = `${s.why}\nlive verdict: ${JSON.stringify(live.verdict)}\nhops: ${JSON.stringify(live.hops.filter((h) => h.status !== 'ok'), null, 1)}`;
        assert.equal(verdictOf(live), want(s.expect), context);
        s.check(live, lab);
        if (s.fix) {
          s.fix.apply(lab, live);
          const again = await diagnose(lab, s, join(dir, `${s.name}-fixed.pcapng`));
          assert.equal(verdictOf(again), want(s.fix.expect), `after the fix: ${JSON.stringify(again.verdict)}\n${JSON.stringify(again.hops.filter((h) => h.status !== 'ok'), null, 1)}`);
        }
        await sim.stop();
        if (s.capture) {
          assert.equal(verdictOf(await analyze(file)), want(s.capture), `analysis of the recording\n${s.why}`);
        }
        failed = false;
      } finally {
        await lab.end(failed, s.name, dir);
      }
    });
  }
}
