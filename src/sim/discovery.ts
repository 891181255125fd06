/**
 * The simulated radio's discovery beacon (reference §4): a VITA-49 packet, stream 0x800, class 0xFFFF,
 * carrying `key=value` text in the key order of a real FLEX-6600M beacon (fixture
 * flex6600m-discovery.pcapng) plus the newer keys of 4.x firmware, NUL-padded to a word.
 */
import { PCC } from '../vita/classes.js';
import { flexHeader } from '../vita/flex-header.js';
import { encodePacket } from '../vita/packet.js';
import type { RadioIdentity } from './model.js';
import type { Client } from './radio-core.js';

const DISCOVERY_STREAM_ID = 0x800;

export interface BeaconState {
  identity: RadioIdentity;
  ip: string;
  port: number;
  wanConnected: boolean;
  guiClients: Client[];
  pansInUse: number;
  slicesInUse: number;
  /** Leave out `licensed_clients`/`available_clients`, as older firmware does. */
  withoutClientCounts?: boolean;
}

const list = (xs: string[]): string => xs.join(',');

function beaconTokens(s: BeaconState): Array<[string, string]> {
  const id = s.identity;
  const gui = s.guiClients;
  const hosts = gui.map((c) => (c.station || c.ip).replaceAll(' ', '_'));
  const tokens: Array<[string, string]> = [
    ['discovery_protocol_version', id.discoveryProtocolVersion],
    ['model', id.spec.model],
    ['serial', id.serial],
    ['version', id.version],
    ['nickname', id.nickname],
    ['callsign', id.callsign],
    ['ip', s.ip],
    ['port', String(s.port)],
    ['status', gui.length > 0 ? 'In_Use' : 'Available'],
    ['inuse_ip', list(gui.map((c) => c.ip))],
    ['inuse_host', list(hosts)],
    ['max_licensed_version', id.spec.maxLicensedVersion],
    ['radio_license_id', id.licenseId],
    ['license_is_unknown', '0'],
    ['fpc_mac', id.mac],
    ['wan_connected', s.wanConnected ? '1' : '0'],
    ['licensed_clients', String(id.spec.licensedClients)],
    ['available_clients', String(Math.max(0, id.spec.licensedClients - gui.length))],
    ['max_panadapters', String(id.spec.maxPanadapters)],
    ['available_panadapters', String(Math.max(0, id.spec.maxPanadapters - s.pansInUse))],
    ['max_slices', String(id.spec.maxSlices)],
    ['available_slices', String(Math.max(0, id.spec.maxSlices - s.slicesInUse))],
    ['gui_client_ips', list(gui.map((c) => c.ip))],
    ['gui_client_hosts', list(hosts)],
    ['gui_client_programs', list(gui.map((c) => c.program || 'unknown'))],
    // Stations use 0x7F for spaces (reference §4.2).
    ['gui_client_stations', list(gui.map((c) => (c.station || 'unknown').replaceAll(' ', '\x7f')))],
    ['gui_client_handles', list(gui.map((c) => '0x' + c.handle.toString(16).toUpperCase().padStart(8, '0')))],
    ['min_software_version', '3.0.0.0'],
    ['external_port_link', '0'],
  ];
  return s.withoutClientCounts ? tokens.filter(([k]) => k !== 'licensed_clients' && k !== 'available_clients') : tokens;
}

export function beaconPacket(s: BeaconState, count: number, unixSeconds: number): Buffer {
  return encodePacket({
    kind: 'discovery',
    header: flexHeader(PCC.discovery, DISCOVERY_STREAM_ID, count, { unixSeconds }),
    payload: { tokens: beaconTokens(s) },
  });
}
