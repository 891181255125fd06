/**
 * `flexpath diagnose` without --host on a network where discovery cannot work: beacons are IPv4
 * broadcasts on UDP 4992 (reference §4.1), and an IPv6-only network (reference §12 #15: hotels, mobile
 * data) gives this computer no IPv4 address to hear them on. Before, the CLI listened 3 s and said "no
 * radio announced itself on this network (normal across a router or VPN)" — as if a radio could have.
 * Each case runs the real CLI in a network namespace of its own (unshare -n: root), holding only the
 * adapters the case names: IPv6 addresses from 2001:2::/48 and IPv4 from 192.0.2.0/24, the benchmarking
 * and documentation blocks (RFC 5180, RFC 5737), on veth pairs inside the namespace, which no packet leaves.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { cliPath } from '../helpers/paths.js';

const cannot = process.getuid?.() !== 0 ? 'needs root (a network namespace of its own)' : spawnSync('unshare', ['--version']).status !== 0 ? 'unshare is not installed' : undefined;

/** `flexpath diagnose` (no --host) in a fresh namespace set up by `setup` (shell commands). */
function diagnoseIn(setup: string[]): { code: number | null; stderr: string } {
  const script = [...setup, `exec "${process.execPath}" "${cliPath}" diagnose`].join(' && ');
  const r = spawnSync('unshare', ['--net', 'sh', '-c', script], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stderr: r.stderr };
}

const LO = 'ip link set lo up';
const V6_ONLY = ['ip link add wlan0 type veth peer name wlan0p', 'ip link set wlan0 up', 'ip addr add 2001:2::10/64 dev wlan0 nodad'];

test('IPv6-only: discovery is impossible, the CLI says so at once and asks for --host', { skip: cannot }, () => {
  const r = diagnoseIn([LO, ...V6_ONLY]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /no IPv4 address on any adapter \(an IPv6-only network\?\): radios announce themselves by IPv4 broadcast \(UDP 4992\), so discovery cannot find one here/);
  assert.match(r.stderr, /--host IP/);
  assert.doesNotMatch(r.stderr, /listening 3 s|no radio announced itself/, 'no listening for what cannot come');
});

test('the one adapter with IPv4 is down (a cable unplugged), the other IPv6-only: the same', { skip: cannot }, () => {
  const r = diagnoseIn([LO, ...V6_ONLY, 'ip link add eth0 type veth peer name eth0p', 'ip addr add 192.0.2.10/24 dev eth0']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /no IPv4 address on any adapter/);
});
