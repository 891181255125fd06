/**
 * Counts the elements of every array, Map and Set reachable from an object: the structures that would
 * grow with session length if one were unbounded. Buffers and typed arrays are leaves (their size is
 * fixed when made); functions and class instances outside the given root are walked like any object.
 */
export interface Collection {
  path: string;
  size: number;
}

export function census(root: object, rootName = 'root', limit = 200_000): Collection[] {
  const out: Collection[] = [];
  const seen = new WeakSet<object>();
  const stack: Array<[unknown, string]> = [[root, rootName]];
  let visited = 0;
  while (stack.length > 0 && visited++ < limit) {
    const [v, path] = stack.pop()!;
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) continue;
    if (Array.isArray(v)) {
      out.push({ path, size: v.length });
      // Elements share a shape: walk a few, so per-element collections are still seen.
      for (let i = Math.max(0, v.length - 3); i < v.length; i++) stack.push([v[i], `${path}[]`]);
      continue;
    }
    if (v instanceof Map) {
      out.push({ path, size: v.size });
      let i = 0;
      for (const [k, x] of v) {
        if (i++ >= 3) break;
        stack.push([k, `${path}{key}`], [x, `${path}{}`]);
      }
      continue;
    }
    if (v instanceof Set) {
      out.push({ path, size: v.size });
      let i = 0;
      for (const x of v) {
        if (i++ >= 3) break;
        stack.push([x, `${path}{}`]);
      }
      continue;
    }
    for (const [k, x] of Object.entries(v)) stack.push([x, `${path}.${k}`]);
  }
  return out;
}

/** The largest collections first, merged by path (the same path under several elements keeps its maximum). */
export function largest(collections: Collection[], n = 8): Collection[] {
  const byPath = new Map<string, number>();
  for (const c of collections) byPath.set(c.path, Math.max(byPath.get(c.path) ?? 0, c.size));
  return [...byPath].map(([path, size]) => ({ path, size })).sort((a, b) => b.size - a.size).slice(0, n);
}
