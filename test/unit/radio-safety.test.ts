/**
 * The decisions that keep a probe from disturbing an operator (reference §11), on hand-made facts, and
 * the wire details a real radio may vary: Opus size fields, pan-create replies, beacon text.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type RadioFacts, decideMode, factsFromRadioList, licensedClients } from '../../src/diagnose/preflight.js';
import { panIdsFromReply } from '../../src/diagnose/probe.js';
import { DecodeError } from '../../src/common/decode-error.js';
import { decodePacket, readBeacon } from '../../src/vita/index.js';
import { discovery } from '../../src/vita/payload/discovery.js';
import { newScan, scanPacket } from '../../src/vita/scan.js';

const base: RadioFacts = { guiClients: [], messages: [], beaconSeen: true };
const operator = { handle: '0x7022E1CF', program: 'SmartSDR-Win', station: 'SHACK' };
const frontPanel = { handle: '0x7C88FB0C', program: 'SmartSDR-M', station: 'FRONT' };

test('v2 firmware with anyone connected: observer, even when --probe is asked (client gui would make FlexPath the sole GUI)', () => {
  const f: RadioFacts = { ...base, firmware: '2.10.1.37', guiClients: [operator] };
  for (const req of ['auto', 'probe'] as const) {
    const d = decideMode(f, req);
    assert.equal(d.mode, 'observer');
    assert.match(d.why, /only GUI client/);
  }
  // Alone on the radio, the same firmware may be probed.
  assert.equal(decideMode({ ...base, firmware: '2.10.1.37' }, 'auto').mode, 'probe');
  // A v2 licence on newer firmware counts the same.
  assert.equal(decideMode({ ...base, firmware: '3.2.39.3374', maxLicensedVersion: 'v2', guiClients: [operator] }, 'probe').mode, 'observer');
});

test('mf_enable=0 with an operator: observer; no free slot: observer; auto beside an operator: observer', () => {
  assert.equal(decideMode({ ...base, firmware: '4.1.5', multiFlex: false, guiClients: [operator] }, 'probe').mode, 'observer');
  assert.equal(decideMode({ ...base, firmware: '4.1.5', licensedClients: 2, availableClients: 0, guiClients: [operator] }, 'probe').mode, 'observer');
  assert.equal(decideMode({ ...base, firmware: '4.1.5', licensedClients: 2, availableClients: 1, guiClients: [operator] }, 'auto').mode, 'observer');
  assert.equal(decideMode({ ...base, firmware: '4.1.5', licensedClients: 2, availableClients: 1, guiClients: [operator] }, 'probe').mode, 'probe');
  // The radio's own "max clients" message (M 0xF3000001) is a full radio whatever the counts say.
  assert.equal(decideMode({ ...base, firmware: '4.1.5', messages: ['0xF3000001 Max number of clients reached'] }, 'probe').mode, 'observer');
});

test('no audio stream while someone may be listening locally (mute_local_audio_when_remote), unless --audio', () => {
  const f: RadioFacts = { ...base, firmware: '4.1.5', licensedClients: 2, availableClients: 1, muteLocalAudioWhenRemote: true, guiClients: [frontPanel] };
  const d = decideMode(f, 'probe');
  assert.deepEqual([d.mode, d.audio], ['probe', false]);
  assert.match(d.audioWhy ?? '', /mute_local_audio_when_remote=1.*SmartSDR-M/);
  assert.equal(decideMode(f, 'probe', true).audio, true);
  // Setting off: nothing to silence.
  assert.equal(decideMode({ ...f, muteLocalAudioWhenRemote: false }, 'probe').audio, true);
  // Alone on the radio: the probe's own audio mutes nobody.
  assert.equal(decideMode({ ...base, firmware: '4.1.5', muteLocalAudioWhenRemote: true }, 'auto').audio, true);
});

test('licensed_clients defaults as FlexLib: 1 for v1/v2 (also a SmartLink list without max_licensed_version), 2 for v3+', () => {
  assert.equal(licensedClients({ ...base, maxLicensedVersion: 'v2' }), 1);
  assert.equal(licensedClients({ ...base, maxLicensedVersion: 'v3' }), 2);
  assert.equal(licensedClients({ ...base, firmware: '2.4.9' }), 1);
  assert.equal(licensedClients({ ...base, firmware: '3.2.39' }), 2);
  const wan: RadioFacts = { ...base, ...factsFromRadioList(new Map([['version', '3.1.12'], ['gui_client_handles', '0x1234']])) };
  assert.equal(licensedClients(wan), 1, 'FlexLib WanServer.cs defaults a missing max_licensed_version to v1');
  assert.equal(decideMode(wan, 'probe').mode, 'observer', 'its one slot is taken');
  assert.equal(licensedClients({ ...wan, licensedClients: 2 }), 2);
});

test('pan-create replies: with and without 0x, keyed, or nothing usable', () => {
  assert.deepEqual(panIdsFromReply('0x40000000,0x42000000'), [0x40000000, 0x42000000]);
  assert.deepEqual(panIdsFromReply('40000000,42000000'), [0x40000000, 0x42000000]);
  assert.deepEqual(panIdsFromReply('pan=0x40000001 waterfall=0x42000001'), [0x40000001, 0x42000001]);
  assert.deepEqual(panIdsFromReply(''), []);
  assert.deepEqual(panIdsFromReply('not a pan'), []);
});

/** A hand-assembled Opus datagram: 28-byte Flex header (class ID, TSI/TSF), 7 payload bytes. */
function opusDatagram(sizeWords: number): Buffer {
  const b = Buffer.alloc(35);
  b.writeUInt32BE((0x1 << 28) | (1 << 27) | (1 << 22) | (1 << 20) | sizeWords, 0); // type 1, C, TSI=UTC, TSF=sample count
  b.writeUInt32BE(0x04000009, 4);
  b.writeUInt32BE(0x00001c2d, 8);
  b.writeUInt32BE(0x534c8005, 12);
  Buffer.from([9, 8, 7, 6, 5, 4, 3]).copy(b, 28);
  return b;
}

test('Opus payload = datagram − 28 whatever the size field says, within 3 words either way (FlexLib VitaOpusDataPacket.cs)', () => {
  // 35 bytes: 9 words rounded up; 7 and 8 short of it, 10 and 11 past it by up to 9 bytes.
  for (const words of [7, 8, 9, 10, 11]) {
    const d = opusDatagram(words);
    const { packet } = decodePacket(d);
    assert.ok(packet.kind === 'audio' && packet.payload.format === 'opus', `size ${words}`);
    assert.deepEqual(packet.payload.format === 'opus' && [...packet.payload.data], [9, 8, 7, 6, 5, 4, 3], `size ${words} words`);
    const s = newScan();
    assert.equal(scanPacket(d, s), true);
    assert.equal(s.payloadEnd - s.payloadStart, 7);
  }
  // 12 words = 48 bytes, 13 past the datagram: not this packet.
  assert.throws(() => decodePacket(opusDatagram(12)), (e: unknown) => e instanceof DecodeError && e.field === 'packet size');
  assert.equal(scanPacket(opusDatagram(12), newScan()), false);
});

test('beacon text: nickname verbatim (underscores kept), non-UTF-8 read as latin1 instead of dropped', () => {
  const text = Buffer.concat([Buffer.from('model=FLEX-6600 nickname=Ham_Shack callsign=DL1ABC station='), Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72])]);
  const p = discovery.decode(text);
  const b = readBeacon(p);
  assert.equal(b.nickname, 'Ham_Shack');
  assert.equal(b.extra['station'], 'Müller');
});
