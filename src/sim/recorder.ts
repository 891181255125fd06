/**
 * `--write FILE.pcapng`: everything the simulated radio and broker send and receive, as seen at the
 * client (data-plane faults already applied), so each scenario is also a capture for `flexpath analyze`.
 *
 * TLS sessions (broker, WAN control) are written as their plaintext on the same ports — the view
 * Wireshark gives with the session keys — because an encrypted stream would hide exactly what a support
 * agent needs. SmartLink tokens never reach the file: they are replaced before writing.
 */
import { EventCaptureWriter } from '../capture/event-writer.js';
import type { Endpoint, NetEvent } from '../capture/types.js';
import { redactSecrets } from '../common/secrets.js';


export interface Recorder {
  event(e: NetEvent): void;
  /** A line of control text in one direction; secrets are removed here. */
  text(ts: number, src: Endpoint, dst: Endpoint, text: string): void;
  close(): Promise<void>;
}

export function pcapngRecorder(path: string): Recorder {
  const w = new EventCaptureWriter(path, 'FlexPath simulator');
  return {
    event: (e) => w.write(e),
    text: (ts, src, dst, text) => w.write({ type: 'tcp-data', ts, src, dst, data: Buffer.from(redactSecrets(text), 'latin1') }),
    close: () => w.close(),
  };
}
