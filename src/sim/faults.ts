/**
 * Simulator faults (DESIGN.md §5), combinable, written `name[=value]` on the command line
 * (`--fault mtu=1400 --fault loss=5`) and built as objects by tests and the demo.
 *
 * Data-plane faults act on the datagrams the radio sends, so what leaves the simulator is what a client
 * behind that fault would receive. Control-plane faults change how the radio or broker answers.
 */

/** Data classes as the simulator sends them; `dax` covers DAX audio and DAX IQ. */
const DATA_CLASSES = ['meter', 'panadapter', 'waterfall', 'audio', 'dax'] as const;
export type DataClass = (typeof DATA_CLASSES)[number];

export interface SimFaults {
  /** Classes never sent (as if filtered by class). */
  drop?: DataClass[];
  /** Datagrams whose IP packet (UDP payload + 28) exceeds this are dropped: DF is set, the path MTU is smaller. */
  mtu?: number;
  /** Percent of datagrams lost at random. */
  lossPct?: number;
  /** The random loss falls only on datagrams to this UDP port: one client's path when several clients are connected. */
  lossPort?: number;
  /** Link capacity in kbit/s (IP bytes); a small token bucket drops what does not fit, as a policer does. */
  rateKbps?: number;
  /** Each datagram is delayed by a random 0…N ms (late and bunched arrivals; reorders when N exceeds the spacing). */
  jitterMs?: number;
  /** Percent of datagrams held back behind the next one. */
  reorderPct?: number;
  /** Percent of datagrams sent twice. */
  duplicatePct?: number;
  /** Data goes to this port instead of the one the client announced (true: announced + 1). */
  wrongPort?: number | true;
  /** Pings stop being answered this many seconds after the client connected (0 = never answered). */
  noPingReplyAfterS?: number;
  /** The radio resets the control connection this many seconds after it opened. */
  tcpResetAfterS?: number;
  /** Every line the radio sends on the control channel (prologue, replies, status) leaves this many ms late: a long round trip. */
  controlLatencyMs?: number;
  /** `wan validate` is refused: `client … disconnected wan_validation_failed=1`, then the connection closes. */
  refuseWanValidate?: boolean;
  /** The radio is not registered with SmartLink: absent from the radio list, `wan server_connected=0`. */
  notRegistered?: boolean;
  /** No manual port forward: `public_tls_port=-1 public_udp_port=-1`. */
  noForward?: boolean;
  /** UPnP off on the radio's router: `upnp_supported=0`. */
  noUpnp?: boolean;
  /** `application test_connection` reports every check false. */
  testConnectionFail?: boolean;
  /** `client udp_register` datagrams are ignored: the radio never learns where to send WAN data. */
  ignoreUdpRegister?: boolean;
  /** Data stops this many seconds after it started (a NAT mapping expiring). */
  udpStopAfterS?: number;
  /** Every datagram dropped from `startS` to `startS + lengthS` after the data started, then it flows again (a link down for a stretch). */
  outages?: Array<{ startS: number; lengthS: number }>;
  /** The SmartLink broker does not listen at all. */
  brokerDown?: boolean;
  /**
   * `display pan create` and `stream create` are refused with this reply code, as a radio without the
   * licence or the resources refuses them (reference §5.4, §11: e.g. 0x50000003, 0x5000008E).
   */
  refuseCreate?: number;
}

interface FaultSyntax {
  name: string;
  value: 'none' | 'number' | 'optional-number' | 'classes' | 'interval';
  help: string;
  apply(f: SimFaults, v: FaultValue): void;
}

type FaultValue = number | DataClass[] | { startS: number; lengthS: number } | undefined;

const num = (v: FaultValue): number => (typeof v === 'number' ? v : 0);

/** One entry per fault: its spelling, what value it takes, what it does. The CLI's help comes from here. */
export const FAULTS: FaultSyntax[] = [
  { name: 'drop', value: 'classes', help: 'drop=panadapter,waterfall  never send these classes (meter, panadapter, waterfall, audio, dax)', apply: (f, v) => { f.drop = [...new Set([...(f.drop ?? []), ...(Array.isArray(v) ? v : [])])]; } },
  { name: 'mtu', value: 'number', help: 'mtu=1400  drop datagrams larger than this IP size (DF set, path MTU too small)', apply: (f, v) => { f.mtu = num(v); } },
  { name: 'loss', value: 'number', help: 'loss=5  lose this percent of datagrams at random', apply: (f, v) => { f.lossPct = num(v); } },
  { name: 'loss-port', value: 'number', help: 'loss-port=4995  the random loss falls only on datagrams to this UDP port (one client of several)', apply: (f, v) => { f.lossPort = num(v); } },
  { name: 'rate', value: 'number', help: 'rate=800  cap the link at this many kbit/s (excess dropped)', apply: (f, v) => { f.rateKbps = num(v); } },
  { name: 'jitter', value: 'number', help: 'jitter=40  delay each datagram by a random 0…N ms', apply: (f, v) => { f.jitterMs = num(v); } },
  { name: 'reorder', value: 'number', help: 'reorder=5  hold this percent of datagrams behind the next one', apply: (f, v) => { f.reorderPct = num(v); } },
  { name: 'duplicate', value: 'number', help: 'duplicate=5  send this percent of datagrams twice', apply: (f, v) => { f.duplicatePct = num(v); } },
  { name: 'wrong-port', value: 'optional-number', help: 'wrong-port[=P]  send data to port P (default: the announced port + 1)', apply: (f, v) => { f.wrongPort = typeof v === 'number' ? v : true; } },
  { name: 'no-ping-reply', value: 'optional-number', help: 'no-ping-reply[=N]  stop answering pings N s after connect (default 0)', apply: (f, v) => { f.noPingReplyAfterS = num(v); } },
  { name: 'latency', value: 'number', help: 'latency=800  the radio’s control-channel lines leave N ms late (a long round trip)', apply: (f, v) => { f.controlLatencyMs = num(v); } },
  { name: 'tcp-reset', value: 'number', help: 'tcp-reset=N  reset the control connection N s after it opened', apply: (f, v) => { f.tcpResetAfterS = num(v); } },
  { name: 'refuse-wan-validate', value: 'none', help: 'refuse-wan-validate  fail `wan validate` (wan_validation_failed=1)', apply: (f) => { f.refuseWanValidate = true; } },
  { name: 'not-registered', value: 'none', help: 'not-registered  radio not registered with SmartLink', apply: (f) => { f.notRegistered = true; } },
  { name: 'no-forward', value: 'none', help: 'no-forward  no manual port forward (public_tls_port=-1 public_udp_port=-1)', apply: (f) => { f.noForward = true; } },
  { name: 'no-upnp', value: 'none', help: 'no-upnp  UPnP off on the radio’s router', apply: (f) => { f.noUpnp = true; } },
  { name: 'test-fail', value: 'none', help: 'test-fail  test_connection reports every check false', apply: (f) => { f.testConnectionFail = true; } },
  { name: 'ignore-udp-register', value: 'none', help: 'ignore-udp-register  ignore `client udp_register` datagrams', apply: (f) => { f.ignoreUdpRegister = true; } },
  { name: 'udp-stop', value: 'number', help: 'udp-stop=N  data stops N s after it started (NAT mapping expiry)', apply: (f, v) => { f.udpStopAfterS = num(v); } },
  {
    name: 'outage',
    value: 'interval',
    help: 'outage=4:3  drop every datagram from 4 s after the data started, for 3 s; then it flows again (repeatable)',
    apply: (f, v) => {
      if (typeof v === 'object' && !Array.isArray(v)) f.outages = [...(f.outages ?? []), v];
    },
  },
  { name: 'broker-down', value: 'none', help: 'broker-down  the SmartLink broker does not listen', apply: (f) => { f.brokerDown = true; } },
  { name: 'refuse-create', value: 'number', help: 'refuse-create=0x5000008E  refuse pan and stream creation with this reply code (licence, resources)', apply: (f, v) => { f.refuseCreate = num(v); } },
];

export class FaultSpecError extends Error {}

/** Parses `name[=value]` specs into one SimFaults; throws FaultSpecError naming the bad spec. */
export function parseFaults(specs: string[]): SimFaults {
  const f: SimFaults = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const name = eq < 0 ? spec : spec.slice(0, eq);
    const raw = eq < 0 ? undefined : spec.slice(eq + 1);
    const syntax = FAULTS.find((s) => s.name === name);
    if (!syntax) throw new FaultSpecError(`unknown fault "${name}" (known: ${FAULTS.map((s) => s.name).join(', ')})`);
    switch (syntax.value) {
      case 'none':
        if (raw !== undefined) throw new FaultSpecError(`fault "${name}" takes no value`);
        syntax.apply(f, undefined);
        break;
      case 'number':
      case 'optional-number': {
        if (raw === undefined) {
          if (syntax.value === 'number') throw new FaultSpecError(`fault "${name}" needs a value: ${syntax.help}`);
          syntax.apply(f, undefined);
          break;
        }
        const v = Number(raw);
        if (raw === '' || !Number.isFinite(v) || v < 0) throw new FaultSpecError(`fault "${name}": "${raw}" is not a non-negative number`);
        if ((name === 'loss' || name === 'reorder' || name === 'duplicate') && v > 100) throw new FaultSpecError(`fault "${name}": ${v} is more than 100 %`);
        syntax.apply(f, v);
        break;
      }
      case 'interval': {
        const m = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(raw ?? '');
        if (!m || Number(m[2]) <= 0) throw new FaultSpecError(`fault "${name}": give START:LENGTH in seconds, LENGTH above 0 (${syntax.help})`);
        syntax.apply(f, { startS: Number(m[1]), lengthS: Number(m[2]) });
        break;
      }
      case 'classes': {
        const list = (raw ?? '').split(',').filter((x) => x.length > 0);
        const bad = list.filter((x) => !(DATA_CLASSES as readonly string[]).includes(x));
        if (list.length === 0 || bad.length > 0) throw new FaultSpecError(`fault "${name}": give classes from ${DATA_CLASSES.join(', ')}${bad.length ? ` (not: ${bad.join(', ')})` : ''}`);
        syntax.apply(f, list as DataClass[]);
        break;
      }
    }
  }
  return f;
}

/** Back to `name[=value]` specs, for printing what a simulator runs with. */
export function formatFaults(f: SimFaults): string[] {
  const out: string[] = [];
  if (f.drop?.length) out.push(`drop=${f.drop.join(',')}`);
  if (f.mtu !== undefined) out.push(`mtu=${f.mtu}`);
  if (f.lossPct !== undefined) out.push(`loss=${f.lossPct}`);
  if (f.lossPort !== undefined) out.push(`loss-port=${f.lossPort}`);
  if (f.rateKbps !== undefined) out.push(`rate=${f.rateKbps}`);
  if (f.jitterMs !== undefined) out.push(`jitter=${f.jitterMs}`);
  if (f.reorderPct !== undefined) out.push(`reorder=${f.reorderPct}`);
  if (f.duplicatePct !== undefined) out.push(`duplicate=${f.duplicatePct}`);
  if (f.wrongPort !== undefined) out.push(f.wrongPort === true ? 'wrong-port' : `wrong-port=${f.wrongPort}`);
  if (f.noPingReplyAfterS !== undefined) out.push(`no-ping-reply=${f.noPingReplyAfterS}`);
  if (f.controlLatencyMs !== undefined) out.push(`latency=${f.controlLatencyMs}`);
  if (f.tcpResetAfterS !== undefined) out.push(`tcp-reset=${f.tcpResetAfterS}`);
  if (f.refuseWanValidate) out.push('refuse-wan-validate');
  if (f.notRegistered) out.push('not-registered');
  if (f.noForward) out.push('no-forward');
  if (f.noUpnp) out.push('no-upnp');
  if (f.testConnectionFail) out.push('test-fail');
  if (f.ignoreUdpRegister) out.push('ignore-udp-register');
  if (f.udpStopAfterS !== undefined) out.push(`udp-stop=${f.udpStopAfterS}`);
  for (const o of f.outages ?? []) out.push(`outage=${o.startS}:${o.lengthS}`);
  if (f.brokerDown) out.push('broker-down');
  if (f.refuseCreate !== undefined) out.push(`refuse-create=0x${f.refuseCreate.toString(16).toUpperCase()}`);
  return out;
}
