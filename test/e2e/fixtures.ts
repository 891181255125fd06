/**
 * Hand-built inputs for rendering tests, written from the model types and reference §3.9 rates — not
 * produced by the engine. They let the renderer be checked before (and independently of) the engine.
 */
import type { AnalysisReport, Hop, HopId, HopStatus } from '../../src/analysis/model.js';
import type { LiveAnalyzer, LiveRun } from '../../src/bridge/session.js';

const PLANE: Record<HopId, 'control' | 'data'> = {
  discovery: 'control', 'smartlink-server': 'control', 'radio-registration': 'control', 'radio-forwarding': 'control', control: 'control', 'stream-setup': 'control',
  'udp-return': 'data', 'data:meter': 'data', 'data:panadapter': 'data', 'data:waterfall': 'data', 'data:audio': 'data', 'data:dax': 'data',
};
const hop = (id: HopId, status: HopStatus, ...evidence: string[]): Hop => ({ id, plane: PLANE[id], status, evidence });

/** A SmartLink session over a VPN with a 1400-byte path MTU: small classes pass, FFT/waterfall vanish. */
export function mtuReport(): AnalysisReport {
  return {
    source: { file: 'mtu-vpn.pcapng', packets: 2231, bytes: 402113, durationS: 30.2 },
    radios: [{ serial: '1234-5678-9012-3456', model: 'FLEX-6600', version: '3.8.23', ip: '192.168.1.50', nickname: 'Shack', callsign: 'N0CALL' }],
    streams: [
      { id: '0x00000700', kind: 'meter', pcc: '0x8002', src: '192.168.1.50:4993', dst: '10.8.0.2:4991', packets: 845, bytes: 59150, lost: 0, outOfOrder: 0, duplicates: 0, ratePps: 28, minSize: 48, maxSize: 84 },
      { id: '0x40000000', kind: 'panadapter', pcc: '0x8003', src: '192.168.1.50:4993', dst: '10.8.0.2:4991', packets: 0, bytes: 0, lost: 0, outOfOrder: 0, duplicates: 0, ratePps: 0, minSize: 0, maxSize: 0 },
      { id: '0x42000000', kind: 'waterfall', pcc: '0x8004', src: '192.168.1.50:4993', dst: '10.8.0.2:4991', packets: 0, bytes: 0, lost: 0, outOfOrder: 0, duplicates: 0, ratePps: 0, minSize: 0, maxSize: 0 },
      { id: '0x04000008', kind: 'audio', pcc: '0x8005', src: '192.168.1.50:4993', dst: '10.8.0.2:4991', packets: 3010, bytes: 421400, lost: 2, outOfOrder: 0, duplicates: 0, ratePps: 99.7, minSize: 120, maxSize: 162 },
    ],
    hops: [
      hop('discovery', 'unknown', 'no beacons: across a VPN this is expected'),
      hop('smartlink-server', 'ok', 'TLS to the broker, application register answered'),
      hop('radio-registration', 'ok', 'radio listed: FLEX-6600 "Shack"'),
      hop('radio-forwarding', 'ok', 'test_connection: forward_udp_port_working=true'),
      hop('control', 'ok', 'TLS session 30.1 s, 14 replies, pings answered'),
      hop('stream-setup', 'ok', 'display pan create → R12|0|0x40000000'),
      hop('udp-return', 'ok', 'client udp_register sent, radio source port 4993 seen'),
      hop('data:meter', 'ok', '845 packets, 28 pkts/s, 48–84 B, no loss'),
      hop('data:panadapter', 'blocked', '0 complete FFT frames; radio announced 0x40000000', '7 ICMP fragmentation-needed from 10.8.0.1, next-hop MTU 1400'),
      hop('data:waterfall', 'blocked', '0 waterfall lines; tiles are 1316–1436 B'),
      hop('data:audio', 'ok', '3010 packets, 99.7 pkts/s, 0.07 % loss'),
      hop('data:dax', 'unknown', 'no DAX stream was requested'),
    ],
    verdict: {
      status: 'blocked',
      hop: 'data:panadapter',
      cause: 'mtu',
      summary: 'Meters and audio arrive, but every panadapter and waterfall packet (over 1 kB) is lost on the way: the path MTU is 1400 bytes.',
      advice: ['Lower the MTU setting of the radio (Settings ▸ Radio Setup ▸ Network ▸ MTU) to 1400 or less.', 'Or raise the MTU of the VPN/PPPoE link, or allow fragmentation on it.'],
    },
    warnings: [],
  };
}

/**
 * A scripted live source: counters grow at reference §3.9 rates, one FFT frame per 40 ms with three
 * carriers over a noise floor, and one waterfall line per 50 ms with a deliberate 5-line gap.
 */
export function scriptedLive(verdictAfterMs: number | undefined): LiveRun {
  const started = Date.now();
  const fftCbs: ((id: string, f: { frameIndex: number; bins: Uint16Array }) => void)[] = [];
  const wfCbs: ((id: string, l: { timecode: number; bins: Uint16Array }) => void)[] = [];
  let frame = 0;
  let line = 0;
  const width = 1024;
  const level = (i: number, t: number): number => {
    let y = 380 + ((i * 7919 + t * 104729) % 23);
    for (const [c, h] of [[200, 210], [512, 260], [760 + ((t >> 3) % 40), 180]] as const) y -= h * Math.exp(-((i - c) ** 2) / 18);
    return Math.max(0, Math.round(y));
  };
  const blockedNow = (): boolean => verdictAfterMs !== undefined && Date.now() - started > verdictAfterMs;
  const fftTimer = setInterval(() => {
    if (blockedNow()) return;
    frame++;
    const bins = new Uint16Array(width).map((_, i) => level(i, frame));
    fftCbs.forEach((cb) => cb('0x40000000', { frameIndex: frame, bins }));
  }, 40);
  const wfTimer = setInterval(() => {
    if (blockedNow()) return;
    line += line === 60 ? 6 : 1;
    const bins = new Uint16Array(width).map((_, i) => 420 - level(i, line));
    wfCbs.forEach((cb) => cb('0x42000000', { timecode: line, bins }));
  }, 50);
  const analyzer: LiveAnalyzer = {
    report() {
      const blocked = blockedNow();
      // counters stop growing when the data plane is cut
      const s = (blocked ? verdictAfterMs! : Date.now() - started) / 1000;
      const base = mtuReport();
      const row = (i: number, packets: number, lost: number, rate: number, min: number, max: number) => ({ ...base.streams[i]!, dst: '127.0.0.1:4991', src: '127.0.0.1:4993', packets, lost, ratePps: rate, minSize: min, maxSize: max, bytes: packets * max });
      return {
        ...base,
        source: { file: '', packets: Math.round(s * 380), bytes: Math.round(s * 380 * 700), durationS: s },
        streams: [row(0, Math.round(s * 28), 0, 28, 48, 84), row(1, Math.round(s * 50), Math.round(s * 0.3), 50, 1036, 1036), row(2, Math.round(s * 100), 0, 100, 1316, 1436), row(3, Math.round(s * 100), 0, 100, 120, 162)].map((r) =>
          blocked ? { ...r, ratePps: 0 } : r,
        ),
        hops: base.hops.map((h) =>
          blocked && h.plane === 'data' && h.id !== 'udp-return' ? { ...h, status: 'blocked' as const, evidence: ['0 packets in the last 3 s'] } : { ...h, status: h.id === 'data:dax' || h.id === 'discovery' ? h.status : ('ok' as const), evidence: h.status === 'blocked' ? ['frames complete, no loss'] : h.evidence },
        ),
        verdict: blocked
          ? { status: 'blocked', hop: 'data:meter', cause: 'udp-blocked-inbound', summary: 'The control channel works but no VITA-49 packet arrives: inbound UDP is blocked.', advice: ['Forward UDP 4993 to the radio, or enable UPnP on its router.'] }
          : { status: 'healthy', cause: 'healthy', summary: 'Every stream arrives at its expected rate with no loss worth mentioning.', advice: [] },
      };
    },
    onFftFrame: (cb) => void fftCbs.push(cb),
    onWaterfallLine: (cb) => void wfCbs.push(cb),
  };
  return {
    analyzer,
    ended: new Promise(() => undefined),
    async stop() {
      clearInterval(fftTimer);
      clearInterval(wfTimer);
    },
  };
}
