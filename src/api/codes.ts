/**
 * SmartSDR reply codes the tools meet (reference §5.4: the official message table as mirrored by K3TZR,
 * SsdrErrors.cs for 0x500000A9). Replies print them as bare hex (`R39|50000029|`).
 */
export const REPLY = {
  ok: 0,
  /** Pan/slice creation refused (message table: all slices in use). */
  allSlicesInUse: 0x50000003,
  unknownCommand: 0x50000015,
  malformedCommand: 0x50000016,
  /** e.g. `display panafall rfgain_info 0x0` → R39|50000029| in the real session. */
  streamIdNotFound: 0x50000029,
  incorrectParameterCount: 0x5000002c,
  badField: 0x5000002d,
  fftFpsOutOfRange: 0x50000039,
  invalidStreamId: 0x50000059,
  invalidClient: 0x50000062,
  /** `stream create` before the radio knows where to send UDP. */
  noIpOrPort: 0x50000064,
  keepaliveFail: 0x50000087,
  invalidSubscription: 0x500000a3,
  /** `client udpport` collision: "Port/IP pair already in use". */
  portInUse: 0x500000a9,
  invalidBinding: 0x500000be,
  /** SL_RESP_UNKNOWN: the generic refusal. */
  unknown: 0x50001000,
} as const;

/** `0x500000A9` as users see it in SmartSDR's logs. */
export function formatCode(code: number): string {
  return '0x' + code.toString(16).toUpperCase().padStart(8, '0');
}
