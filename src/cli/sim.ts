/**
 * `flexpath sim`: a simulated FlexRadio (and optionally its SmartLink broker) with faults, for demos,
 * for showing a customer what healthy looks like, and as the test bed. Loopback only unless `--listen`
 * names another address. Runs until Ctrl+C or `--seconds`, then prints what it sent per stream.
 */
import { formatStreamId, streamId } from '../vita/stream-id.js';
import { FAULTS, FaultSpecError, formatFaults, parseFaults } from '../sim/faults.js';
import { MODELS } from '../sim/model.js';
import { startSimulator, type Simulator } from '../sim/radio-sim.js';
import { EXIT, UsageError, parse, untilStopped } from './common.js';
import { claimOutput } from './output-file.js';

export const SIM_HELP = [
  'sim [--port-base P] [--fault SPEC]... [--broker [--broker-listen ADDR]] [--seconds N] [--write F.pcapng [--force]] [--listen ADDR]',
  '      [--model M] [--operator] [--public-ip IP] [--discovery ADDR:PORT|off] [--token T]... [--rate-scale X] [--seed N]',
  '    a simulated radio on loopback; --broker-listen gives the broker an address of its own, from which',
  '    test_connection measures the radio\'s ports at --public-ip (as the real server does); faults:',
  ...FAULTS.map((f) => `      ${f.help}`),
].join('\n');

function num(v: string | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === '' || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number ${min}–${max} (got "${v}")`);
  return n;
}

export async function runSim(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values } = parse(
    argv,
    {
      'port-base': { type: 'string' },
      fault: { type: 'string', multiple: true },
      broker: { type: 'boolean' },
      'broker-listen': { type: 'string' },
      seconds: { type: 'string' },
      write: { type: 'string' },
      force: { type: 'boolean' },
      listen: { type: 'string' },
      model: { type: 'string' },
      operator: { type: 'boolean' },
      'public-ip': { type: 'string' },
      discovery: { type: 'string' },
      token: { type: 'string', multiple: true },
      'rate-scale': { type: 'string' },
      seed: { type: 'string' },
    },
    false,
  );
  let faults;
  try {
    faults = parseFaults(values.fault ?? []);
  } catch (e) {
    if (e instanceof FaultSpecError) throw new UsageError(e.message);
    throw e;
  }
  if (values.model !== undefined && !MODELS[values.model]) throw new UsageError(`--model must be one of ${Object.keys(MODELS).join(', ')}`);
  const portBase = num(values['port-base'], 'port-base', 0, 65532) ?? 4992;
  const seconds = num(values.seconds, 'seconds', 0, 1e7);
  let discovery: { address: string; port: number } | false | undefined;
  if (values.discovery === 'off') discovery = false;
  else if (values.discovery !== undefined) {
    const m = /^(.+):(\d+)$/.exec(values.discovery);
    if (!m?.[1] || !m[2]) throw new UsageError('--discovery must be ADDR:PORT or off');
    discovery = { address: m[1], port: Number(m[2]) };
  }
  if (values.write) await claimOutput(values.write, { option: 'write', force: values.force === true });
  let sim: Simulator;
  try {
    sim = await startSimulator({
      host: values.listen ?? '127.0.0.1',
      portBase,
      faults,
      broker: values.broker === true,
      ...(values['broker-listen'] ? { brokerHost: values['broker-listen'] } : {}),
      operator: values.operator === true,
      rateScale: num(values['rate-scale'], 'rate-scale', 0.01, 1000) ?? 1,
      ...(values.model ? { model: values.model } : {}),
      ...(values.write ? { write: values.write } : {}),
      ...(values['public-ip'] ? { publicIp: values['public-ip'] } : {}),
      ...(discovery !== undefined ? { discovery } : {}),
      ...(values.token ? { tokens: values.token } : {}),
      ...(values.seed !== undefined ? { seed: num(values.seed, 'seed', 0, 2 ** 32 - 1) ?? 0 } : {}),
    });
  } catch (e) {
    process.stderr.write(`flexpath sim: cannot start: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.badInput;
  }
  const p = sim.ports;
  out.write(
    `simulated ${sim.core.identity.spec.model} "${sim.core.identity.nickname}" (SIMULATED) on ${sim.host}\n` +
      `  API tcp ${p.api}   data udp ${p.data}   WAN tls ${p.tls}` +
      (p.broker !== undefined ? `   SmartLink broker tls ${sim.brokerHost ? `${sim.brokerHost}:${p.broker} (test_connection measured)` : p.broker}` : '') +
      (p.discovery !== undefined ? `   beacons from udp ${p.discovery}` : '') +
      `\n  router: ${sim.wanMode}` +
      (formatFaults(faults).length ? `   faults: ${formatFaults(faults).join(' ')}` : '   faults: none') +
      '\n',
  );
  await untilStopped(seconds);
  const stats = sim.streamStats();
  const beacons = sim.beaconsSent();
  await sim.stop();
  out.write(`sent: ${beacons} beacons\n`);
  for (const s of stats) {
    const dropped = Object.entries({ ...s.dropped, 'send error': s.sendErrors }).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`);
    out.write(`  ${s.cls.padEnd(10)} ${formatStreamId(streamId(s.streamId))} → ${s.dst.ip}:${s.dst.port}  ${s.sent} datagrams${dropped.length ? `, dropped: ${dropped.join(', ')}` : ''}\n`);
  }
  if (values.write) out.write(`capture written to ${values.write}\n`);
  return EXIT.ok;
}
