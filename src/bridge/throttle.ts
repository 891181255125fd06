/**
 * Rate limit for pushed snapshots: a busy stream must not flood the UI (model ≤ 10/s, spectrum ≤ 25/s).
 * Values pushed between sends are merged (latest-wins by default), so the first value goes out at
 * once, later ones at most once per interval, and the last one is never lost.
 */

export interface Throttle<T> {
  push(value: T): void;
  /** Send what is pending now (e.g. when a capture finishes). */
  flush(): void;
  /** Drop what is pending (the source changed); later pushes work as before. */
  discard(): void;
  /** Drop what is pending and ignore every later push. */
  close(): void;
}

export interface ThrottleOptions<T> {
  maxPerSecond: number;
  send(value: T): void;
  /** How a pending value absorbs a newer one; default: the newer one wins. */
  merge?(pending: T, next: T): T;
  now?(): number;
}

export function createThrottle<T>(opts: ThrottleOptions<T>): Throttle<T> {
  const interval = 1000 / opts.maxPerSecond;
  const now = opts.now ?? (() => performance.now());
  const merge = opts.merge ?? ((_p: T, n: T) => n);
  let lastSent = -Infinity;
  let pending: { value: T } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const sendPending = (): void => {
    timer = undefined;
    if (!pending || closed) return;
    const { value } = pending;
    pending = undefined;
    lastSent = now();
    opts.send(value);
  };

  return {
    push(value) {
      if (closed) return;
      pending = pending ? { value: merge(pending.value, value) } : { value };
      if (timer !== undefined) return;
      const wait = lastSent + interval - now();
      if (wait <= 0) sendPending();
      else timer = setTimeout(sendPending, wait);
    },
    flush() {
      if (timer !== undefined) clearTimeout(timer);
      sendPending();
    },
    discard() {
      pending = undefined;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
    close() {
      closed = true;
      this.discard();
    },
  };
}
