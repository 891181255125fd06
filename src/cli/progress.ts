/**
 * A one-line progress bar on stderr, only when stderr is a terminal (never in pipes, logs or CI), redrawn
 * at most 10 times a second so it costs nothing on a fast read.
 */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): { update(done: number, total: number | undefined): void; end(): void } {
  if (!stream.isTTY) return { update() {}, end() {} };
  let last = 0;
  const started = Date.now();
  const draw = (done: number, total: number | undefined): void => {
    const mbs = done / 1e6 / Math.max(0.001, (Date.now() - started) / 1000);
    if (total) {
      const frac = Math.min(1, done / total);
      const width = 30;
      const filled = Math.round(frac * width);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${mbs.toFixed(0)} MB/s`);
    } else {
      stream.write(`\r${label} ${(done / 1e6).toFixed(1)} MB ${mbs.toFixed(0)} MB/s`);
    }
  };
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      draw(done, total);
    },
    end() {
      stream.write('\r\x1b[K');
    },
  };
}

/** A one-line status on stderr for work that is not one file (a batch): same TTY-only, 10-per-second rule. */
export function statusLine(stream: NodeJS.WriteStream = process.stderr): { update(text: () => string): void; end(): void } {
  if (!stream.isTTY) return { update() {}, end() {} };
  let last = 0;
  return {
    update(text) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      stream.write(`\r${text()}\x1b[K`);
    },
    end() {
      stream.write('\r\x1b[K');
    },
  };
}
