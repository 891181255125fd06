/**
 * The radio's objects as the simulator keeps them, and their `S` status bodies. Key names and order
 * follow the real SmartSDR-Win session (fixtures/smartsdr-win-session.txt, fw 3.2.39) and FlexLib's
 * StatusUpdate parsers (reference §5.9), so a client written against a real radio reads them unchanged.
 */
import { formatHandle } from '../api/lines.js';
import { formatMeterBody, type MeterDefinition } from '../api/status.js';
import { formatStreamId, streamId } from '../vita/stream-id.js';

export interface Pan {
  id: number;
  waterfallId: number;
  owner: number;
  xPixels: number;
  yPixels: number;
  fps: number;
  centerMhz: number;
  bandwidthMhz: number;
  minDbm: number;
  maxDbm: number;
  /** Waterfall line duration, ms (the tile's LineDurationMS; 50 observed). */
  lineDurationMs: number;
  daxiqChannel: number;
}

export interface Slice {
  index: number;
  owner: number;
  pan: number;
  freqMhz: number;
  mode: string;
  daxChannel: number;
  /** The transmit slice. */
  tx: boolean;
}

export type StreamType = 'remote_audio_rx' | 'remote_audio_tx' | 'dax_rx' | 'dax_tx' | 'dax_mic' | 'dax_iq';

export interface RadioStream {
  id: number;
  type: StreamType;
  owner: number;
  /** Where the radio sends it: the owner's IP (status `ip=`). */
  ip: string;
  compression?: 'OPUS' | 'NONE';
  daxChannel?: number;
  daxiqChannel?: number;
  daxiqRate?: number;
  pan?: number;
}

const id = (n: number): string => formatStreamId(streamId(n));
const mhz = (v: number): string => v.toFixed(6);

export function panStatus(p: Pan): string {
  return (
    `display pan ${id(p.id)} client_handle=${formatHandle(p.owner)} wnb=0 wnb_level=0 wnb_updating=0 band_zoom=0 segment_zoom=0 ` +
    `x_pixels=${p.xPixels} y_pixels=${p.yPixels} center=${mhz(p.centerMhz)} bandwidth=${mhz(p.bandwidthMhz)} ` +
    `min_dbm=${p.minDbm.toFixed(2)} max_dbm=${p.maxDbm.toFixed(2)} fps=${p.fps} average=0 weighted_average=0 rfgain=0 rxant=ANT1 ` +
    `wide=0 loopa=0 loopb=0 band=20 daxiq_channel=${p.daxiqChannel} waterfall=${id(p.waterfallId)} min_bw=0.001230 max_bw=14.745601 ` +
    `xvtr= pre= ant_list=ANT1,ANT2,RX_A,RX_B,XVTA,XVTB`
  );
}

export function waterfallStatus(p: Pan): string {
  return (
    `display waterfall ${id(p.waterfallId)} client_handle=${formatHandle(p.owner)} x_pixels=${p.xPixels} center=${mhz(p.centerMhz)} ` +
    `bandwidth=${mhz(p.bandwidthMhz)} band_zoom=0 segment_zoom=0 line_duration=${p.lineDurationMs} rfgain=0 rxant=ANT1 wide=0 loopa=0 ` +
    `loopb=0 band=20 daxiq_channel=${p.daxiqChannel} panadapter=${id(p.id)} color_gain=50 auto_black=1 black_level=0 gradient_index=0 xvtr=`
  );
}

export function panRemoved(p: Pan): string[] {
  return [`display pan ${id(p.id)} removed`, `display waterfall ${id(p.waterfallId)} removed`];
}

export function sliceStatus(s: Slice): string {
  const letter = String.fromCharCode(65 + s.index);
  return (
    `slice ${s.index} in_use=1 sample_rate=24000 RF_frequency=${mhz(s.freqMhz)} client_handle=${formatHandle(s.owner)} index_letter=${letter} ` +
    `rit_on=0 rit_freq=0 xit_on=0 xit_freq=0 rxant=ANT1 mode=${s.mode} wide=0 filter_lo=100 filter_hi=2900 step=10 ` +
    `agc_mode=med agc_threshold=65 pan=${id(s.pan)} txant=ANT1 dax=${s.daxChannel} dax_clients=0 lock=0 tx=${s.tx ? 1 : 0} active=1 ` +
    `audio_level=50 audio_pan=50 audio_mute=0`
  );
}

export function streamStatus(s: RadioStream): string {
  const parts = [`stream ${id(s.id)} type=${s.type}`];
  if (s.compression) parts.push(`compression=${s.compression}`);
  if (s.daxChannel !== undefined) parts.push(`dax_channel=${s.daxChannel}`, 'slice=A');
  if (s.daxiqChannel !== undefined) parts.push(`daxiq_channel=${s.daxiqChannel}`, `pan=${id(s.pan ?? 0)}`, `daxiq_rate=${s.daxiqRate ?? 24000}`);
  parts.push(`client_handle=${formatHandle(s.owner)}`);
  if (s.type === 'dax_tx' || s.type === 'remote_audio_tx') parts.push('tx=1');
  parts.push(`ip=${s.ip}`);
  return parts.join(' ');
}

export function streamRemoved(s: RadioStream): string {
  return `stream ${id(s.id)} removed`;
}

export interface ClientRecord {
  handle: number;
  clientId?: string;
  program: string;
  station: string;
  gui: boolean;
  ip: string;
}

export function clientStatus(c: ClientRecord): string {
  const station = c.station ? ` station=${c.station.replaceAll(' ', '\x7f')}` : '';
  return `client ${formatHandle(c.handle)} connected local_ptt=${c.gui ? 1 : 0} client_id=${c.clientId ?? ''} program=${c.program}${station}`;
}

export function clientGone(handle: number, o: { wanValidationFailed?: boolean; forced?: boolean } = {}): string {
  return `client ${formatHandle(handle)} disconnected forced=${o.forced ? 1 : 0} wan_validation_failed=${o.wanValidationFailed ? 1 : 0} duplicate_client_id=0`;
}

/**
 * The meters a FLEX-6600M defines (fixtures/meters.csv: src, num, name, range, unit, fps), abridged to
 * the ones the simulator moves. IDs are per session on a real radio; fixed here.
 */
export const METERS: MeterDefinition[] = [
  { id: 1, src: 'COD-', num: '1', nam: 'MICPEAK', low: -150, hi: 20, desc: 'Signal strength of MIC output in CODEC', unit: 'dBFS', fps: 40 },
  { id: 2, src: 'COD-', num: '2', nam: 'MIC', low: -150, hi: 20, desc: 'Average Signal strength of MIC ouput in CODEC', unit: 'dBFS', fps: 20 },
  { id: 16, src: 'RAD', num: '334', nam: '+13.8A', low: 10.5, hi: 15, desc: 'Main radio input voltage at PA', unit: 'Volts', fps: 0 },
  { id: 18, src: 'RAD', num: '3', nam: 'MAINFAN', low: 0, hi: 8192, desc: 'Main radio fan RPM', unit: 'RPM', fps: 0 },
  { id: 19, src: 'TX-', num: '1', nam: 'FWDPWR', low: 0, hi: 53, desc: 'RF Power Forward', unit: 'dBm', fps: 20 },
  { id: 20, src: 'TX-', num: '2', nam: 'REFPWR', low: 0, hi: 53, desc: 'RF Power Reflected', unit: 'dBm', fps: 20 },
  { id: 21, src: 'TX-', num: '3', nam: 'SWR', low: 1, hi: 999, desc: 'RF SWR', unit: 'SWR', fps: 20 },
  { id: 22, src: 'TX-', num: '4', nam: 'PATEMP', low: 0, hi: 100, desc: 'PA Temperature', unit: 'degC', fps: 0 },
  { id: 23, src: 'SLC', num: '0', nam: '24kHz', low: -150, hi: 10, desc: '24kHz broadband slice receiver signal level', unit: 'dBFS', fps: 10 },
  { id: 24, src: 'SLC', num: '0', nam: 'LEVEL', low: -150, hi: 10, desc: 'Signal strength of signals in the filter passband', unit: 'dBm', fps: 10 },
  { id: 25, src: 'SLC', num: '0', nam: 'AGC+', low: -150, hi: 0, desc: 'Signal strength after AGC', unit: 'dBFS', fps: 10 },
];

/** Meter status lines, a few definitions per line as the radio sends them. */
export function meterStatusLines(defs: MeterDefinition[] = METERS): string[] {
  const out: string[] = [];
  for (let i = 0; i < defs.length; i += 4) out.push(formatMeterBody(defs.slice(i, i + 4)));
  return out;
}

export interface RadioInfo {
  model: string;
  serial: string;
  nickname: string;
  callsign: string;
  version: string;
  mac: string;
  ip: string;
}

/** The `info` reply (the fixture's R6): comma-separated key=value, strings quoted. */
export function infoReply(r: RadioInfo, slices: number): string {
  return (
    `model="${r.model}",chassis_serial="${r.serial}",name="${r.nickname}",callsign="${r.callsign}",gps="Not Present",atu_present=1,` +
    `num_scu=2,num_slice=${slices},num_tx=1,software_ver=${r.version},mac=${r.mac},ip=${r.ip},netmask=255.255.255.0,gateway=0.0.0.0,` +
    `location="",region="USA",screensaver=model,options=None`
  );
}

export function radioStatus(r: RadioInfo, freeSlices: number, freePans: number, muteLocalAudioWhenRemote = true): string {
  return (
    `radio slices=${freeSlices} panadapters=${freePans} lineout_gain=60 lineout_mute=0 headphone_gain=50 headphone_mute=0 ` +
    `remote_on_enabled=0 pll_done=0 freq_error_ppb=0 cal_freq=15.000000 tnf_enabled=0 snap_tune_enabled=1 nickname=${r.nickname} ` +
    `callsign=${r.callsign} binaural_rx=0 full_duplex_enabled=0 band_persistence_enabled=1 rtty_mark_default=2125 ` +
    `enforce_private_ip_connections=1 backlight=50 mute_local_audio_when_remote=${muteLocalAudioWhenRemote ? 1 : 0} daxiq_capacity=16 daxiq_available=16`
  );
}

export function interlockStatus(): string {
  return 'interlock tx_client_handle=0x00000000 state=RECEIVE reason=NO_TX_ASSIGNED source= tx_allowed=0 amplifier=';
}

export interface WanState {
  serverConnected: boolean;
  radioAuthenticated: boolean;
  publicTlsPort: number;
  publicUdpPort: number;
  upnpSupported: boolean;
}

export function wanStatus(w: WanState): string {
  return (
    `wan server_connected=${w.serverConnected ? 1 : 0} radio_authenticated=${w.radioAuthenticated ? 1 : 0} ` +
    `public_tls_port=${w.publicTlsPort} public_udp_port=${w.publicUdpPort} upnp_supported=${w.upnpSupported ? 1 : 0}`
  );
}
