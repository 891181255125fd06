/**
 * `--redact`: hides public IP addresses, radio serials, callsigns and anything token-like from a report,
 * so a support agent can paste it into a public forum. Private/loopback addresses stay: they are what
 * makes the path readable and identify nobody.
 */
import type { AnalysisReport } from '../analysis/model.js';
import { mapStrings } from './escape.js';

const SERIAL = /\b\d{4}-\d{4}-\d{4}-\d{4}\b/g;
const IPV4 = /\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b/g;
const TOKEN = /\b(token|owner_token|id_token|password)=\S+/gi;

/** Replaces secret values in text (`application register … token=…`): for every line FlexPath records or logs. */
export function redactSecrets(text: string): string {
  return text.replace(TOKEN, '$1=<redacted>');
}
const JWT = /\beyJ[\w-]+\.[\w-]+\.[\w-]+/g;

function isPrivate(a: number, b: number): boolean {
  return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127) || (a === 198 && (b === 18 || b === 19)) || a === 0 || a >= 224;
}

export function redactReport(r: AnalysisReport): AnalysisReport {
  const callsigns = new Set(r.radios.map((x) => x.callsign).filter((c) => c.length >= 3));
  const publicIps = new Map<string, string>();
  const text = (s: string): string => {
    let out = redactSecrets(s).replace(JWT, '<redacted-token>').replace(SERIAL, '<serial>');
    out = out.replace(IPV4, (m, a: string, b: string) => {
      if (isPrivate(Number(a), Number(b))) return m;
      let alias = publicIps.get(m);
      if (!alias) {
        alias = `<public-ip-${publicIps.size + 1}>`;
        publicIps.set(m, alias);
      }
      return alias;
    });
    for (const c of callsigns) out = out.split(c).join('<callsign>');
    return out;
  };
  return mapStrings(r, text);
}
