/**
 * Discovery beacon payload (PCC 0xFFFF, reference §4.2): ASCII `key=value` tokens separated by single
 * spaces, NUL-padded to a word boundary. Tokens are kept in order and verbatim (including ones without
 * `=`, which FlexLib skips) so that decode → encode reproduces the radio's bytes.
 */

export interface DiscoveryPayload {
  /** [key, value]; value is null for a token that had no `=`. Keys as sent (FlexLib lower-cases them). */
  tokens: Array<[string, string | null]>;
  /** The text was not UTF-8 and was read as latin1; it is written back the same way. */
  latin1?: true;
}

/** The fields a user cares about, read from a beacon; every other key stays in `extra`. */
export interface RadioBeacon {
  protocolVersion?: string;
  model?: string;
  serial?: string;
  version?: string;
  nickname?: string;
  callsign?: string;
  ip?: string;
  port?: number;
  status?: string;
  inuseIp?: string[];
  inuseHost?: string[];
  licensedClients?: number;
  availableClients?: number;
  wanConnected?: boolean;
  guiClients: Array<{ ip?: string; host?: string; program?: string; station?: string; handle?: string }>;
  extra: Record<string, string>;
}

function textOf(p: DiscoveryPayload): string {
  return p.tokens.map(([k, v]) => (v === null ? k : `${k}=${v}`)).join(' ');
}

export const discovery = {
  encodingLength(p: DiscoveryPayload): number {
    return Buffer.byteLength(textOf(p), p.latin1 ? 'latin1' : 'utf8');
  },
  encode(p: DiscoveryPayload, buf?: Buffer, offset = 0): Buffer {
    const text = textOf(p);
    const enc = p.latin1 ? 'latin1' : 'utf8';
    const out = buf ?? Buffer.alloc(Buffer.byteLength(text, enc));
    out.write(text, offset, enc);
    return out;
  },
  /** Reads text up to the first NUL (or `end`); the NUL padding is left for the packet layer. */
  decode(buf: Buffer, offset = 0, end = buf.length): DiscoveryPayload {
    let stop = buf.indexOf(0, offset);
    if (stop < 0 || stop > end) stop = end;
    // FlexLib decodes leniently rather than drop the beacon (reference §11 "Discovery text"); bytes that
    // are not UTF-8 are read as latin1, so a nickname typed in a legacy code page still shows.
    let text = buf.toString('utf8', offset, stop);
    const latin1 = text.includes('\uFFFD');
    if (latin1) text = buf.toString('latin1', offset, stop);
    const tokens: Array<[string, string | null]> = text.length === 0 ? [] : text.split(' ').map((tok) => {
      const eq = tok.indexOf('=');
      return eq < 0 ? [tok, null] : [tok.slice(0, eq), tok.slice(eq + 1)];
    });
    return latin1 ? { tokens, latin1: true } : { tokens };
  },
};

function list(v: string | undefined): string[] | undefined {
  return v === undefined ? undefined : v.length === 0 ? [] : v.split(',');
}

function int(v: string | undefined): number | undefined {
  if (v === undefined || !/^-?\d+$/.test(v)) return undefined;
  return Number(v);
}

const KNOWN = new Set([
  'discovery_protocol_version', 'model', 'serial', 'version', 'nickname', 'name', 'callsign', 'ip', 'port', 'status',
  'inuse_ip', 'inuse_host', 'licensed_clients', 'available_clients', 'wan_connected', 'gui_client_ips',
  'gui_client_hosts', 'gui_client_programs', 'gui_client_stations', 'gui_client_handles',
]);

/** Interprets a beacon like FlexLib does: keys lower-cased, v1 `name` accepted for `nickname`. */
export function readBeacon(p: DiscoveryPayload): RadioBeacon {
  const f = new Map<string, string>();
  for (const [k, v] of p.tokens) if (v !== null && k.length > 0) f.set(k.toLowerCase(), v);
  const programs = list(f.get('gui_client_programs')) ?? [];
  const stations = list(f.get('gui_client_stations')) ?? [];
  const handles = list(f.get('gui_client_handles')) ?? [];
  const ips = list(f.get('gui_client_ips')) ?? [];
  const hosts = list(f.get('gui_client_hosts')) ?? [];
  // FlexLib discards the GUI client lists when program/station/handle lengths differ.
  const consistent = programs.length === stations.length && stations.length === handles.length;
  const guiClients = consistent
    ? programs.map((program, i) => ({
        program,
        // Stations use 0x7F in place of spaces (reference §4.2).
        station: stations[i]?.replaceAll('\x7f', ' '),
        handle: handles[i],
        ip: ips[i],
        host: hosts[i],
      }))
    : [];
  const extra: Record<string, string> = {};
  for (const [k, v] of f) if (!KNOWN.has(k)) extra[k] = v;
  const b: RadioBeacon = { guiClients, extra };
  const set = <K extends keyof RadioBeacon>(key: K, value: RadioBeacon[K] | undefined): void => {
    if (value !== undefined) b[key] = value;
  };
  set('protocolVersion', f.get('discovery_protocol_version'));
  set('model', f.get('model'));
  set('serial', f.get('serial'));
  set('version', f.get('version'));
  // Verbatim, as FlexLib keeps it (reference §11): an underscore may be the owner's own.
  set('nickname', f.get('nickname') ?? f.get('name'));
  set('callsign', f.get('callsign'));
  set('ip', f.get('ip'));
  set('port', int(f.get('port')));
  set('status', f.get('status'));
  set('inuseIp', list(f.get('inuse_ip')));
  set('inuseHost', list(f.get('inuse_host')));
  set('licensedClients', int(f.get('licensed_clients')));
  set('availableClients', int(f.get('available_clients')));
  const wan = f.get('wan_connected');
  if (wan !== undefined) b.wanConnected = wan === '1';
  return b;
}
