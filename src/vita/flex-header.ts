/**
 * The header every radio-originated Flex packet carries (reference §1.1, §1.5): stream ID, class ID
 * with the Flex OUI and "SL" information class, UTC integer timestamp and a sample-count fractional
 * timestamp. The packet encoder fills in the size.
 */
import { FLEX_INFORMATION_CLASS, FLEX_OUI } from './classes.js';
import { headerLength, type VitaHeader } from './header.js';
import { streamId } from './stream-id.js';

export interface FlexHeaderOptions {
  /** 3 (extension data with stream ID) for every class except DAX IQ, which the radio sends as type 1 (§2.2). */
  packetType?: 1 | 3;
  /** Unix seconds (TSI = UTC). */
  unixSeconds?: number;
  /** Sample count (TSF = 1); 0 on every real FFT/waterfall/meter/discovery packet observed. */
  sampleCount?: bigint;
}

export function flexHeader(pcc: number, sid: number, count: number, o: FlexHeaderOptions = {}): VitaHeader {
  return {
    packetType: o.packetType ?? 3,
    trailerFlag: false,
    reservedBits: 0,
    tsi: 1,
    tsf: 1,
    packetCount: count & 0xf,
    packetSize: 0,
    streamId: streamId(sid),
    classId: { padBits: 0, oui: FLEX_OUI, informationClassCode: FLEX_INFORMATION_CLASS, packetClassCode: pcc },
    integerTimestamp: o.unixSeconds ?? 1_700_000_000,
    fractionalTimestamp: o.sampleCount ?? 0n,
  };
}

/** 28 bytes: what every radio-originated packet's payload comes after (reference §1.2). */
export const FLEX_HEADER_LENGTH = headerLength(flexHeader(0, 0, 0));
