/**
 * VITA-49.2 packets of a non-FlexRadio sender (DIFI and other equipment), assembled word by word from
 * VITA 49.2 §5.1 (header word: type 31–28, C 27, T 26, TSI 23–22, TSF 21–20, count 19–16, size 15–0)
 * without our encoder, so expected figures come from the construction.
 */

/** DIFI's OUI (DIFI 1.0 §2.1 class ID: OUI 0x6A621E); UNCONFIRMED for other revisions, and any non-Flex OUI would do here. */
export const DIFI_OUI = 0x6a621e;

export function genericVitaPacket(o: { type: number; count: number; streamId: number; classId?: { oui: number; icc: number; pcc: number }; payloadWords: number }): Buffer {
  const words = 2 + (o.classId ? 2 : 0) + o.payloadWords;
  const b = Buffer.alloc(words * 4);
  b.writeUInt32BE(((o.type << 28) | (o.classId ? 1 << 27 : 0) | ((o.count & 15) << 16) | words) >>> 0, 0);
  b.writeUInt32BE(o.streamId >>> 0, 4);
  if (o.classId) {
    b.writeUInt32BE(o.classId.oui, 8);
    b.writeUInt16BE(o.classId.icc, 12);
    b.writeUInt16BE(o.classId.pcc, 14);
  }
  return b;
}
