/**
 * Windows and macOS tool output, parsed from published samples (test/fixtures/local/PROVENANCE.md).
 * Every expected value was read off the sample file by hand.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  macFirewallFact,
  macInterfaces,
  parseHardwarePorts,
  parseIfconfig,
  parseLsofUdp,
  parseRouteGet,
  parseSocketFilterFw,
} from '../../src/local/macos.js';
import {
  lookupRoute,
  parseAdvfirewall,
  parseConnectionProfiles,
  parseNetshInterfaces,
  parseNetstatUdp,
  parseRoutePrint,
  parseTasklistCsv,
  windowsFirewallFact,
} from '../../src/local/windows.js';
import { repoRoot } from '../helpers/paths.js';

const sample = (p: string): string => readFileSync(join(repoRoot, 'test', 'fixtures', 'local', p), 'utf8');

test('windows: netsh advfirewall profile blocks (currentprofile and show public)', () => {
  assert.deepEqual(parseAdvfirewall(sample('windows/netsh-advfirewall-currentprofile.txt')), [{ name: 'Domain', enabled: true, inboundDefault: 'block' }]);
  assert.deepEqual(parseAdvfirewall(sample('windows/netsh-advfirewall-show-public.txt')), [{ name: 'Public', enabled: true, inboundDefault: 'block' }]);
  // CRLF line ends, as the real console writes them, and a profile switched off.
  const crlf = 'Private Profile Settings:\r\nState                                 OFF\r\nFirewall Policy                       AllowInbound,AllowOutbound\r\n';
  assert.deepEqual(parseAdvfirewall(crlf), [{ name: 'Private', enabled: false, inboundDefault: 'allow' }]);
});

test('windows: netstat -aon UDP rows and tasklist name the holder of port 161', () => {
  assert.deepEqual(parseNetstatUdp(sample('windows/netstat-aon.txt')), [
    { local: '0.0.0.0', port: 161, pid: 1620 },
    { local: '::', port: 161, pid: 1620 },
  ]);
  assert.equal(parseTasklistCsv(sample('windows/tasklist.csv')).get(1620), 'snmp.exe');
});

test('windows: route print → the route Windows would use', () => {
  const routes = parseRoutePrint(sample('windows/route-print.txt'));
  assert.equal(routes.length, 6);
  // 172.22.40.5 is inside 172.22.32.0/20 (255.255.240.0): on-link through 172.22.32.1, not the default.
  assert.deepEqual(lookupRoute(routes, '172.22.40.5'), { dest: '172.22.32.0', mask: '255.255.240.0', gateway: 'On-link', iface: '172.22.32.1', metric: 271 });
  // Anything else leaves by the default route via 192.168.0.1 from 192.168.0.18.
  const def = lookupRoute(routes, '8.8.8.8');
  assert.equal(def?.gateway, '192.168.0.1');
  assert.equal(def?.iface, '192.168.0.18');
  // 172.22.48.1 is just past the /20 (which ends at 172.22.47.255).
  assert.equal(lookupRoute(routes, '172.22.48.1')?.iface, '192.168.0.18');
});

test('windows: netsh interface ipv4 show interfaces gives MTU and state per adapter', () => {
  const ifs = parseNetshInterfaces(sample('windows/netsh-interface-ipv4-show-interfaces.txt'));
  assert.equal(ifs.length, 6);
  assert.deepEqual(ifs[1], { index: 28, mtu: 1500, connected: true, name: 'Wi-Fi' });
  assert.deepEqual(ifs[2], { index: 1, mtu: 4294967295, connected: true, name: 'Loopback Pseudo-Interface 1' });
  assert.equal(ifs[5]?.name, 'vEthernet (Default Switch) 2');
});

test('windows: Get-NetConnectionProfile and the firewall fact for the adapter', () => {
  const cats = parseConnectionProfiles(sample('windows/get-netconnectionprofile.txt'));
  assert.deepEqual(cats, [{ network: 'Andromeda', alias: 'Wi-Fi', category: 'Private' }]);
  // Private profile off → no drop; Public profile blocking inbound → a possible drop named by profile.
  const profiles = [
    { name: 'Domain', enabled: true, inboundDefault: 'block' as const },
    { name: 'Private', enabled: false, inboundDefault: 'block' as const },
    { name: 'Public', enabled: true, inboundDefault: 'block' as const },
  ];
  assert.deepEqual(windowsFirewallFact(profiles, cats, 'Wi-Fi').drops, []);
  const pub = windowsFirewallFact(profiles, [{ network: 'Hotel', alias: 'Wi-Fi', category: 'Public' }], 'Wi-Fi');
  assert.equal(pub.drops.length, 1);
  assert.equal(pub.drops[0]?.where, 'Windows Defender Firewall, Public profile');
  assert.equal(pub.drops[0]?.certain, false);
  assert.match(pub.notes[0] ?? '', /Wi-Fi .*"Hotel".*Public/);
});

test('macos: socketfilterfw global state', () => {
  assert.deepEqual(parseSocketFilterFw(sample('macos/socketfilterfw.txt')), { enabled: true, blockAll: false });
  assert.deepEqual(macFirewallFact({ enabled: true, blockAll: false }).drops, []);
  const all = macFirewallFact({ enabled: true, blockAll: true });
  assert.equal(all.drops[0]?.rule, 'Block all incoming connections');
  assert.deepEqual(parseSocketFilterFw('Firewall is disabled. (State = 0)\n'), { enabled: false });
});

test('macos: lsof UDP rows (unbound *:* rows are not a port)', () => {
  assert.deepEqual(parseLsofUdp(sample('macos/lsof-udp.txt')), [
    { program: 'launchd', pid: 1, local: '0.0.0.0', port: 138 },
    { program: 'launchd', pid: 1, local: '0.0.0.0', port: 137 },
  ]);
  assert.deepEqual(parseLsofUdp(sample('macos/lsof-udp-port.txt')), [{ program: 'nc', pid: 71683, local: '0.0.0.0', port: 3000 }]);
});

test('macos: route -n get names interface, gateway and MTU', () => {
  assert.deepEqual(parseRouteGet(sample('macos/route-get.txt')), { gateway: '192.168.1.1', interface: 'en1', mtu: 1500 });
});

test('macos: ifconfig and hardware ports → adapters with kind, MTU and classed addresses', () => {
  const hw = parseHardwarePorts(sample('macos/networksetup-hardwareports.txt'));
  assert.equal(hw.get('en0'), 'Wi-Fi');
  assert.equal(hw.get('bridge0'), 'Thunderbolt Bridge');
  const list = macInterfaces(parseIfconfig(sample('macos/ifconfig.txt')), hw);
  assert.deepEqual(
    list.map((i) => [i.name, i.kind, i.mtu, i.up]),
    [
      ['lo0', 'loopback', 16384, true],
      ['gif0', 'tunnel', 1280, false],
      ['stf0', 'tunnel', 1280, false],
      ['en0', 'wifi', 1500, true],
      ['en1', 'ethernet', 1500, true],
    ],
  );
  const en0 = list.find((i) => i.name === 'en0');
  assert.deepEqual(en0?.addresses.find((a) => a.family === 4), { ip: '10.0.0.19', family: 4, prefix: 24, class: 'private' });
  assert.equal(en0?.addresses.filter((a) => a.class === 'public').length, 2);
  assert.equal(en0?.addresses.filter((a) => a.class === 'link-local').length, 1);
  const utun = macInterfaces(parseIfconfig(sample('macos/ifconfig-utun.txt')), new Map());
  assert.deepEqual(
    utun.map((i) => [i.name, i.kind, i.mtu]),
    [
      ['utun4', 'vpn', 1000],
      ['utun5', 'vpn', 1380],
    ],
  );
});
