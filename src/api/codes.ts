/**
 * SmartSDR reply codes the tools meet. Replies print them as bare hex (`R39|50000029|`). Each code names
 * its source; sources as in the reference: wiki = smartsdr-api-docs Known-API-Responses (firmware
 * `messages.h`, also mirrored by K3TZR FlexErrors.swift), reference §5.4 and §11.
 *
 * A refused create (0x50000001, 0x50000003, 0x50000007, 0x5000008E) is the radio's resources or licence,
 * never the network (reference §11).
 */
export const REPLY = {
  ok: 0,
  /** No foundation receiver for a new pan/slice (wiki; reference §11). */
  noFoundationReceiver: 0x50000001,
  /** Pan/slice creation refused: all slices in use, or the licence check failed (wiki message table / TCPIP-display-pan). */
  allSlicesInUse: 0x50000003,
  /** No SCU available (wiki; reference §11). */
  noScu: 0x50000007,
  /** Unknown command (wiki). */
  unknownCommand: 0x50000015,
  /** Malformed command (wiki). */
  malformedCommand: 0x50000016,
  /** e.g. `display panafall rfgain_info 0x0` → R39|50000029| in the real session fixture (wiki; fixture). */
  streamIdNotFound: 0x50000029,
  /** Incorrect number of parameters (wiki). */
  incorrectParameterCount: 0x5000002c,
  /** Bad field (wiki). */
  badField: 0x5000002d,
  /** FFT fps out of range (wiki). */
  fftFpsOutOfRange: 0x50000039,
  /** Invalid stream ID, on stream remove/set (wiki). */
  invalidStreamId: 0x50000059,
  /** Invalid client, on client disconnect (wiki). */
  invalidClient: 0x50000062,
  /** `stream create` before the radio knows where to send UDP: "No IP or PORT" (wiki TCPIP-stream). */
  noIpOrPort: 0x50000064,
  /** Keepalive failure (wiki). */
  keepaliveFail: 0x50000087,
  /** Could not create the audio client (wiki; reference §11). */
  couldNotCreateAudioClient: 0x5000008e,
  /** Invalid subscription object, a `sub` typo (wiki). */
  invalidSubscription: 0x500000a3,
  /** `client udpport` collision, "Port/IP pair already in use" — in FlexLib_Core 4.2.18's SsdrErrors.cs only (reference §11). */
  portInUse: 0x500000a9,
  /**
   * `client bind` to an unknown client_id. UNCONFIRMED: reference §11 found this code in no source; the
   * simulator uses it for a failed bind, and no rule reads it.
   */
  invalidBinding: 0x500000be,
  /**
   * SL_RESP_UNKNOWN: the command's handler never closed its response loop — not a generic refusal
   * (wiki; reference §11). Where the real radio's refusal code is not known (a non-GUI pan create, no
   * GUI slot), the simulator answers this and says why in the message: UNCONFIRMED stand-in.
   */
  handlerNoAnswer: 0x50001000,
} as const;

/** `0x500000A9` as users see it in SmartSDR's logs. */
export function formatCode(code: number): string {
  return '0x' + code.toString(16).toUpperCase().padStart(8, '0');
}
