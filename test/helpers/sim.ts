/** Starting the simulator for a test, and talking to it the way SmartSDR does. */
import { ApiClient } from '../../src/api/client.js';
import type { SimFaults } from '../../src/sim/faults.js';
import { type SimOptions, type Simulator, startSimulator } from '../../src/sim/radio-sim.js';

export async function withSim<T>(opts: SimOptions & { faults?: SimFaults }, fn: (sim: Simulator) => Promise<T>): Promise<T> {
  const sim = await startSimulator({ portBase: 0, discovery: false, ...opts });
  try {
    return await fn(sim);
  } finally {
    await sim.stop();
  }
}

export function lanClient(sim: Simulator): Promise<ApiClient> {
  return ApiClient.connect({ host: sim.host, port: sim.ports.api });
}

/** The commands a GUI client sends before it can see data (reference §5.6), then `client udpport`. */
export async function guiSession(sim: Simulator, udpPort: number, o: { audio?: boolean; xpixels?: number } = {}): Promise<ApiClient> {
  const c = await lanClient(sim);
  for (const cmd of ['client program FlexPathTest', 'client gui', 'sub pan all', 'sub meter all', 'sub audio_stream all', `client udpport ${udpPort}`]) {
    const r = await c.command(cmd);
    if (r.code !== 0) throw new Error(`${cmd} → ${r.code.toString(16)}`);
  }
  if (o.xpixels) await c.command(`display pan set 0x40000000 xpixels=${o.xpixels}`);
  if (o.audio) await c.command('stream create type=remote_audio_rx compression=opus');
  return c;
}

/**
 * A short GUI session against a simulator that records it (`--write`): returns the capture, the port the
 * client received on and what the simulator says it sent per stream after faults.
 */
export async function recordedSession(
  file: string,
  faults: SimFaults,
  o: { ms?: number; audio?: boolean; xpixels?: number } = {},
): Promise<{ file: string; udpPort: number; stats: ReturnType<Simulator['streamStats']> }> {
  const { udpSink, sleep } = await import('./udp-sink.js');
  const sink = await udpSink();
  try {
    return await withSim({ faults, write: file, discovery: { address: '127.255.255.255', port: 4992, intervalMs: 1000 } }, async (sim) => {
      const c = await guiSession(sim, sink.port, { audio: o.audio ?? true, xpixels: o.xpixels ?? 1024 });
      await c.command('keepalive enable');
      const end = performance.now() + (o.ms ?? 3000);
      while (performance.now() < end) {
        // Like FlexLib: one ping a second, never waiting for the reply before the next (reference §5.5).
        c.send(`ping ms_timestamp=${(performance.now() % 1e6).toFixed(4)}`);
        await sleep(1000);
      }
      await c.close();
      await sleep(50);
      return { file, udpPort: sink.port, stats: sim.streamStats() };
    });
  } finally {
    await sink.close();
  }
}
