import type { LocalFacts, LocalInterface } from '../../../src/bridge/protocol.js';

const CLASS_LABEL: Record<string, string> = {
  loopback: 'loopback',
  'link-local': 'link-local',
  private: 'private',
  cgnat: 'carrier-grade NAT',
  tailscale: 'Tailscale',
  ula: 'private IPv6',
  public: 'public',
};

/** This computer's side of a live diagnosis: route and adapter, port holders, host firewall (read only). */
export function LocalPanel({ local }: { local: LocalFacts }) {
  const ifs: LocalInterface[] = local.interfaces.checked ? local.interfaces.list.filter((i) => i.kind !== 'loopback') : [];
  const route = local.route.checked ? local.route.value : undefined;
  const holders = local.ports.checked ? local.ports.list : [];
  return (
    <section className="panel" aria-label="This computer" data-testid="local-panel">
      <h2>This computer</h2>
      <ul className="small">
        <li data-testid="local-route">
          {route
            ? `Route to the radio ${route.to}: ${route.interface}${route.source ? ` from ${route.source}` : ''}${route.gateway ? ` via ${route.gateway}` : ''}`
            : `Route to the radio: ${local.route.checked ? '' : local.route.reason}`}
        </li>
        {local.bound && (
          <li>
            Data socket: {local.bound.ip}:{local.bound.port}
            {local.bound.interface ? ` on ${local.bound.interface}` : ''}
          </li>
        )}
        {local.bindError && (
          <li>
            UDP {local.bindError.port} could not be bound ({local.bindError.code})
          </li>
        )}
      </ul>
      {/* Long address lists scroll inside the panel: the page never gets wider than the window. */}
      {ifs.length > 0 && (
        <div className="table-wrap">
          <table className="small" aria-label="Adapters">
            <thead>
              <tr>
                <th>Adapter</th>
                <th>Kind</th>
                <th>MTU</th>
                <th>Addresses</th>
              </tr>
            </thead>
            <tbody>
              {ifs.map((i) => (
                <tr key={i.name} className={route?.interface === i.name ? 'on-route' : undefined}>
                  <td className="mono">{i.name}</td>
                  <td>{i.kind}</td>
                  <td>{i.mtu ?? '—'}</td>
                  <td className="mono">{i.addresses.map((a) => `${a.ip} (${CLASS_LABEL[a.class] ?? a.class})`).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!local.interfaces.checked && <p className="muted small">Adapters: {local.interfaces.reason}</p>}
      <h3>UDP ports</h3>
      {local.ports.checked ? (
        <ul className="small" data-testid="local-ports">
          {holders.length === 0 && <li className="muted">nobody holds 4991–4993</li>}
          {holders.map((h, i) => (
            <li key={i}>
              {h.port} on {h.local}: {h.ours ? 'FlexPath' : h.program ? `${h.program}${h.pid !== undefined ? ` (pid ${h.pid})` : ''}` : (h.unnamed ?? 'unknown program')}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">{local.ports.reason}</p>
      )}
      <h3>Host firewall</h3>
      <ul className="small" data-testid="local-firewall">
        {local.firewalls.length === 0 && <li className="muted">no host firewall checked</li>}
        {local.firewalls.map((fw, i) =>
          fw.checked ? (
            <li key={i}>
              {fw.tool}
              {fw.value.enabled !== undefined ? (fw.value.enabled ? ' (on)' : ' (off)') : ''}:{' '}
              {fw.value.drops.length === 0
                ? 'lets the radio’s data in'
                : fw.value.drops.map((d) => `${d.certain ? 'drops' : 'may drop'} it — ${d.where}: ${d.rule}`).join('; ')}
              {fw.value.notes.length > 0 && <span className="muted"> · {fw.value.notes.join(' · ')}</span>}
            </li>
          ) : (
            <li key={i} className="muted">
              {fw.tool}: {fw.reason}
            </li>
          ),
        )}
      </ul>
    </section>
  );
}
