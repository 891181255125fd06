/**
 * The capture files the capture fuzzer mutates: the real discovery capture, a LAN scenario written by the
 * event writer (TCP control + VITA-49 + ICMP), the same over IPv6, and the scenario's records rewritten
 * as big-endian pcapng (with name-resolution and statistics blocks) and as classic pcap (µs little-endian,
 * ns big-endian) — so every byte order and block kind the reader handles is in the corpus.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NRB_RECORD, OPT, isb, nrb, opt } from '../../src/capture/pcapng.js';
import { PcapWriter, PcapngWriter } from '../../src/capture/writer.js';
import { rewriteCapture, writeEventsCapture } from '../helpers/capture-files.js';
import { fixture } from '../helpers/paths.js';
import { CLIENT, RADIO, lanScenario } from '../helpers/scenario.js';

export interface SeedCapture {
  name: string;
  bytes: Buffer;
}

export async function buildSeedCaptures(): Promise<SeedCapture[]> {
  const dir = mkdtempSync(join(tmpdir(), 'flexpath-fuzz-seeds-'));
  try {
    const v4 = lanScenario({ withAudio: true, seconds: 2, loss: 0.02, reorderEvery: 41, icmpUnreachable: 2 });
    v4.push({ type: 'tcp-close', ts: 1_700_000_002, src: CLIENT, dst: RADIO });
    const scenario = join(dir, 'scenario.pcapng');
    const seeds: SeedCapture[] = [
      { name: 'flex6600m-discovery.pcapng', bytes: readFileSync(fixture('flex6600m-discovery.pcapng')) },
      { name: 'scenario-v4.pcapng', bytes: await writeEventsCapture(scenario, v4) },
      {
        name: 'scenario-v6.pcapng',
        bytes: await writeEventsCapture(
          join(dir, 'v6.pcapng'),
          lanScenario({ withAudio: true, seconds: 1.5, client: { ip: 'fd00::20', port: 53344 }, radio: { ip: 'fd00::27', port: 4992 }, pingsUnansweredAfter: 1 }),
        ),
      },
    ];
    const be = join(dir, 'be.pcapng');
    const ng = new PcapngWriter(be, { littleEndian: false, interfaces: [{ linkType: 1, name: 'eth0', tsresol: 6 }] });
    ng.writeBlock((le) => nrb.encode({ records: [{ type: NRB_RECORD.IPV4, value: Buffer.from([192, 168, 10, 27, ...Buffer.from('flex-6600m\0')]) }], options: [] }, le));
    ng.writeBlock((le) => isb.encode({ interfaceId: 0, tsHigh: 0, tsLow: 0, options: [opt.u64(OPT.ISB_IFDROP, 3n, le), opt.u64(OPT.ISB_OSDROP, 1n, le)] }, le));
    seeds.push({ name: 'scenario-be.pcapng', bytes: await rewriteCapture(scenario, be, ng) });
    const us = join(dir, 'us.pcap');
    seeds.push({ name: 'scenario-us-le.pcap', bytes: await rewriteCapture(scenario, us, new PcapWriter(us, { littleEndian: true })) });
    const ns = join(dir, 'ns.pcap');
    seeds.push({ name: 'scenario-ns-be.pcap', bytes: await rewriteCapture(scenario, ns, new PcapWriter(ns, { littleEndian: false, nanosecond: true })) });
    return seeds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
