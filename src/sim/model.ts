/**
 * Who the simulated radio is. Capacities come from real beacons (reference §4.2, fixtures): a FLEX-6600M
 * on fw 3.2.39 announced 4 panadapters, 4 slices and 2 licensed clients (multiFLEX, max_licensed_version
 * v3); a FLEX-6700 announced 8 and 8. Identity fields are obviously simulated so that no report made
 * from the demo can be mistaken for a customer's radio.
 */
export interface RadioModel {
  model: string;
  maxPanadapters: number;
  maxSlices: number;
  licensedClients: number;
  maxLicensedVersion: string;
}

export const MODELS: Record<string, RadioModel> = {
  'FLEX-6600M': { model: 'FLEX-6600M', maxPanadapters: 4, maxSlices: 4, licensedClients: 2, maxLicensedVersion: 'v3' },
  'FLEX-6600': { model: 'FLEX-6600', maxPanadapters: 4, maxSlices: 4, licensedClients: 2, maxLicensedVersion: 'v3' },
  'FLEX-6700': { model: 'FLEX-6700', maxPanadapters: 8, maxSlices: 8, licensedClients: 2, maxLicensedVersion: 'v3' },
};

export const DEFAULT_MODEL = 'FLEX-6600M';

export interface RadioIdentity {
  spec: RadioModel;
  serial: string;
  /** Firmware; 4.1.5 beacons use discovery protocol 3.1.0.2 (reference §4.3). */
  version: string;
  discoveryProtocolVersion: string;
  /** API protocol version sent in the prologue (`V1.4.0.0` on 3.2.39 and 4.x, reference §5.2). */
  apiVersion: string;
  nickname: string;
  callsign: string;
  /** 00-1C-2D-… like real licence IDs (Flex OUI). */
  licenseId: string;
  mac: string;
}

export function simulatedIdentity(model = DEFAULT_MODEL): RadioIdentity {
  const spec = MODELS[model];
  if (!spec) throw new RangeError(`unknown model "${model}" (known: ${Object.keys(MODELS).join(', ')})`);
  return {
    spec,
    serial: '0000-0000-0000-0001',
    version: '4.1.5.39794',
    discoveryProtocolVersion: '3.1.0.2',
    apiVersion: '1.4.0.0',
    nickname: 'FlexPath-Simulator',
    callsign: 'N0CALL',
    licenseId: '00-1C-2D-00-00-01',
    mac: '00:1C:2D:00:00:01',
  };
}
