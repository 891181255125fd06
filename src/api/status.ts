/**
 * The body of an `S` status line or a command: object words then `key=value` pairs, e.g.
 * `display pan 0x40000000 x_pixels=50 fps=25` or `stream 0x04000008 type=dax_rx …`. Meter lines are
 * different: `meter 1.src=COD-#1.num=1#…` with `#` separators (reference §3.3, §5.3).
 */

export interface StatusBody {
  /** Words before the first key=value pair: `['display', 'pan', '0x40000000']`. */
  object: string[];
  /** Key/value pairs in order; a key without `=` (e.g. `removed`) maps to ''. */
  fields: Map<string, string>;
  /** Bare words after the first pair (e.g. `removed`, `connected`). */
  flags: string[];
}

export function parseStatusBody(body: string): StatusBody {
  const words = body.split(' ').filter((w) => w.length > 0);
  const object: string[] = [];
  const fields = new Map<string, string>();
  const flags: string[] = [];
  let inPairs = false;
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq > 0) {
      inPairs = true;
      fields.set(w.slice(0, eq), w.slice(eq + 1));
    } else if (!inPairs && !KNOWN_FLAGS.has(w)) {
      object.push(w);
    } else {
      flags.push(w);
    }
  }
  return { object, fields, flags };
}

/** Words that are state, not part of the object name, even when no key=value precedes them. */
const KNOWN_FLAGS = new Set(['removed', 'connected', 'disconnected']);

export interface MeterDefinition {
  id: number;
  src?: string;
  num?: string;
  nam?: string;
  low?: number;
  hi?: number;
  desc?: string;
  unit?: string;
  fps?: number;
}

/** `meter 1.src=COD-#1.num=1#1.nam=MICPEAK#…#` → definitions by ID. Also handles `meter 5 removed`. */
export function parseMeterBody(body: string): { defs: MeterDefinition[]; removed: number[] } {
  const rest = body.replace(/^meter\s*/, '');
  const removedMatch = /^(\d+)\s+removed\b/.exec(rest);
  if (removedMatch?.[1]) return { defs: [], removed: [Number(removedMatch[1])] };
  const byId = new Map<number, MeterDefinition>();
  for (const part of rest.split('#')) {
    const m = /^(\d+)\.(\w+)=(.*)$/.exec(part);
    if (!m || !m[1] || !m[2] || m[3] === undefined) continue;
    const id = Number(m[1]);
    let d = byId.get(id);
    if (!d) {
      d = { id };
      byId.set(id, d);
    }
    const v = m[3];
    switch (m[2]) {
      case 'low':
      case 'hi':
      case 'fps':
        if (v !== '' && Number.isFinite(Number(v))) d[m[2]] = Number(v);
        break;
      case 'src':
      case 'num':
      case 'nam':
      case 'desc':
      case 'unit':
        d[m[2]] = v;
        break;
    }
  }
  return { defs: [...byId.values()], removed: [] };
}

export function formatMeterBody(defs: MeterDefinition[]): string {
  let out = 'meter ';
  for (const d of defs) {
    for (const key of ['src', 'num', 'nam', 'low', 'hi', 'desc', 'unit', 'fps'] as const) {
      const v = d[key];
      if (v !== undefined) out += `${d.id}.${key}=${v}#`;
    }
  }
  return out;
}
