/**
 * An empty array whose elements kind already holds objects. V8 gives a fresh `[]` the small-integer
 * kind and moves it to the object kind at its first push; optimised code that has only seen moved
 * arrays throws itself away at the first fresh one it meets ('wrong map', 'not a Smi' with
 * `node --trace-deopt-verbose`). An array made per capture or per stream on the hot path starts like
 * this, so a thread that analyses capture after capture (analysis/batch.ts) keeps its optimised code.
 */
export function objectArray<T extends object>(): T[] {
  const a: Array<T | null> = [null];
  a.pop();
  return a as T[];
}
