/**
 * SmartLink broker lines (reference §6.2): plain `verb object key=value …` text over TLS, server lines
 * ending CRLF. Parsed here once for the capture analysis (which reads them off the wire) and for
 * FlexPath's own broker client.
 */

export interface BrokerRadio {
  serial: string;
  /** Every field as sent (`public_udp_port`, `upnp_supported`, …). */
  fields: Map<string, string>;
}

export interface TestConnection {
  serial?: string;
  upnpTcp?: boolean;
  upnpUdp?: boolean;
  forwardTcp?: boolean;
  forwardUdp?: boolean;
  /** `nat_supports_hole_punch` ("NAT Preserves Ports" in FlexLib). */
  holePunch?: boolean;
}

/** `key=value` words of a line; words without `=` are skipped. */
export function pairs(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const w of text.split(' ')) {
    const eq = w.indexOf('=');
    if (eq > 0) m.set(w.slice(0, eq), w.slice(eq + 1).trim());
  }
  return m;
}

/** Lines a broker or its client sends; no C/R/S prefix, unlike the radio API. */
export function isBrokerLine(text: string): boolean {
  return /^(application (register|connect|info|registration_invalid|user_settings|test_connection|disconnect_users)|radio (list|connect_ready|test_connection)|ping from client)\b/.test(text);
}

/** `radio list <radio>|<radio>|…`: one key=value set per radio, `|` after each (reference §6.2). */
export function parseRadioList(text: string, max = 200): BrokerRadio[] {
  const radios: BrokerRadio[] = [];
  for (const part of text.replace(/^radio list\s*/, '').split('|')) {
    const fields = pairs(part);
    const serial = fields.get('serial');
    if (serial) radios.push({ serial, fields });
    if (radios.length >= max) break;
  }
  return radios;
}

/** .NET booleans, as FlexLib parses them: true/false, any case. */
function bool(f: Map<string, string>, key: string): boolean | undefined {
  const v = f.get(key);
  return v === undefined ? undefined : v.toLowerCase() === 'true';
}

export function parseTestConnection(text: string): TestConnection {
  const f = pairs(text);
  const t: TestConnection = {};
  const set = <K extends keyof TestConnection>(k: K, v: TestConnection[K] | undefined): void => {
    if (v !== undefined) t[k] = v;
  };
  set('serial', f.get('serial'));
  set('upnpTcp', bool(f, 'upnp_tcp_port_working'));
  set('upnpUdp', bool(f, 'upnp_udp_port_working'));
  set('forwardTcp', bool(f, 'forward_tcp_port_working'));
  set('forwardUdp', bool(f, 'forward_udp_port_working'));
  set('holePunch', bool(f, 'nat_supports_hole_punch'));
  return t;
}

/**
 * Which ports a client uses to reach the radio, as FlexLib chooses (reference §6.4): forwarded ports
 * when both are set, else the UPnP ports when UPnP is supported, else hole punching.
 */
export type PortChoice =
  | { mode: 'forward' | 'upnp'; tlsPort: number; udpPort: number }
  | { mode: 'hole-punch' };

export function choosePorts(r: BrokerRadio): PortChoice {
  const n = (k: string): number => {
    const v = Number(r.fields.get(k) ?? '-1');
    return Number.isInteger(v) ? v : -1;
  };
  const tls = n('public_tls_port');
  const udp = n('public_udp_port');
  if (tls > 0 && udp > 0) return { mode: 'forward', tlsPort: tls, udpPort: udp };
  if (r.fields.get('upnp_supported') === '1') {
    const ut = n('public_upnp_tls_port');
    const uu = n('public_upnp_udp_port');
    if (ut > 0 && uu > 0) return { mode: 'upnp', tlsPort: ut, udpPort: uu };
  }
  return { mode: 'hole-punch' };
}
