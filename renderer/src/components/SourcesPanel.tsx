import { useRef, useState } from 'react';
import { DEMO_FAULT_LABELS, DEMO_FAULTS, type Capabilities, type DemoFault, type DiagnoseMode, type DiscoveredRadio, type HostPlatform, type SignInView } from '../../../src/bridge/protocol.js';
import type { RendererBridge } from '../bridge-client.js';
import { CaptureAdvice } from './CaptureAdvice.js';
import { SignInPanel } from './SignInPanel.js';

const UNAVAILABLE = 'Not available in this build yet.';

export function SourcesPanel({
  bridge,
  caps,
  radios,
  discovering,
  signIn,
  platform,
  onOpenFile,
}: {
  bridge: RendererBridge;
  caps: Capabilities | undefined;
  radios: DiscoveredRadio[];
  discovering: boolean;
  signIn: SignInView | null;
  platform: HostPlatform | undefined;
  onOpenFile(file: File): void;
}) {
  const [host, setHost] = useState('');
  // A typed address is usually a radio behind a VPN, where only a probe's own panadapter shows whether
  // large packets get through; observer stays the default because it changes nothing on the radio.
  const [hostMode, setHostMode] = useState<DiagnoseMode>('observer');
  const [faults, setFaults] = useState<DemoFault[]>([]);
  const fileInput = useRef<HTMLInputElement>(null);

  const toggle = (f: DemoFault): void => setFaults((cur) => (cur.includes(f) ? cur.filter((x) => x !== f) : [...cur, f]));
  const openCapture = (): void => {
    if (caps?.nativeDialogs) bridge.send({ type: 'pick-capture' });
    else fileInput.current?.click();
  };

  return (
    <nav className="sources" aria-label="Sources">
      <section className="panel" aria-labelledby="h-radios">
        <h2 id="h-radios">Radios on this network</h2>
        {radios.length === 0 ? (
          <p className="muted small">{discovering ? 'Listening for discovery beacons (UDP 4992)…' : caps?.lan ? 'No radio found.' : 'Radio discovery is not available in this build yet.'}</p>
        ) : (
          <ul className="radio-list">
            {radios.map((r) => (
              <li key={r.serial}>
                <div>
                  <strong>{r.nickname || r.model}</strong> <span className="muted small">{r.model} · {r.ip} · v{r.version}</span>
                </div>
                <div className="btn-row">
                  <button type="button" disabled={!caps?.lan} onClick={() => bridge.send({ type: 'diagnose-lan', host: r.ip, mode: 'observer' })} title="Listen only: meters, changes nothing on the radio">
                    Observe
                  </button>
                  <button type="button" disabled={!caps?.lan} onClick={() => bridge.send({ type: 'diagnose-lan', host: r.ip, mode: 'probe' })} title="Creates a small panadapter and audio stream, removes them afterwards">
                    Full probe
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )}
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (host.trim()) bridge.send({ type: 'diagnose-lan', host: host.trim(), mode: hostMode });
          }}
        >
          <label htmlFor="radio-host" className="small">
            Radio address (VPN, other subnet)
          </label>
          <div className="btn-row">
            <input id="radio-host" value={host} onChange={(e) => setHost(e.target.value)} placeholder="192.168.1.50" spellCheck={false} autoComplete="off" />
            <button type="submit" disabled={!caps?.lan || !host.trim()} title={caps?.lan ? undefined : UNAVAILABLE} data-testid="diagnose-host">
              Diagnose
            </button>
          </div>
          <fieldset className="mode-choice">
            <legend className="visually-hidden">How to diagnose this address</legend>
            <label title="Listen only: meters, changes nothing on the radio">
              <input type="radio" name="host-mode" value="observer" checked={hostMode === 'observer'} onChange={() => setHostMode('observer')} data-testid="host-mode-observer" />
              Observe
            </label>
            <label title="Creates a small panadapter and audio stream, removes them afterwards">
              <input type="radio" name="host-mode" value="probe" checked={hostMode === 'probe'} onChange={() => setHostMode('probe')} data-testid="host-mode-probe" />
              Full probe
            </label>
          </fieldset>
        </form>
      </section>

      <section className="panel" aria-labelledby="h-smartlink">
        <h2 id="h-smartlink">SmartLink</h2>
        <SignInPanel bridge={bridge} caps={caps} signIn={signIn} />
        {!caps?.smartlink && <p className="muted small">{UNAVAILABLE}</p>}
      </section>

      <section className="panel" aria-labelledby="h-capture">
        <h2 id="h-capture">Capture file</h2>
        <button type="button" className="wide" onClick={openCapture} disabled={!caps?.capture} data-testid="open-capture">
          Open capture…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".pcap,.pcapng,.cap,.gz,.zip"
          hidden
          data-testid="capture-input"
          aria-label="Capture file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) onOpenFile(f);
            e.target.value = '';
          }}
        />
        <p className="muted small">{caps?.capture ? 'or drop a .pcap / .pcapng (also .gz or a .zip of several) anywhere on this window' : 'Capture analysis is not available in this build yet.'}</p>
        <CaptureAdvice platform={platform} />
      </section>

      <section className="panel demo" aria-labelledby="h-demo">
        <h2 id="h-demo">
          Demo <span className="sim-tag">SIMULATED</span>
        </h2>
        <p className="small">A built-in simulated radio. Show me what a problem looks like:</p>
        <fieldset className="faults">
          <legend className="small muted">Faults (none = healthy)</legend>
          {DEMO_FAULTS.map((f) => (
            <label key={f} className="fault">
              <input type="checkbox" checked={faults.includes(f)} onChange={() => toggle(f)} data-testid={`fault-${f}`} />
              {DEMO_FAULT_LABELS[f]}
            </label>
          ))}
        </fieldset>
        <button type="button" className="wide primary" disabled={!caps?.demo} onClick={() => bridge.send({ type: 'start-demo', faults })} data-testid="start-demo">
          {faults.length ? `Start demo with ${faults.length} fault${faults.length > 1 ? 's' : ''}` : 'Start healthy demo'}
        </button>
        {!caps?.demo && <p className="muted small">{UNAVAILABLE}</p>}
      </section>
    </nav>
  );
}
