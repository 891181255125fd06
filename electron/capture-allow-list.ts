/**
 * The captures the desktop app may open by path: those the user chose in this session, in the native
 * dialog or by dropping a file on the window. The page names paths in `open-capture`, and a page is
 * the thing that may be compromised (a hostile capture rendered into it, say): without this list it
 * could make the core read any file the user can, learn whether it exists from the error, and get it
 * back in the support bundle. Plain Node, no Electron import, so it is unit-tested.
 */
import { isAbsolute, resolve } from 'node:path';

/** A person picks a handful of files per session; the oldest grant goes first past this. */
const MAX_GRANTS = 256;

export interface CaptureAllowList {
  /** Records a path the user chose (dialog result, dropped file); ignores anything but an absolute path. */
  grant(path: string): void;
  /** True only for a path granted earlier in this session, compared after normalisation. */
  mayOpen(path: string): boolean;
}

export function createCaptureAllowList(max = MAX_GRANTS): CaptureAllowList {
  const granted = new Set<string>();
  const normal = (path: unknown): string | undefined =>
    typeof path === 'string' && path.length > 0 && !path.includes('\0') && isAbsolute(path) ? resolve(path) : undefined;
  return {
    grant(path) {
      const p = normal(path);
      if (p === undefined) return;
      granted.delete(p);
      granted.add(p);
      if (granted.size > max) granted.delete(granted.values().next().value as string);
    },
    mayOpen(path) {
      const p = normal(path);
      return p !== undefined && granted.has(p);
    },
  };
}
