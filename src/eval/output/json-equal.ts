/**
 * Semantic JSON equality: object key order is ignored, numbers compare by value (1 == 1.0), and
 * strings compare exactly. What "the same arguments" means for a tool call.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number')
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface JsonLeaf {
  /** For people: `a.b`, `items[0].name`, `$` for the root. */
  path: string;
  segments: Array<string | number>;
  value: unknown;
}

/** Leaf values of a JSON value with their paths; empty objects and arrays are leaves. */
export function jsonLeaves(value: unknown, segments: Array<string | number> = []): JsonLeaf[] {
  if (isObject(value) && Object.keys(value).length > 0)
    return Object.entries(value).flatMap(([k, v]) => jsonLeaves(v, [...segments, k]));
  if (Array.isArray(value) && value.length > 0)
    return value.flatMap((v, i) => jsonLeaves(v, [...segments, i]));
  return [{ path: formatPath(segments), segments, value }];
}

function formatPath(segments: ReadonlyArray<string | number>): string {
  if (segments.length === 0) return '$';
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** The value at a leaf's segments, or undefined when the path does not exist. */
export function valueAt(root: unknown, segments: ReadonlyArray<string | number>): unknown {
  let node: unknown = root;
  for (const s of segments) {
    if (typeof s === 'number') {
      if (!Array.isArray(node) || s >= node.length) return undefined;
      node = node[s];
    } else {
      if (!isObject(node) || !Object.hasOwn(node, s)) return undefined;
      node = node[s];
    }
  }
  return node;
}
