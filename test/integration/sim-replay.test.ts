/**
 * The real SmartSDR-Win session (fixtures/smartsdr-win-session.txt, fw 3.2.39) replayed against the
 * simulator: every client command must get the result code the real radio gave, and the simulator's
 * status lines must carry the keys the real ones carry.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseStatusBody } from '../../src/api/status.js';
import { fixture } from '../helpers/paths.js';
import { lanClient, withSim } from '../helpers/sim.js';

const session = readFileSync(fixture('smartsdr-win-session.txt'), 'utf8').split('\n').filter((l) => l.length > 0);

function realExchange(): Array<{ command: string; code: number }> {
  const codes = new Map<number, number>();
  for (const l of session) {
    const m = /^R(\d+)\|([0-9A-Fa-f]+)\|/.exec(l);
    if (m?.[1] && m[2]) codes.set(Number(m[1]), parseInt(m[2], 16));
  }
  const out: Array<{ command: string; code: number }> = [];
  for (const l of session) {
    const m = /^C(\d+)\|(.*)$/.exec(l);
    if (!m?.[1] || m[2] === undefined) continue;
    const code = codes.get(Number(m[1]));
    if (code !== undefined) out.push({ command: m[2], code });
  }
  return out;
}

/** Keys of the real status lines of one kind that create the object (the long first line). */
function realKeys(pattern: RegExp): Set<string> {
  const keys = new Set<string>();
  for (const l of session) {
    const body = l.replace(/^S[0-9A-F]+\|/, '');
    if (!l.startsWith('S') || !pattern.test(body)) continue;
    if (body.startsWith('meter ')) {
      for (const part of body.slice(6).split('#')) {
        const m = /^\d+\.(\w+)=/.exec(part);
        if (m?.[1]) keys.add(m[1]);
      }
    } else {
      for (const k of parseStatusBody(body).fields.keys()) keys.add(k);
    }
  }
  return keys;
}

test('replayed SmartSDR-Win commands get the real result codes (173 × 0, 50000029 for rfgain_info 0x0)', async () => {
  const exchange = realExchange();
  assert.equal(exchange.length, 174);
  assert.equal(exchange.filter((e) => e.code === 0).length, 173);
  await withSim({}, async (sim) => {
    const c = await lanClient(sim);
    const got: string[] = [];
    for (const e of exchange) {
      const r = await c.command(e.command);
      if (r.code !== e.code) got.push(`"${e.command}": sim ${r.code.toString(16)}, real ${e.code.toString(16)}`);
    }
    assert.deepEqual(got, []);
    await c.close();
  });
});

test('status lines for pan, waterfall, meter and stream carry the keys the real radio’s carry', async () => {
  await withSim({}, async (sim) => {
    const c = await lanClient(sim);
    const bodies: string[] = [];
    c.onLine((l) => l.type === 'status' && bodies.push(l.body));
    for (const cmd of ['client program SmartSDR-Win', 'client gui', 'sub pan all', 'sub meter all', 'sub audio_stream all', 'client udpport 4991', 'stream create type=remote_audio_rx compression=opus']) {
      assert.equal((await c.command(cmd)).code, 0, cmd);
    }
    const simKeys = (pattern: RegExp): Set<string> => {
      const keys = new Set<string>();
      for (const b of bodies.filter((x) => pattern.test(x))) {
        if (b.startsWith('meter ')) for (const part of b.slice(6).split('#')) keys.add(/^\d+\.(\w+)=/.exec(part)?.[1] ?? '');
        else for (const k of parseStatusBody(b).fields.keys()) keys.add(k);
      }
      return keys;
    };
    for (const [what, pattern] of [
      ['pan', /^display pan 0x\w+ client_handle=/],
      ['waterfall', /^display waterfall 0x\w+ client_handle=/],
      ['meter', /^meter /],
      ['stream', /^stream 0x\w+ type=remote_audio_rx/],
    ] as const) {
      const real = realKeys(pattern);
      assert.ok(real.size >= 4, `fixture has ${what} lines`);
      const mine = simKeys(pattern);
      const missing = [...real].filter((k) => !mine.has(k));
      assert.deepEqual(missing, [], `${what} keys missing from the simulator`);
    }
    await c.close();
  });
});
