import { useEffect, useMemo, useReducer, useState, type DragEvent } from 'react';
import { createBridge, openCaptureFile } from './bridge-client.js';
import { ArchivePanel } from './components/ArchivePanel.js';
import { DiffPanel } from './components/DiffPanel.js';
import { ExportPanel } from './components/ExportPanel.js';
import { PathDiagram } from './components/PathDiagram.js';
import { SeriesCharts } from './components/SeriesCharts.js';
import { SourcesPanel } from './components/SourcesPanel.js';
import { Spectrum } from './components/Spectrum.js';
import { StreamsTable } from './components/StreamsTable.js';
import { LocalPanel } from './components/LocalPanel.js';
import { VerdictPanel } from './components/VerdictPanel.js';
import { initialState, reduce } from './store.js';
import { hopCounts } from './vocab.js';

export function App() {
  const bridge = useMemo(createBridge, []);
  const [state, dispatch] = useReducer(reduce, initialState);
  const [dragging, setDragging] = useState(false);
  const [sourcesOpen, setSourcesOpen] = useState(true);
  const run = state.session?.run;
  // A narrow window folds the sources away when a run starts, so the verdict is what shows first.
  useEffect(() => {
    if (run) setSourcesOpen(false);
  }, [run]);

  useEffect(() => {
    const offSnap = bridge.onSnapshot((snapshot) => {
      if (snapshot.type !== 'spectrum') dispatch({ type: 'snapshot', snapshot });
    });
    const offConn = bridge.onConnection((value) => dispatch({ type: 'connected', value }));
    return () => {
      offSnap();
      offConn();
    };
  }, [bridge]);

  const session = state.session;
  const running = session?.phase === 'running';
  const model = state.model;
  const caps = session?.capabilities;

  const openFile = (file: File): void => {
    dispatch({ type: 'upload', upload: { name: file.name, fraction: 0 } });
    openCaptureFile(bridge, file, (fraction) => dispatch({ type: 'upload', upload: { name: file.name, fraction } })).then(
      () => dispatch({ type: 'upload', upload: null }),
      (e: unknown) => {
        dispatch({ type: 'upload', upload: null });
        dispatch({ type: 'notice', kind: 'error', text: `${file.name}: ${e instanceof Error ? e.message : String(e)}` });
      },
    );
  };
  const onDrop = (e: DragEvent): void => {
    e.preventDefault();
    setDragging(false);
    const f = e.dataTransfer.files[0];
    if (f) openFile(f);
  };

  const panHop = model?.hops.find((h) => h.id === 'data:panadapter');
  const emptyHint = !model
    ? 'No source yet.'
    : panHop?.status === 'blocked'
      ? 'No panadapter frames arrived — see the path above.'
      : session?.source?.kind === 'capture'
        ? 'This capture holds no panadapter frame or waterfall line.'
        : 'Waiting for panadapter frames…';

  return (
    <div
      className={`app${dragging ? ' dragging' : ''}${session?.simulated ? ' simulated' : ''}`}
      onDragOver={(e) => {
        if (caps?.capture) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <header className="topbar">
        <h1>
          Flex<span>Path</span>
        </h1>
        <div className="source" aria-live="polite" data-testid="source">
          {session?.source ? (
            <>
              <span className="muted">Source:</span> {session.source.label}
            </>
          ) : (
            <span className="muted">No source</span>
          )}
        </div>
        {session?.simulated && (
          <div className="sim-badge" role="status" data-testid="simulated-badge" title="Data comes from the built-in simulator, not from a radio">
            SIMULATED — demo radio, not your station
          </div>
        )}
        <div className={`phase phase-${session?.phase ?? 'idle'}`}>{session ? session.phase.toUpperCase() : '…'}</div>
        {running && (
          <button type="button" onClick={() => bridge.send({ type: 'stop' })}>
            Stop
          </button>
        )}
        {!state.connected && <div className="disconnected" role="alert">Disconnected from FlexPath — reconnecting…</div>}
      </header>

      {state.progress && (
        <div className="progress" role="progressbar" aria-label={state.progress.label} aria-valuemin={0} aria-valuemax={state.progress.total} aria-valuenow={state.progress.done}>
          <div style={{ width: `${state.progress.total ? (100 * state.progress.done) / state.progress.total : 0}%` }} />
          <span>{state.progress.label}</span>
        </div>
      )}

      <div className="notices">
        {state.notices.map((n) => (
          <div key={n.id} className={`notice notice-${n.kind}`} role="alert">
            {n.text}
            <button type="button" aria-label="Dismiss" onClick={() => dispatch({ type: 'dismiss', id: n.id })}>
              ×
            </button>
          </div>
        ))}
      </div>

      <div className="layout">
        <aside className={sourcesOpen ? 'open' : 'collapsed'}>
          <button type="button" className="sources-toggle" aria-expanded={sourcesOpen} onClick={() => setSourcesOpen(!sourcesOpen)} data-testid="sources-toggle">
            {sourcesOpen ? '▾' : '▸'} Sources: radio, capture file, demo
          </button>
          <SourcesPanel bridge={bridge} caps={caps} radios={state.radios} discovering={session?.phase === 'discovering'} signIn={state.signIn} platform={session?.platform} onOpenFile={openFile} />
          <ExportPanel bridge={bridge} enabled={!!caps?.export} hasData={!!model} lastExport={state.lastExport} />
        </aside>
        <main>
          {session?.archive && <ArchivePanel bridge={bridge} archive={session.archive} openLabel={session.source?.label} />}
          <VerdictPanel
            verdict={model?.verdict}
            running={running}
            upload={state.upload}
            error={session?.phase === 'error' && !model ? session.message : undefined}
            archive={session?.archive}
          />
          {model ? (
            <PathDiagram hops={model.hops} verdict={model.verdict} sourceKind={session?.source?.kind} streams={model.streams} local={model.local} />
          ) : (
            <section className="panel path" aria-label="Path diagram">
              <h2>Path</h2>
              <p className="muted">The hops between the radio and this computer appear here once a source is running.</p>
            </section>
          )}
          <div className="two-col">
            <Spectrum bridge={bridge} run={session?.run} live={running} emptyHint={emptyHint} replay={state.replay} />
            <SeriesCharts series={model?.series ?? []} live={running} hasSource={!!model} />
          </div>
          <StreamsTable streams={model?.streams ?? []} />
          {model?.local && <LocalPanel local={model.local} />}
          <DiffPanel bridge={bridge} enabled={!!caps?.capture} />
          {model && model.warnings.length > 0 && (
            <section className="panel" aria-label="Warnings">
              <h2>Warnings</h2>
              <ul className="small">
                {model.warnings.map((w, i) => (
                  <li key={i}>{w}</li>
                ))}
              </ul>
            </section>
          )}
          {model && (
            <p className="muted small footer mono">
              {model.source.file ? `${model.source.file} · ` : ''}
              {model.source.packets} packets · {(model.source.bytes / 1e6).toFixed(2)} MB · {model.source.durationS.toFixed(1)} s ·{' '}
              <span data-testid="hop-counts">{hopCounts(model.hops)}</span>
            </p>
          )}
        </main>
      </div>
    </div>
  );
}
