/**
 * Hand-made facts for the rule-table tests: a healthy LAN session written out field by field (not
 * derived by the analyzer), which each test bends just below or just above one threshold.
 */
import type { ClassFacts, DataHopId, PathFacts } from '../../src/analysis/facts.js';

type Unit = ClassFacts['unit'];

/** One data class flowing cleanly for 10 s at `pps` packets of `size` bytes; reassembled classes 25 units/s. */
export function flowingClass(label: string, unit: Unit, pps: number, size: number): ClassFacts {
  const packets = pps * 10;
  const frames = unit === undefined ? 0 : 250;
  return {
    label,
    unit,
    requested: { by: ['hand-made'], waitedS: 10, expected: (unit === undefined ? pps : 25) * 10, expectedUnit: unit === 'frame' ? 'FFT frames' : unit === 'line' ? 'waterfall lines' : `${label} packets` },
    streams: [],
    packets,
    lost: 0,
    outOfOrder: 0,
    duplicates: 0,
    maxSize: size,
    bytesPerS: pps * size,
    framesComplete: frames,
    framesBroken: 0,
    framesSent: frames,
    neverFirstFragment: false,
    jitterS: 0.001,
    expectsLarge: size >= 1000,
  };
}

/**
 * Nothing of `hop` arrived, `waitedS` after its request, when λ = `expected` units were due (a rate × time
 * the test writes out).
 */
export function silentFor(c: ClassFacts, waitedS: number, expected: number): ClassFacts {
  return { ...c, packets: 0, bytesPerS: 0, maxSize: 0, framesComplete: 0, framesSent: 0, requested: { by: ['hand-made'], waitedS, expected, expectedUnit: c.requested?.expectedUnit ?? 'packets' } };
}

/** A class nobody asked for and nothing arrived of. */
function silentClass(label: string, unit: Unit): ClassFacts {
  const { requested: _none, ...c } = flowingClass(label, unit, 0, 0);
  return { ...c, framesComplete: 0, framesSent: 0 };
}

/** A LAN session: control answered, udpport accepted, meters + a 50-bin pan + its waterfall flowing. */
export function healthyLan(): PathFacts {
  return {
    now: 1_700_000_010,
    mode: 'lan',
    notTested: {},
    discovery: { beacons: [] },
    broker: { sessions: [], registerSent: 0, registrationInvalid: false, radios: [] },
    registration: { brokerRadios: 0, registerSent: 0, registrationInvalid: false, beacons: [] },
    forwarding: { publicIpPrivate: false },
    control: {
      attempts: [],
      session: {
        id: '192.168.10.20:53344 → 192.168.10.27:4992',
        tls: false,
        version: '1.4.0.0',
        handle: 0x3621c7f5,
        replies: 15,
        bytesToServer: 400,
        durationS: 10,
        lineErrors: 0,
        wanValidationFailed: false,
        keepaliveEnabled: true,
        pings: { sent: 9, answered: 9, minMs: 1, avgMs: 2, maxMs: 4, longestWaitS: 0.004, waitingNowS: 0, maxGapS: 1, answeredAfterLongestGap: true },
        unanswered: [],
      },
    },
    setup: {
      hasSession: true,
      udpport: { port: '4991', code: 0 },
      registrations: [],
      creates: [{ command: 'display panafall create x=50 y=20', code: 0, message: '0x40000000,0x42000000' }],
      announced: [
        { hop: 'data:meter', by: ['meters'] },
        { hop: 'data:panadapter', by: ['display pan 0x40000000'] },
        { hop: 'data:waterfall', by: ['display waterfall 0x42000000'] },
      ],
    },
    udpReturn: {
      announcedPort: 4991,
      sources: ['192.168.10.27:4993'],
      dstPorts: [4991],
      streamsToClient: 3,
      requestedClasses: 3,
      waitedS: 10,
      // meters 28/s, FFT frames and waterfall lines 25/s, for 10 s
      expected: 780,
      unreachable: [],
      aboutData: { count: 0, adminProhibited: false },
      noDestinationDespiteRegistrations: false,
    },
    data: {
      'data:meter': flowingClass('meters', undefined, 28, 60),
      'data:panadapter': flowingClass('panadapter (FFT)', 'frame', 25, 144),
      'data:waterfall': flowingClass('waterfall', 'line', 100, 1436),
      'data:audio': silentClass('audio', undefined),
      'data:dax': silentClass('DAX', undefined),
    },
    outages: [],
    restarts: [],
    anyData: true,
    fragNeeded: [],
    beaconModels: [],
    foreignVita: { streams: 0, ouis: [] },
    hasSession: true,
  };
}

/** Sets one class's counter loss: `lost` missing next to `packets` received. */
export function withLoss(f: PathFacts, hop: DataHopId, lost: number, packets: number): PathFacts {
  f.data[hop] = { ...f.data[hop], lost, packets };
  return f;
}
