import { parseArgs, type ParseArgsConfig } from 'node:util';

export const EXIT = { ok: 0, badInput: 1, usage: 2 } as const;

export class UsageError extends Error {}

/** node:util parseArgs, with its errors turned into usage errors (exit 2). */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/** The options every report-writing command takes: redacted unless `--no-redact` (`--redact` still accepted). */
export const REDACT_OPTIONS = { redact: { type: 'boolean' }, 'no-redact': { type: 'boolean' } } as const;

export function wantsRedaction(values: { redact?: boolean; 'no-redact'?: boolean }): boolean {
  if (values.redact === true && values['no-redact'] === true) throw new UsageError('--redact and --no-redact contradict each other');
  return values['no-redact'] !== true;
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T, name: string): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
}

/** JSON with bigints as decimal strings and typed arrays summarised, never dumped element by element. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
    2,
  );
}

/** Waits for Ctrl+C/SIGTERM, `seconds` (when given) or `ended` (when given), whichever comes first. */
export function untilStopped(seconds: number | undefined, ended?: Promise<unknown>): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = seconds !== undefined ? setTimeout(stop, seconds * 1000) : undefined;
    function stop(): void {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    }
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    ended?.then(stop, stop);
  });
}
