/**
 * One live session's evidence: everything FlexPath sends and receives goes into the same Analyzer a
 * capture file feeds (DESIGN.md §3: one pipeline), timestamped with wall-clock seconds, and — with
 * `--write` — into a pcapng of exactly those packets for the support ticket.
 */
import { Analyzer, type AnalyzerOptions } from '../analysis/analyzer.js';
import type { AnalysisReport, HopId } from '../analysis/model.js';
import { unreachableFromErrno } from '../analysis/facts.js';
import { EventCaptureWriter, SOCKET_RECORDING } from '../capture/event-writer.js';
import type { Endpoint, NetEvent } from '../capture/types.js';
import { unixNow } from '../capture/timestamp.js';
import { redactSecrets } from '../common/secrets.js';

/** A session left running (the UI) records at most this much, then analyses on without recording. */
export const CONTINUOUS_RECORD_BYTES = 50 * 1024 * 1024;
/** Any other recording stops here rather than fill the disk. */
export const RECORD_MAX_BYTES = 200 * 1024 * 1024;

/** The warning when a recording reached its cap. */
export const recordingStopped = (maxBytes: number, analysisGoesOn: boolean): string => `the recording stopped at ${Math.round(maxBytes / 1048576)} MB${analysisGoesOn ? '; the analysis goes on' : ''}`;

/** The stall monitor's interval (LiveEvidence.tick): short beside the 20-ms jitter bar it guards, a timer a few µs a tick. */
const STALL_TICK_MS = 10;

export class LiveEvidence {
  readonly analyzer: Analyzer;
  readonly t0 = unixNow();
  private readonly writer: EventCaptureWriter | undefined;
  private packets = 0;
  private bytes = 0;
  private recorded = 0;
  private closed = false;
  /** When the analysis was paused (unixNow()); reports are made as of then until it resumes. */
  private pausedAt: number | undefined;
  /** The stall monitor's last tick (performance.now()): see STALL_TICK_MS. */
  private lastTick = performance.now();
  private readonly stallTimer = setInterval(() => this.tick(), STALL_TICK_MS).unref();

  constructor(
    readonly label: string,
    readonly writePath?: string,
    analyzerOptions: AnalyzerOptions = {},
    /** Recording stops here rather than fill the disk. */
    private readonly maxRecordBytes = RECORD_MAX_BYTES,
  ) {
    this.analyzer = new Analyzer(analyzerOptions);
    this.analyzer.ownSocket = true;
    this.writer = writePath ? new EventCaptureWriter(writePath, SOCKET_RECORDING) : undefined;
  }

  /** Seconds since the session started, for timed evidence. */
  elapsed(ts = unixNow()): number {
    return ts - this.t0;
  }

  /**
   * Leaves what happens from now on out of the analysis, which is judged as of now (the MTU steps after
   * the report would read as an outage of the run), but not out of the recording: there the steps' control
   * commands and data follow the run, and `analyze` cuts the session at each network_mtu change
   * (analyzer.ts mtuAsked) and judges the run with its steps, as the live run does.
   */
  pause(on: boolean): void {
    this.pausedAt = on ? (this.pausedAt ?? unixNow()) : undefined;
  }

  /** Analysis time: now, or while paused the moment the analysis was paused (silence since then is not the path's). */
  private now(): number {
    return this.pausedAt ?? unixNow();
  }

  feed(e: NetEvent): void {
    const size = e.type === 'udp' ? e.payload.length : e.type === 'tcp-data' ? e.data.length : 0;
    if (this.pausedAt === undefined) {
      this.packets++;
      this.bytes += size;
      this.analyzer.feed(e);
    }
    if (this.writer && this.recorded <= this.maxRecordBytes) {
      this.recorded += size + 64;
      if (this.recorded > this.maxRecordBytes) this.analyzer.warn(recordingStopped(this.maxRecordBytes, this.pausedAt === undefined));
      else this.writer.write(e);
    }
  }

  /** `tls`: FlexPath opens it as TLS (SmartLink), and what it feeds is the decrypted text. */
  tcpOpen(client: Endpoint, server: Endpoint, tls = false): void {
    const ts = unixNow();
    this.feed({ type: 'tcp-open', ts, src: client, dst: server });
    if (tls && this.pausedAt === undefined) this.analyzer.control.openedAsTls(client, server, ts);
  }

  /** Control text in one direction; secrets are replaced before it reaches the analysis or the file. */
  tcpText(src: Endpoint, dst: Endpoint, text: string): void {
    this.feed({ type: 'tcp-data', ts: unixNow(), src, dst, data: Buffer.from(redactSecrets(text), 'latin1') });
  }

  tcpClose(src: Endpoint, dst: Endpoint, reset = false): void {
    this.feed({ type: reset ? 'tcp-reset' : 'tcp-close', ts: unixNow(), src, dst });
  }

  udp(src: Endpoint, dst: Endpoint, payload: Buffer): void {
    this.feed({ type: 'udp', ts: unixNow(), src, dst, payload });
  }

  /** This computer refused to send a datagram (an outbound firewall: EPERM); the first of them is a step. */
  sendRefused(dst: Endpoint, code: string): void {
    const first = this.analyzer.control.localSendErrors.length === 0;
    this.analyzer.control.localSendError(unixNow(), code, dst);
    if (first) this.step('udp-return', `this computer refused to send UDP to ${dst.ip}:${dst.port} (${code}): an outbound firewall rule on this computer`);
  }

  /**
   * This computer's connect to `server` failed: `code` is the kernel's errno (ECONNREFUSED, EHOSTUNREACH, …;
   * none on a timeout), `opened` whether it had connected (a TLS handshake or the prologue failed after).
   * One that never connected is a SYN alone in the evidence and the recording — for a refusal followed by
   * the radio's reset (RFC 9293 §3.10.7.3), so `analyze` of the recording reads it as refused, as live.
   * Kernel-level facts (the errno) reach the analysis only: no packet carries them.
   */
  connectFailed(client: Endpoint, server: Endpoint, o: { code?: string | undefined; tls: boolean; opened: boolean }): void {
    const ts = unixNow();
    if (!o.opened) {
      // TLS: its socket reports an error of the handshake and of the TCP connect alike; only these are sure to be the connect's.
      const synOnly = !o.tls || o.code === 'ECONNREFUSED' || (o.code !== undefined && unreachableFromErrno(o.code) !== undefined);
      this.feed({ type: 'tcp-open', ts, src: client, dst: server, ...(synOnly ? { synOnly } : {}) });
      if (o.tls && this.pausedAt === undefined) this.analyzer.control.openedAsTls(client, server, ts);
      if (o.code === 'ECONNREFUSED') this.feed({ type: 'tcp-reset', ts, src: server, dst: client });
    }
    if (o.code !== undefined) this.analyzer.control.connectError(ts, o.code, server, o.tls);
  }

  /** The walk stopped waiting for `command`'s reply (rules.ts lateCommands); no packet carries this. */
  gaveUp(command: string): void {
    if (this.pausedAt === undefined) this.analyzer.control.gaveUpOn(command);
  }

  /** A timed step of the walk, shown first in the hop's evidence. */
  step(hop: HopId, text: string): void {
    this.analyzer.addEvidence(hop, `t+${this.elapsed().toFixed(2)} s ${text}`);
  }

  /** Hops and verdict as of now. */
  judge(): ReturnType<Analyzer['judge']> {
    return this.analyzer.judge(this.now());
  }

  /** Seconds since the last datagram of data that flowed to this computer (0 when none has flowed yet). */
  silentS(): number {
    return this.analyzer.facts(this.now()).udpReturn.stopped?.silentS ?? 0;
  }

  report(): AnalysisReport {
    const now = this.now();
    return this.analyzer.report({ file: this.label, packets: this.packets, bytes: this.bytes, durationS: Math.round((now - this.t0) * 1000) / 1000 }, now);
  }

  /** The recording so far, complete on disk (for a support bundle taken while the session runs). */
  async syncRecording(): Promise<void> {
    if (!this.closed) await this.writer?.sync();
  }

  /**
   * A tick later than its interval: this process was held up (our own work, a garbage collection, or the
   * computer giving the CPU to others) and the datagrams that came meanwhile wait in the socket buffer,
   * to be read in a burst. Their times are read times (a socket gives no kernel timestamp), so the
   * analysis is told how long the longest hold-up was (rules.ts data-jitter-own-stall).
   */
  private tick(): void {
    const now = performance.now();
    const lateS = (now - this.lastTick - STALL_TICK_MS) / 1000;
    this.lastTick = now;
    if (this.pausedAt === undefined && lateS > this.analyzer.ownStallMaxS) this.analyzer.ownStallMaxS = lateS;
  }

  async close(): Promise<void> {
    clearInterval(this.stallTimer);
    this.closed = true;
    await this.writer?.close();
  }
}
