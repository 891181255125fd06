/**
 * A live probe pauses its analysis after the judged run (the MTU steps would read as an outage of it), but
 * its `--write` recording goes on: the steps' commands and data are in the file, so `analyze` of the
 * recording judges the run with its steps as the live run does. The size cap still holds while paused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readCaptureFile } from '../../src/capture/reader.js';
import type { Endpoint } from '../../src/capture/types.js';
import { LiveEvidence } from '../../src/diagnose/live.js';
import { meterPacket } from '../helpers/packets.js';

const RADIO: Endpoint = { ip: '192.168.1.20', port: 4993 };
const US: Endpoint = { ip: '192.168.1.10', port: 4991 };

async function recorded(path: string): Promise<{ udp: number; text: string }> {
  let udp = 0;
  let text = '';
  await readCaptureFile(path, (e) => {
    if (e.type === 'udp') udp++;
    else if (e.type === 'tcp-data') text += e.data.toString('latin1');
  });
  return { udp, text };
}

test('paused: the analysis stops where it was judged, the recording keeps every datagram and command after it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flexpath-live-rec-'));
  const path = join(dir, 'live.pcapng');
  const ev = new LiveEvidence('live: test', path);
  try {
    for (let i = 0; i < 5; i++) ev.udp(RADIO, US, meterPacket(i, [[1, i]]));
    ev.pause(true);
    ev.tcpText(US, { ip: RADIO.ip, port: 4992 }, 'C9|client set enforce_network_mtu=1 network_mtu=1500\n');
    for (let i = 5; i < 12; i++) ev.udp(RADIO, US, meterPacket(i & 15, [[1, i]]));
    // The analysis: the 5 datagrams before the pause only.
    assert.equal(ev.report().source.packets, 5);
    await ev.close();
    const r = await recorded(path);
    // The recording: 5 + 7 datagrams and the step's command.
    assert.equal(r.udp, 12);
    assert.match(r.text, /network_mtu=1500/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('paused: the recording still stops at its size cap', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flexpath-live-rec-'));
  const path = join(dir, 'live.pcapng');
  const payload = meterPacket(0, [[1, 0]]);
  // Each datagram counts its payload + 64 bytes against the cap (live.ts): room for exactly 3.
  const ev = new LiveEvidence('live: test', path, {}, 3 * (payload.length + 64));
  try {
    ev.udp(RADIO, US, payload);
    ev.pause(true);
    for (let i = 1; i < 6; i++) ev.udp(RADIO, US, meterPacket(i, [[1, i]]));
    await ev.close();
    assert.equal((await recorded(path)).udp, 3);
    assert.ok(ev.report().warnings.some((w) => /^the recording stopped at /.test(w)), ev.report().warnings.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
