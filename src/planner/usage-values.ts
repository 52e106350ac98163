/** Field readers shared by the import formats: lenient about representation, strict about meaning. */

/** A token count or amount: a finite non-negative number, or null when empty. Throws on garbage. */
export function readCount(v: unknown, field: string): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(String(v).replace(/[$,_\s]/g, ''));
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`${field} is not a non-negative number: ${JSON.stringify(v)}`);
  return n;
}

/**
 * A time as epoch milliseconds from ISO 8601, a date (`2026-03-01`), epoch seconds or epoch
 * milliseconds (numbers above 1e11 are taken as milliseconds).
 */
export function readTime(v: unknown, field: string): number {
  if (v === null || v === undefined || v === '') throw new Error(`${field} is missing`);
  if (typeof v === 'number' || /^\d+(\.\d+)?$/.test(String(v))) {
    const n = Number(v);
    return n > 1e11 ? n : n * 1000;
  }
  const text = String(v).trim();
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (!Number.isFinite(ms)) throw new Error(`${field} is not a date or time: ${JSON.stringify(v)}`);
  return ms;
}

export function readText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  return s === '' ? null : s;
}

/** camelCase or snake_case: `startedAt` and `started_at` both find the value. */
export function pick(obj: Record<string, unknown>, camel: string): unknown {
  if (camel in obj) return obj[camel];
  const snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return obj[snake];
}
