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

/**
 * Progress of work that is not one file (a batch) on stderr. On a terminal: one line, redrawn in place
 * (at most 10 times a second, and at every step) and cleared at the end. Elsewhere (a log, CI, a pipe):
 * a plain line per step and nothing in between, so a log holds which capture finished when, without
 * carriage returns or escape codes.
 */
export function statusLine(stream: NodeJS.WriteStream = process.stderr): { update(text: () => string): void; step(text: string): void; end(): void } {
  if (!stream.isTTY) return { update() {}, step: (text) => void stream.write(`${text}\n`), end() {} };
  let last = 0;
  const draw = (text: string): void => {
    last = Date.now();
    stream.write(`\r${text}\x1b[K`);
  };
  return {
    update(text) {
      if (Date.now() - last >= 100) draw(text());
    },
    step: draw,
    end() {
      stream.write('\r\x1b[K');
    },
  };
}
