import type { HopId } from './analysis/model.js';

/**
 * Names a reader understands, for reports, tables and the UI's path view alike — one table, which the
 * renderer reaches through src/bridge/protocol.ts (the ids stay the contract). udp-return is the radio's
 * data coming back to this computer: "UDP data path", never a direction towards the radio. A module of its
 * own, outside the engines, so the renderer and Electron's main process may load it (it imports types only).
 */
export const HOP_LABEL: Record<HopId, string> = {
  discovery: 'Discovery (LAN beacons)',
  'smartlink-server': 'SmartLink server',
  'radio-registration': 'Radio registration',
  'radio-forwarding': "Radio's router forwarding",
  control: 'Control channel (TCP/TLS)',
  'stream-setup': 'Stream setup',
  'udp-return': 'UDP data path',
  'data:meter': 'Meters',
  'data:panadapter': 'Panadapter (FFT)',
  'data:waterfall': 'Waterfall',
  'data:audio': 'Audio',
  'data:dax': 'DAX',
};
