/**
 * Mutated SmartSDR API lines and SmartLink broker lines through the line parser (parseLine) and through
 * the control tracker (Analyzer.feed with tcp-data events, cut at random places; some as UDP
 * registration datagrams).
 *
 * Invariants: parseLine throws only DecodeError, naming an offset inside the line; a line it accepts
 * formats back to one that parses to the same value; the tracker never throws, keeps its state within
 * its bounds, and its report renders.
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { Analyzer } from '../../src/analysis/analyzer.js';
import { formatLine, parseLine } from '../../src/api/lines.js';
import type { Endpoint, NetEvent } from '../../src/capture/types.js';
import { DecodeError } from '../../src/common/decode-error.js';
import { fixture } from '../helpers/paths.js';
import { type FuzzOptions, type FuzzResult, Recorder, describeError, inputRandom } from './harness.js';
import { type Rnd, int, pick } from './mutate.js';
import { checkAnalyzer } from './report-check.js';

/** Broker lines written from the message tables in reference §6.2 (there is no public broker capture). */
const BROKER_LINES = [
  'application register name=SmartSDR-Win platform=WIN10 token=eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl',
  'application info public_ip=203.0.113.7',
  'application user_settings callsign=N1SH first_name=A last_name=B',
  'application registration_invalid',
  'radio list radio_name=Flex-6600M callsign=N1SH serial=0621-1104-6601-1641 model=FLEX-6600M version=3.2.39.3374 status=Available last_seen=3/19/2021_12:58:38_PM public_ip=203.0.113.9 public_tls_port=-1 public_udp_port=-1 upnp_supported=1 public_upnp_tls_port=21000 public_upnp_udp_port=22000|',
  'application connect serial=0621-1104-6601-1641 hole_punch_port=0',
  'radio connect_ready handle=0x12345678 serial=0621-1104-6601-1641',
  'application test_connection serial=0621-1104-6601-1641',
  'radio test_connection serial=0621-1104-6601-1641 upnp_tcp_port_working=True upnp_udp_port_working=false forward_tcp_port_working=FALSE forward_udp_port_working=true nat_supports_hole_punch=false',
  'ping from client',
];

let seedCache: string[] | undefined;

function seeds(): string[] {
  seedCache ??= [
    ...['smartsdr-win-session.txt', 'api-line-samples.txt'].flatMap((f) => readFileSync(fixture(f), 'latin1').split('\n')).filter((l) => l.length > 0),
    ...BROKER_LINES,
    'client udp_register handle=0x3621C7F5',
    'client ping handle=0x3621C7F5',
  ];
  return seedCache;
}

/** Characters the parsers split or decide on, and a few they should never see. */
const ALPHABET = ['|', '=', '#', ' ', '.', ',', '\0', '\x04', '\x7f', '\r', '\n', '"', '-', 'C', 'D', 'R', 'S', 'M', 'V', 'H', '0', '9', 'a', 'f', 'x', '\xff'];
const NUMBERS = ['0', '-1', '4294967295', '4294967296', '99999999999999999999', '1e309', 'NaN', '0x', '0xFFFFFFFFF', '', '-0', '1.5.6.7.8'];

/** 1–3 edits of a seed line; now and then one that grows it past the splitter's 64 KiB line limit. */
function mutateLine(rnd: Rnd): string {
  let s = pick(rnd, seeds());
  for (let n = 1 + int(rnd, 3); n > 0; n--) {
    const at = int(rnd, s.length + 1);
    const r = rnd();
    if (r < 0.3) s = s.slice(0, at) + (rnd() < 0.8 ? pick(rnd, ALPHABET) : String.fromCharCode(int(rnd, 256))) + s.slice(at + 1);
    else if (r < 0.4) s = s.slice(0, at) + pick(rnd, ALPHABET) + s.slice(at);
    else if (r < 0.5) s = s.slice(0, at) + s.slice(at + 1 + int(rnd, 16));
    else if (r < 0.6) s = s.slice(0, at);
    else if (r < 0.7) {
      const other = pick(rnd, seeds());
      s = s.slice(0, at) + other.slice(int(rnd, other.length + 1));
    } else if (r < 0.85) s = s.replace(/-?\d+/g, (m) => (rnd() < 0.3 ? pick(rnd, NUMBERS) : m));
    else if (r < 0.98) s = s.slice(0, at) + s.slice(at, at + 1 + int(rnd, 40)).repeat(2 + int(rnd, 20)) + s.slice(at);
    else s = s.slice(0, at) + s.slice(at, at + 1 + int(rnd, 64)).repeat(1200 + int(rnd, 200)) + s.slice(at);
  }
  return s;
}

/** Returns the outcome name, or throws a string naming the broken invariant. */
function parseInput(line: string): string {
  let parsed;
  try {
    parsed = parseLine(line);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw `parseLine threw ${describeError(e)}`;
    if (!(e.offset >= 0 && e.offset <= line.length)) throw `DecodeError offset ${e.offset} is outside the ${line.length}-char line`;
    return `DecodeError: ${e.field}`;
  }
  // Lines reach the parser from the splitter, which never leaves CR or LF in them.
  if (!/[\r\n]/.test(line)) {
    const again = parseLine(formatLine(parsed));
    if (!isDeepStrictEqual(again, parsed)) throw `parse → format → parse changed ${JSON.stringify(parsed).slice(0, 200)} into ${JSON.stringify(again).slice(0, 200)}`;
  }
  return `parsed: ${parsed.type}`;
}

/** Lines between two checked reports of the run's one Analyzer. */
const SNAPSHOT_EVERY = 1000;
const CLIENT = '192.168.10.20';
const API: Endpoint = { ip: '192.168.10.27', port: 4992 };
const CONNECTIONS: Array<{ client: Endpoint; server: Endpoint }> = [
  { client: { ip: CLIENT, port: 53344 }, server: API },
  { client: { ip: CLIENT, port: 50000 }, server: { ip: '198.51.100.4', port: 443 } },
  { client: { ip: CLIENT, port: 50001 }, server: { ip: '192.168.10.27', port: 5000 } },
];

/** The events that carry one line: which connection and direction, how it is cut, what comes before it. */
function lineEvents(rnd: Rnd, line: string, ts: number): NetEvent[] {
  // Now and then a new connection to the API port, so the number of sessions grows over the run.
  const c = rnd() < 0.02 ? { client: { ip: CLIENT, port: 1024 + int(rnd, 64_000) }, server: API } : pick(rnd, CONNECTIONS);
  const fromClient = (/^(C|application |ping from)/.test(line) ? rnd() < 0.9 : rnd() < 0.1);
  const [src, dst] = fromClient ? [c.client, c.server] : [c.server, c.client];
  const ev: NetEvent[] = [];
  const r = rnd();
  if (r < 0.03) {
    ev.push({ type: 'udp', ts, src: c.client, dst: { ip: c.server.ip, port: 4993 }, payload: Buffer.from(line, 'latin1') });
    return ev;
  }
  if (r < 0.035) ev.push({ type: 'tcp-open', ts, src: c.client, dst: c.server });
  else if (r < 0.04) ev.push({ type: pick(rnd, ['tcp-close', 'tcp-reset'] as const), ts, src, dst });
  else if (r < 0.045) ev.push({ type: 'tcp-gap', ts, src, dst, missingBytes: 1 + int(rnd, 5000) });
  const end = rnd();
  const data = Buffer.from(line + (end < 0.85 ? '\n' : end < 0.95 ? '\r\n' : end < 0.98 ? '\r' : ''), 'latin1');
  const cut = rnd();
  const maxChunk = cut < 0.8 ? data.length : cut < 0.95 ? 64 : 4;
  for (let o = 0; o < data.length; ) {
    const n = Math.max(1, Math.min(data.length - o, 1 + int(rnd, maxChunk)));
    ev.push({ type: 'tcp-data', ts, src, dst, data: data.subarray(o, o + n) });
    o += n;
  }
  return ev;
}

/**
 * One Analyzer for the whole run, as for one long capture, so state that grows with the input shows:
 * every SNAPSHOT_EVERY lines its state and report are checked, and at the end after finish().
 */
export function fuzzLines(opts: FuzzOptions): FuzzResult {
  const rec = new Recorder('lines', opts);
  const a = new Analyzer();
  let last = -1;
  for (const i of rec.indices()) {
    const rnd = inputRandom(opts.seed, 'lines', i);
    const line = mutateLine(rnd);
    const events = lineEvents(rnd, line, 1_700_000_000 + i / 100);
    rec.begin(i);
    try {
      rec.outcome(parseInput(line));
    } catch (e) {
      rec.fail(i, `${typeof e === 'string' ? e : describeError(e)}\n    line ${JSON.stringify(line.slice(0, 300))}`);
    }
    try {
      for (const e of events) a.feed(e);
    } catch (e) {
      // An analyzer that threw halfway cannot be judged any further.
      rec.fail(i, `Analyzer.feed threw ${describeError(e)}\n    line ${JSON.stringify(line.slice(0, 300))}`, true);
      return rec.result;
    }
    rec.end(i, () => `${line.length}-char line in ${events.length} event(s): ${JSON.stringify(line.slice(0, 60))}`);
    last = i;
    if ((i + 1) % SNAPSHOT_EVERY === 0) checkAnalyzer(rec, i, a, false);
  }
  checkAnalyzer(rec, last, a, true);
  const c = a.control;
  rec.outcome('sessions tracked at the end', c.sessions.length);
  rec.outcome('TCP events past the session bound', c.untracked.tcpEvents);
  return rec.result;
}
