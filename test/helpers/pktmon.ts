/**
 * Writes a capture the way Windows `pktmon etl2pcap` lays it out (see test/fixtures/pktmon/README.md):
 * one section, one Ethernet interface, and every packet once per networking component it passed, a
 * few microseconds apart, in component order.
 */
import { LINKTYPE } from '../../src/capture/link.js';
import { readCaptureRecords } from '../../src/capture/reader.js';
import { PcapngWriter } from '../../src/capture/writer.js';

/** Offsets of the copies: the adapter, a filter driver, the protocol (pktmon's default captures at all components). */
export const COMPONENT_OFFSETS_NS = [0n, 3_000n, 7_000n];

export async function writePktmonStyle(from: string, to: string): Promise<{ packets: number; frames: number }> {
  // pktmon runs on little-endian Windows; the ETW clock ticks in 100 ns, written here at µs resolution (if_tsresol 6).
  const w = new PcapngWriter(to, { littleEndian: true, application: 'PktMon', interfaces: [{ linkType: LINKTYPE.ETHERNET, tsresol: 6 }] });
  let packets = 0;
  let frames = 0;
  await readCaptureRecords(from, {
    record: (_link, sec, nsec, buf, start, caplen) => {
      const ns = BigInt(sec) * 1_000_000_000n + (BigInt(nsec) / 1000n) * 1000n;
      const frame = Buffer.from(buf.subarray(start, start + caplen));
      packets++;
      for (const off of COMPONENT_OFFSETS_NS) {
        w.write(ns + off, frame);
        frames++;
      }
    },
  });
  await w.close();
  return { packets, frames };
}
