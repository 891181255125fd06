/**
 * V8 heap settings of every FlexPath process that analyses captures (the CLI, its batch worker threads,
 * the desktop app's core process). Issue 13: ≤ 150 MB peak RSS on 1 GB of each hostile capture family.
 *
 * Why flags at all: the analysis keeps a small live heap (≈ 20–30 MB on the hostile families after a full
 * collection) but by default V8 lets the old generation grow to ~4× the live size before the next full
 * collection and grows the young generation to 2 × 16 MiB, so peak RSS grew with the file although
 * nothing was kept: bench hostile at 1 GB (commit 9f8be18) peaked at 149 MiB (fragments), 177 (tcp-holes),
 * 228 (sessions) with a live heap of 20, 17 and 30 MB.
 *
 * Neither flag is a limit: a larger live set still gets all the memory it needs (no out-of-memory crash,
 * unlike --max-old-space-size); V8 only collects sooner.
 */
import { setFlagsFromString } from 'node:v8';

/**
 * - `--heap-growing-percent=100`: after a full collection the old generation may grow to 2× what
 *   survived (V8's factor 1 + N/100) instead of up to 4×.
 * - `--semi-space-growth-factor=1`: the young generation stays at the size it starts with (2 MiB
 *   here) instead of doubling up to 2 × 16 MiB while much of it survives scavenges. Its size flag
 *   (--max-semi-space-size) is read only when the isolate is made, before any of our code runs; the
 *   growth factor is read at each growth, so it is set first thing, before the young generation grew.
 *
 * Empirical, 1 GB of each family, one process each, alternating with main's CLI (load 5–7, so CPU is
 * the median of 3): peak RSS fragments 156 → 98 MiB, tcp-holes 173 → 115, sessions 214 → 122; CPU
 * 8.8 → 9.4 s, 10.1 → 10.5, 12.9 → 13.2 (the smaller young generation promotes more). Growing percent 100
 * alone left tcp-holes at 144 MiB and sessions at 157; 50 alone cost sessions ~15 % CPU for 144 MiB.
 * The 256 MB Flex capture of bench analyze and the meters-only one: CPU within the noise (median of 5,
 * samples spread ±15 %: 0.72 → 0.78 s, 0.56 → 0.57 s), RSS 66 → 63 MiB.
 */
const HEAP_FLAGS = ['--heap-growing-percent=100', '--semi-space-growth-factor=1'] as const;

/** V8's own values of HEAP_FLAGS (`node --v8-options`, Node 20 / V8 11.3). */
const V8_DEFAULTS = ['--heap-growing-percent=0', '--semi-space-growth-factor=2'] as const;

let tuned = false;

/** Applies HEAP_FLAGS to this process (V8 flags are process-wide: worker threads made later get them too). */
export function tuneHeap(): void {
  setFlagsFromString(HEAP_FLAGS.join(' '));
  tuned = true;
}

/**
 * Runs `start` (making worker threads, until they are ready) under V8's default heap flags, then puts
 * HEAP_FLAGS back, if this process had set them. Why: Node compiles its own built-in modules from a code
 * cache embedded in its binary, usable only while v8.cachedDataVersionTag() (V8 version, flags, CPU
 * features) is the one it was made with. Either heap flag changes the tag (--no-concurrent-recompilation
 * does not), so after tuneHeap each new worker compiled the built-ins its start and our bundle need from
 * source. Measured (Node 20.20): 12 built-ins required in a fresh process 5.6 ms with the default flags,
 * 18.3 ms after either heap flag, 5.5 ms with the defaults set back; CPU profile of a worker's start:
 * Node's compileForInternalLoader 21–30 ms, 44–58 ms with the heap flag set; a batch of 20 × 50 MB,
 * 8 interleaved runs: first progress ~113 → ~91 ms, the whole batch ~505 → ~468 ms (medians).
 * Little is allocated while workers start, so starting them untuned costs no memory that counts.
 */
export async function withDefaultHeapFlags<T>(start: () => Promise<T>): Promise<T> {
  if (!tuned) return start();
  setFlagsFromString(V8_DEFAULTS.join(' '));
  try {
    return await start();
  } finally {
    setFlagsFromString(HEAP_FLAGS.join(' '));
  }
}
