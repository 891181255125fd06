/** Words the UI shows for the analysis vocabulary (src/analysis/model.ts). */
import type { Cause, HopId, HopStatus, StreamKind, VerdictStatus } from '../../src/analysis/model.js';

export const HOP_LABEL: Record<HopId, string> = {
  discovery: 'Discovery (LAN beacons)',
  'smartlink-server': 'SmartLink server',
  'radio-registration': 'Radio registration',
  'radio-forwarding': "Radio's router forwarding",
  control: 'Control channel (TCP/TLS)',
  'stream-setup': 'Stream setup',
  'udp-return': 'UDP from this computer',
  'data:meter': 'Meters',
  'data:panadapter': 'Panadapter (FFT)',
  'data:waterfall': 'Waterfall',
  'data:audio': 'Audio',
  'data:dax': 'DAX',
};

export const CAUSE_LABEL: Record<Cause, string> = {
  'udp-blocked-inbound': 'Inbound UDP blocked',
  mtu: 'MTU: large packets vanish',
  bandwidth: 'Not enough bandwidth',
  'random-loss': 'Random packet loss',
  jitter: 'Jitter',
  'wrong-port': 'Data sent to the wrong port',
  'host-firewall': 'Firewall on this computer',
  'smartlink-unreachable': 'SmartLink server unreachable',
  'smartlink-certificate': 'SmartLink server certificate not trusted',
  'radio-not-registered': 'Radio not registered with SmartLink',
  'router-no-forwarding': "Radio's router does not forward",
  'double-nat': 'Double NAT',
  'control-timeout': 'Control channel timed out',
  'ping-timeout': 'Radio stopped answering pings',
  healthy: 'Healthy',
};

/** What to capture to confirm or narrow the cause — shown beside the engine's advice. */
export const CAPTURE_NEXT: Record<Cause, string> = {
  'udp-blocked-inbound': 'On this computer: tcpdump -i any -w udp.pcapng "udp port 4991 or udp port 4993 or icmp" while SmartSDR is connected. No UDP from the radio confirms the block; compare with a capture on the radio’s LAN.',
  mtu: 'tcpdump -i any -w mtu.pcapng "udp or icmp" while the panadapter is open: look for ICMP "fragmentation needed" and for large packets leaving the radio’s LAN but not arriving here.',
  bandwidth: 'Capture 60 s while lowering the panadapter fps and waterfall rate: loss that falls with the rate confirms a bandwidth limit.',
  'random-loss': 'Capture 2 minutes on this computer and, if possible, on the radio’s LAN at the same time, to tell which side loses packets.',
  jitter: 'Capture 2 minutes while the link is busy (uploads, video calls) and while it is idle, to compare.',
  'wrong-port': 'Capture "udp or icmp" on this computer: ICMP port-unreachable replies name the port the radio sends to.',
  'host-firewall': 'Capture on this computer with the firewall briefly disabled, then enabled, to compare.',
  'smartlink-unreachable': 'Capture "tcp port 443" while SmartSDR logs in to SmartLink.',
  'smartlink-certificate': 'Open https://smartlink.flexradio.com in a browser on this computer and look at who issued its certificate: a proxy or antivirus name there confirms interception.',
  'radio-not-registered': 'On the radio’s LAN, capture its TCP traffic to port 443 while it boots.',
  'router-no-forwarding': 'Capture on the radio’s LAN while SmartSDR connects from outside: the test_connection results show which ports fail.',
  'double-nat': 'Note the WAN address your router shows and compare it with the public address SmartLink reports.',
  'control-timeout': 'Capture "tcp port 4992 or tcp port 4994" from connect until the timeout.',
  'ping-timeout': 'Capture "tcp port 4992 or tcp port 4994" until the disconnect: the last ping lines show who stopped answering.',
  healthy: 'Nothing needed. If the problem comes and goes, capture while it happens.',
};

export const STATUS_WORD: Record<HopStatus, string> = { ok: 'OK', degraded: 'DEGRADED', blocked: 'BLOCKED', unknown: 'UNKNOWN' };
/** A glyph next to every status so colour is never the only signal. */
export const STATUS_GLYPH: Record<HopStatus, string> = { ok: '✓', degraded: '!', blocked: '✕', unknown: '?' };
export const VERDICT_WORD: Record<VerdictStatus, string> = { healthy: 'HEALTHY', degraded: 'DEGRADED', blocked: 'BLOCKED', inconclusive: 'INCONCLUSIVE' };

export const KIND_LABEL: Record<StreamKind, string> = {
  discovery: 'Discovery',
  meter: 'Meters',
  panadapter: 'Panadapter',
  waterfall: 'Waterfall',
  audio: 'Audio',
  'dax-audio': 'DAX audio',
  'dax-iq': 'DAX IQ',
  other: 'Other',
};

export const KIND_COLOR: Record<StreamKind, string> = {
  discovery: '#8b96a5',
  meter: '#56d4dd',
  panadapter: '#58a6ff',
  waterfall: '#bc8cff',
  audio: '#3fb950',
  'dax-audio': '#e3b341',
  'dax-iq': '#ff9bce',
  other: '#6e7681',
};
