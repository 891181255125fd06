import { useState } from 'react';
import type { HostPlatform } from '../../../src/bridge/protocol.js';
import { adviceFor, type AdviceBlock } from '../capture-advice.js';

function Command({ command }: { command: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = (): void => {
    navigator.clipboard.writeText(command).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
    setTimeout(() => setCopied(null), 2000);
  };
  return (
    <div className="advice-row">
      <code>{command}</code>
      <button type="button" onClick={copy} aria-label={`Copy the command: ${command}`} data-testid="copy-command">
        {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Select it' : 'Copy'}
      </button>
    </div>
  );
}

function Block({ block }: { block: AdviceBlock }) {
  return (
    <div className="advice" data-testid={`advice-${block.os}`}>
      {block.steps.map((s) => (
        <div key={s.what}>
          <p className="small">{s.what}</p>
          {s.commands.map((c) => (
            <Command key={c} command={c} />
          ))}
        </div>
      ))}
    </div>
  );
}

/** How to capture on this computer (the system the core reports), the other systems folded away. */
export function CaptureAdvice({ platform }: { platform: HostPlatform | undefined }) {
  const [mine, ...others] = adviceFor(platform);
  const known = platform !== undefined && platform !== 'other';
  return (
    <details className="capture-howto" data-testid="capture-advice">
      <summary className="small">{known ? `How to capture on this computer (${mine!.title})` : 'How to make a capture'}</summary>
      {known ? <Block block={mine!} /> : null}
      {(known ? others : [mine!, ...others]).map((b) => (
        <details key={b.os} className="capture-howto-other">
          <summary className="small">{b.title}</summary>
          <Block block={b} />
        </details>
      ))}
    </details>
  );
}
