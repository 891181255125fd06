import { useEffect, useRef, useState } from 'react';
import type { ExportFormat, Snapshot } from '../../../src/bridge/protocol.js';
import type { RendererBridge } from '../bridge-client.js';

const FORMATS: { id: ExportFormat; label: string }[] = [
  { id: 'markdown', label: 'Markdown report' },
  { id: 'html', label: 'HTML report' },
  { id: 'bundle', label: 'Support bundle (report + session capture, .tar)' },
];

export function ExportPanel({ bridge, enabled, hasData, lastExport }: { bridge: RendererBridge; enabled: boolean; hasData: boolean; lastExport: Extract<Snapshot, { type: 'export-ready' }> | null }) {
  const [format, setFormat] = useState<ExportFormat>('markdown');
  const [redact, setRedact] = useState(true);
  const handled = useRef<typeof lastExport>(null);

  // Web mode: the server answers with a URL; start the download once per export.
  useEffect(() => {
    if (!lastExport || handled.current === lastExport || !lastExport.url) return;
    handled.current = lastExport;
    const a = document.createElement('a');
    a.href = lastExport.url;
    a.download = lastExport.fileName;
    document.body.append(a);
    a.click();
    a.remove();
  }, [lastExport]);

  return (
    <section className="panel export" aria-labelledby="h-export">
      <h2 id="h-export">Export</h2>
      <fieldset className="formats">
        <legend className="small muted">Format</legend>
        {FORMATS.map((f) => (
          <label key={f.id} className="fault">
            <input type="radio" name="export-format" value={f.id} checked={format === f.id} onChange={() => setFormat(f.id)} />
            {f.label}
          </label>
        ))}
      </fieldset>
      <label className="fault">
        <input type="checkbox" checked={redact} onChange={(e) => setRedact(e.target.checked)} data-testid="redact" />
        Redact public IPs, serials and callsigns in the report
      </label>
      {format === 'bundle' && redact && <p className="muted small">The capture inside the bundle is included as recorded; redaction applies to the report.</p>}
      <button type="button" className="wide" disabled={!enabled || !hasData} onClick={() => bridge.send({ type: 'export', format, redact })} data-testid="export">
        Export…
      </button>
      {!enabled && <p className="muted small">Report export is not available in this build yet.</p>}
      {lastExport && (
        <p className="small" role="status">
          {lastExport.savedTo ? `Saved to ${lastExport.savedTo}` : `Downloaded ${lastExport.fileName}`}
        </p>
      )}
    </section>
  );
}
