/**
 * `flexpath listen [--port P | --capture IFACE] [--seconds N]`: passive live statistics per stream,
 * redrawn once a second on a terminal; the full report when it ends (Ctrl+C or --seconds).
 */
import { open } from 'node:fs/promises';
import { startListening } from '../diagnose/listen.js';
import { becomeUser, captureUser } from '../diagnose/privileges.js';
import { type ReportFormat, formatReport } from '../report/format.js';
import { redactReport } from '../report/redact.js';
import type { AnalysisReport } from '../analysis/model.js';
import { EXIT, REDACT_OPTIONS, UsageError, oneOf, parse, untilStopped, wantsRedaction } from './common.js';
import { claimOutputs } from './output-file.js';

export const LISTEN_HELP = [
  'listen [--port P | --capture IFACE [--api-port P] [--filter EXPR]] [--seconds N] [--format text|json|md|html] [--out F] [--write F.pcapng] [--no-redact] [--force]',
  '    passive: count the VITA-49 arriving on a port, or read tcpdump on an interface (both planes)',
].join('\n');

function liveTable(r: AnalysisReport): string {
  const rows = r.streams.filter((s) => s.kind !== 'discovery');
  if (rows.length === 0) return 'no VITA-49 yet';
  return rows.map((s) => `${s.kind.padEnd(10)} ${s.id} ${s.src} → ${s.dst}  ${String(s.packets).padStart(7)} pkts ${s.ratePps.toFixed(1).padStart(7)}/s  lost ${s.lost}`).join('\n');
}

export async function runListen(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WriteStream = process.stderr): Promise<number> {
  const { values } = parse(
    argv,
    { port: { type: 'string' }, capture: { type: 'string' }, 'api-port': { type: 'string' }, filter: { type: 'string' }, seconds: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, write: { type: 'string' }, ...REDACT_OPTIONS, force: { type: 'boolean' } },
    false,
  );
  const format = oneOf<ReportFormat>(values.format, ['text', 'json', 'md', 'html'], 'text', 'format');
  if (values.port !== undefined && values.capture !== undefined) throw new UsageError('choose one of --port and --capture');
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) throw new UsageError(`--port must be 1–65535 (got "${values.port}")`);
  const apiPort = values['api-port'] === undefined ? undefined : Number(values['api-port']);
  if (apiPort !== undefined && (!Number.isInteger(apiPort) || apiPort < 1 || apiPort > 65535)) throw new UsageError(`--api-port must be 1–65535 (got "${values['api-port']}")`);
  const seconds = values.seconds === undefined ? undefined : Number(values.seconds);
  if (seconds !== undefined && !(seconds > 0)) throw new UsageError('--seconds must be a positive number');
  await claimOutputs([{ path: values.out, option: 'out' }, { path: values.write, option: 'write' }], values.force === true);
  const user = values.capture ? captureUser() : undefined;
  // Opened while still root (the folder may be root's), handed to the user the run continues as.
  const outFile = values.out ? await open(values.out, 'r+') : undefined;
  if (outFile && user) await outFile.chown(user.uid, user.gid);
  let l;
  try {
    l = await startListening({ ...(port !== undefined ? { port } : {}), ...(values.capture ? { captureInterface: values.capture } : {}), ...(apiPort ? { apiPort } : {}), ...(values.filter ? { filter: values.filter } : {}), ...(values.write ? { write: values.write } : {}), ...(user ? { captureAs: user.name } : {}) });
  } catch (e) {
    await outFile?.close();
    err.write(`flexpath listen: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.badInput;
  }
  if (user) {
    // tcpdump has the interface; the parsers that read what it captures need no privilege.
    becomeUser(user);
    err.write(`flexpath: capturing as ${user.name}, not root\n`);
  }
  err.write(`flexpath: listening on ${l.describe}; Ctrl+C to stop\n`);
  let lines = 0;
  const draw = err.isTTY
    ? setInterval(() => {
        const table = liveTable(l.evidence.report());
        err.write(`${lines > 0 ? `\x1b[${lines}A\x1b[J` : ''}${table}\n`);
        lines = table.split('\n').length;
      }, 1000)
    : undefined;
  let failure: unknown;
  l.ended.catch((e: unknown) => (failure = e));
  await untilStopped(seconds, l.ended);
  if (draw) clearInterval(draw);
  // After stopping: a capture's last packets come in as it stops.
  await l.stop();
  const report = l.evidence.report();
  if (failure) {
    await outFile?.close();
    err.write(`flexpath listen: ${failure instanceof Error ? failure.message : String(failure)}\n`);
    return EXIT.badInput;
  }
  const text = formatReport(wantsRedaction(values) ? redactReport(report) : report, format);
  if (outFile) {
    await outFile.writeFile(text);
    await outFile.close();
  } else out.write(text);
  return EXIT.ok;
}
