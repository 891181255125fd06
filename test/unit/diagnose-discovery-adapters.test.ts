/**
 * Which adapters let a discovery beacon reach this computer (diagnose/discovery.ts canHearBeacons): beacons
 * are IPv4 broadcasts (reference §4.1), so an adapter that is up with an IPv4 address other than loopback.
 * The CLI's two cases without one run for real in integration diagnose-discovery-ipv6.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canHearBeacons } from '../../src/diagnose/discovery.js';
import type { LocalInterface } from '../../src/local/types.js';

const lo: LocalInterface = { name: 'lo', kind: 'loopback', mtu: 65536, up: true, addresses: [{ ip: '127.0.0.1', family: 4, prefix: 8, class: 'loopback' }] };
const wlan6: LocalInterface = { name: 'wlan0', kind: 'wifi', mtu: 1500, up: true, addresses: [{ ip: '2001:2::10', family: 6, prefix: 64, class: 'public' }] };
const eth = (ip: string, cls: 'private' | 'link-local', up = true): LocalInterface => ({ name: 'eth0', kind: 'ethernet', mtu: 1500, up, addresses: [{ ip, family: 4, prefix: 16, class: cls }] });

test('beacons can arrive over an IPv4 adapter that is up, a link-local one too; not over loopback, IPv6 or a down adapter', () => {
  assert.equal(canHearBeacons([lo, wlan6, eth('192.168.10.20', 'private')]), true);
  // 169.254/16 (no DHCP answer): broadcasts on its link still arrive.
  assert.equal(canHearBeacons([lo, eth('169.254.7.9', 'link-local')]), true);
  assert.equal(canHearBeacons([lo, wlan6]), false);
  assert.equal(canHearBeacons([lo, wlan6, eth('192.168.10.20', 'private', false)]), false);
  assert.equal(canHearBeacons([]), false);
});
