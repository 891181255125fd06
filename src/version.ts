/**
 * FlexPath's own version, for reports a support ticket keeps (which build said this?). Read once from
 * package.json, two levels above the compiled file (dist/src/version.js, or the batch worker's bundle
 * beside it, dist/src/batch-worker.bundle.cjs).
 */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function flexpathVersion(): string {
  if (cached === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
      cached = typeof pkg.version === 'string' ? pkg.version : 'unknown';
    } catch {
      cached = 'unknown';
    }
  }
  return cached;
}
