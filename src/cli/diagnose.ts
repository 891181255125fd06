/**
 * `flexpath diagnose`: live, from the computer that shows no panadapter. On the LAN (`--host`, or the
 * one radio discovery finds) or through SmartLink (`--smartlink`). Steps go to stderr as they happen;
 * the report (the same JSON contract as `analyze`) goes to stdout or `--out`. Ctrl+C stops early, tidies
 * up on the radio, and still prints what was found. Exit 0 whatever the verdict.
 */
import { isIP } from 'node:net';
import { isIPv4 } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { oneLine } from '../common/text.js';
import type { AnalysisReport } from '../analysis/model.js';
import { canHearBeacons, listenForRadios } from '../diagnose/discovery.js';
import { probeFor } from '../local/gather.js';
import { startLanDiagnosis } from '../diagnose/lan.js';
import type { DiagnoseMode, Diagnosis } from '../diagnose/walk.js';
import { startSmartLinkDiagnosis } from '../diagnose/smartlink.js';
import { type ReportFormat, formatReport } from '../report/format.js';
import { redactReport } from '../report/redact.js';
import { SIM_CA_CERT, SIM_TLS_SERVERNAME } from '../sim/test-cert.js';
import type { RadioBeacon } from '../vita/payload/discovery.js';
import { EXIT, REDACT_OPTIONS, UsageError, oneOf, parse, wantsRedaction } from './common.js';
import { claimOutputs, writeOutput } from './output-file.js';
import { NoSecretError, TOKEN_ENV, readSecret } from './secret.js';
import { AuthError, authConfig } from '../smartlink/auth.js';
import { currentIdToken, signInState } from '../smartlink/sign-in.js';
import { fileTokenStore } from '../smartlink/token-store.js';

export const DIAGNOSE_HELP = [
  'diagnose [--host IP[:PORT] | --smartlink [--radio SERIAL]] [--probe | --observer] [--mtu N] [--audio] [--seconds N]',
  '         [--format text|json|md|html] [--out F] [--write F.pcapng] [--force] [--no-redact] [--data-port N] [--bind IP]',
  '    live: walk the path to the radio and say where packets stop, and check this computer\'s side',
  '    (route and adapter, MTU, who holds the UDP ports, host firewall: read only)',
  '    --mtu N        the network MTU your SmartSDR uses (default 1450, SmartSDR v4\'s)',
  '    --audio        open an audio stream even where it would silence the radio\'s own speaker',
  '    --no-mtu-step  when large packets vanish, do not step the client MTU down to find what passes',
  '    --data-port N  bind exactly this UDP port, as your client does (SmartSDR: 4991); name who holds it',
  '    --bind IP      bind the data socket to this local address, as a client bound to one adapter does',
  '    --smartlink signs in with what `flexpath login` kept (renewed when expired); FLEXPATH_SMARTLINK_TOKEN',
  '    or a token pasted at the hidden prompt still work; tokens are never shown or recorded',
].join('\n');

/**
 * The simulator's test CA has its private key in this repository: trusted for a real broker host, it
 * would let anyone impersonate SmartLink. The hidden --broker-test-ca is therefore accepted only for a
 * broker on this machine — or anywhere when the test entry point (test/helpers/test-cli.ts) says so,
 * for the netlab's brokers at namespace addresses. The product's bin never does.
 */
let testCaOnAnyBroker = false;
export function allowBrokerTestCaOnAnyHost(): void {
  testCaOnAnyBroker = true;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIPv4(host) && host.startsWith('127.'));
}

/**
 * The id_token for the broker: FLEXPATH_SMARTLINK_TOKEN (scripts), else the sign-in `flexpath login`
 * kept (renewed when its `exp` has passed), else — advanced — a token pasted at a hidden prompt.
 */
async function smartLinkToken(say: (t: string) => void, testCa: boolean): Promise<string> {
  if (process.env[TOKEN_ENV]?.trim()) return process.env[TOKEN_ENV].trim();
  const store = fileTokenStore();
  if ((await signInState(store)).state !== 'signed-out') {
    try {
      return await currentIdToken({ ...authConfig(), ...(testCa ? { ca: SIM_CA_CERT } : {}) }, store, say);
    } catch (e) {
      if (!(e instanceof AuthError)) throw e;
      throw new UsageError(e.message);
    }
  }
  try {
    return await readSecret('not signed in (`flexpath login`); paste a SmartLink token (input hidden): ');
  } catch (e) {
    if (e instanceof NoSecretError) throw new UsageError('not signed in to SmartLink: run `flexpath login` first (or set FLEXPATH_SMARTLINK_TOKEN)');
    throw e;
  }
}

function hostPort(text: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(text);
  const port = m?.[2] === undefined ? 4992 : Number(m[2]);
  if (!m?.[1] || !Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--host must be IP or IP:PORT (got "${text}")`);
  return { host: m[1], port };
}

export async function runDiagnose(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const { values } = parse(
    argv,
    {
      host: { type: 'string' },
      smartlink: { type: 'boolean' },
      radio: { type: 'string' },
      probe: { type: 'boolean' },
      observer: { type: 'boolean' },
      seconds: { type: 'string' },
      settle: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      write: { type: 'string' },
      ...REDACT_OPTIONS,
      mtu: { type: 'string' },
      audio: { type: 'boolean' },
      'no-mtu-step': { type: 'boolean' },
      force: { type: 'boolean' },
      broker: { type: 'string' },
      'broker-test-ca': { type: 'boolean' },
      'discovery-port': { type: 'string' },
      'data-port': { type: 'string' },
      bind: { type: 'string' },
    },
    false,
  );
  const format = oneOf<ReportFormat>(values.format, ['text', 'json', 'md', 'html'], 'text', 'format');
  if (values.probe && values.observer) throw new UsageError('choose one of --probe and --observer');
  if (values.host && values.smartlink) throw new UsageError('choose one of --host and --smartlink');
  const mode: DiagnoseMode = values.probe ? 'probe' : values.observer ? 'observer' : 'auto';
  const num = (v: string | undefined, name: string): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0 || n > 3600) throw new UsageError(`--${name} must be a number of seconds (got "${v}")`);
    return n;
  };
  const seconds = num(values.seconds, 'seconds');
  // Before the walk: a diagnosis must not end in "that file exists".
  await claimOutputs([{ path: values.out, option: 'out' }, { path: values.write, option: 'write' }], values.force === true);
  const settle = num(values.settle, 'settle');
  const say = (t: string): void => void err.write(`flexpath: ${oneLine(t)}\n`);
  const dataPort = values['data-port'] === undefined ? undefined : Number(values['data-port']);
  if (dataPort !== undefined && (!Number.isInteger(dataPort) || dataPort < 1 || dataPort > 65535)) throw new UsageError(`--data-port must be a UDP port 1–65535 (got "${values['data-port']}")`);
  if (values.bind !== undefined && isIP(values.bind) === 0) throw new UsageError(`--bind must be a local IP address (got "${values.bind}")`);
  let mtu: number | undefined;
  if (values.mtu !== undefined) {
    mtu = Number(values.mtu);
    // 576: the IPv4 minimum every host must accept; 9000: jumbo frames (what the radio accepts is UNCONFIRMED).
    if (!Number.isInteger(mtu) || mtu < 576 || mtu > 9000) throw new UsageError(`--mtu must be a whole number of bytes from 576 to 9000 (got "${values.mtu}")`);
  }
  const common = {
    ...(values.bind ? { dataHost: values.bind } : {}),
    onStep: say,
    ...(mtu !== undefined ? { mtu } : {}),
    ...(values.audio ? { audio: true } : {}),
    ...(values['no-mtu-step'] ? { noMtuStep: true } : {}),
    ...(seconds !== undefined ? { maxSeconds: seconds } : {}),
    ...(settle !== undefined ? { settleSeconds: settle } : {}),
    ...(values.write ? { write: values.write } : {}),
  };

  let run: Diagnosis;
  if (values.smartlink) {
    const broker = values.broker ? hostPort(values.broker.includes(':') ? values.broker : `${values.broker}:443`) : undefined;
    if (values['broker-test-ca'] && !testCaOnAnyBroker && !(broker && isLoopback(broker.host))) {
      throw new UsageError('--broker-test-ca trusts a test CA whose key is public: only for a --broker on this machine (127.0.0.1, ::1)');
    }
    const token = await smartLinkToken(say, values['broker-test-ca'] === true);
    run = startSmartLinkDiagnosis({
      ...common,
      token,
      ...(values.radio ? { serial: values.radio } : {}),
      ...(broker ? { brokerHost: broker.host, brokerPort: broker.port } : {}),
      // Only for the simulator's broker: trusting its public test CA is never a default.
      ...(values['broker-test-ca'] ? { brokerTls: { ca: SIM_CA_CERT, servername: SIM_TLS_SERVERNAME } } : {}),
    });
  } else {
    const discoveryPort = values['discovery-port'] === undefined ? undefined : Number(values['discovery-port']);
    let target = values.host ? hostPort(values.host) : undefined;
    let found: RadioBeacon | undefined;
    if (!target) {
      const adapters = await probeFor()?.interfaces();
      if (adapters?.checked && !canHearBeacons(adapters.list)) {
        throw new UsageError(
          'no --host given, and this computer has no IPv4 address on any adapter (an IPv6-only network?): radios announce themselves by IPv4 broadcast (UDP 4992), so discovery cannot find one here, and the radio speaks IPv4 only. Give --host IP of a radio reachable over IPv4 (a VPN into its network), or use --smartlink from a network with IPv4',
        );
      }
      say('no --host given: listening 3 s for radios on this network …');
      const listener = await listenForRadios(discoveryPort ? { port: discoveryPort } : {}).catch((e: unknown) => {
        throw new UsageError(`cannot listen for radios (${e instanceof Error ? e.message : String(e)}); give --host IP`);
      });
      await sleep(3000);
      const radios = listener.radios();
      await listener.stop();
      if (radios.length !== 1) {
        const list = radios.map((r) => `  ${r.beacon.model ?? 'radio'} ${r.beacon.serial ?? ''} at ${r.beacon.ip ?? r.from.ip}:${r.beacon.port ?? 4992} (${r.beacon.status ?? '?'})`).join('\n');
        throw new UsageError(
          radios.length === 0
            ? 'no radio announced itself on this network (normal across a router or VPN): give --host IP, or use --smartlink'
            : `${radios.length} radios found; choose one with --host:\n${list}`,
        );
      }
      const r = radios[0]!;
      target = { host: r.beacon.ip ?? r.from.ip, port: r.beacon.port ?? 4992 };
      found = r.beacon;
      say(`found ${r.beacon.model ?? 'a radio'} ${r.beacon.serial ?? ''} at ${target.host}:${target.port}`);
    }
    // The beacon already collected decides observer vs probe too: it is not thrown away.
    run = startLanDiagnosis({ ...common, host: target.host, port: target.port, mode, ...(discoveryPort ? { discoveryPort } : {}), ...(dataPort !== undefined ? { dataPort } : {}), ...(found ? { beacon: found } : {}) });
  }

  // Ctrl+C: stop early but still tidy up on the radio and print what was found.
  const onSignal = (): void => {
    say('stopping …');
    void run.stop();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let report: AnalysisReport;
  try {
    report = await run.done;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const text = formatReport(wantsRedaction(values) ? redactReport(report) : report, format);
  if (values.out) await writeOutput(values.out, text);
  else out.write(text);
  if (values.write) say(`what FlexPath sent and received is in ${values.write}`);
  return EXIT.ok;
}
