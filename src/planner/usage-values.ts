/**
 * Field readers shared by the import formats: strict about meaning, so a value that could be read
 * two ways (11/01/2026, 0x10, an epoch in year 5138) is a reported problem, never a silent guess.
 */

const DAY_MS = 86_400_000;
/** No LLM API usage predates 2015, and a date past 2099 is a misread unit, not usage. */
const EARLIEST_MS = Date.UTC(2015, 0, 1);
const LATEST_MS = Date.UTC(2100, 0, 1);

/**
 * The largest token count one row may carry: far above any organisation's daily volume in one
 * bucket, far below the 1e15 a unit or column mix-up gives.
 */
export const MAX_TOKENS_PER_ROW = 1e12;

const DECIMAL = /^\d+(?:\.\d+)?$/;
// Thousands separators (1,234,567 or 1 234 567 or 1_234_567), not decimal commas.
const GROUPED = /^\d{1,3}(?:[,_ ]\d{3})+(?:\.\d+)?$/;

function decimalText(v: unknown): string | null {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  const text = String(v).trim();
  if (DECIMAL.test(text)) return text;
  if (GROUPED.test(text)) return text.replace(/[,_ ]/g, '');
  return null;
}

/**
 * A token or request count: a whole non-negative number in plain decimal (`59200` or the `59200.0`
 * OpenAI's CSV export writes), at most MAX_TOKENS_PER_ROW; null when empty. Hex, exponents,
 * fractions and signs are refused.
 */
export function readTokenCount(v: unknown, field: string): number | null {
  if (v === null || v === undefined || v === '') return null;
  const text = decimalText(v);
  const n = text === null ? NaN : Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${field} is not a whole non-negative number: ${JSON.stringify(v)}`);
  if (n > MAX_TOKENS_PER_ROW)
    throw new Error(`${field} ${n} is not a plausible count (more than ${MAX_TOKENS_PER_ROW} in one row)`);
  return n;
}

/** An amount (USD, milliseconds): a non-negative plain decimal, `$` allowed; null when empty. */
export function readAmount(v: unknown, field: string): number | null {
  if (v === null || v === undefined || v === '') return null;
  const text = decimalText(typeof v === 'string' ? v.trim().replace(/^\$/, '') : v);
  const n = text === null ? NaN : Number(text);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`${field} is not a non-negative number: ${JSON.stringify(v)}`);
  return n;
}

export interface Timestamp {
  ms: number;
  /** The value named a day, not an instant: usage over that whole UTC day. */
  dateOnly: boolean;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A time as ISO 8601 (`2026-11-01`, `2026-11-01T09:30:00Z`, `2026-11-01 09:30:00+02:00`; without
 * an offset it is UTC) or epoch seconds or milliseconds. Anything else is refused: `11/01/2026` is
 * November in the US and January elsewhere, and an epoch read in the wrong unit lands in 1970 or in
 * year 5138.
 */
export function readTimestamp(v: unknown, field: string): Timestamp {
  if (v === null || v === undefined || v === '') throw new Error(`${field} is missing`);
  const text = typeof v === 'number' ? String(v) : String(v).trim();
  let ms: number;
  let dateOnly = false;
  if (DECIMAL.test(text)) {
    const n = Number(text);
    // Seconds and milliseconds of the plausible range do not overlap: 1.4e9–4.1e9 vs 1.4e12–4.1e12.
    ms = n * 1000 >= EARLIEST_MS && n * 1000 < LATEST_MS ? n * 1000 : n;
    if (!(ms >= EARLIEST_MS && ms < LATEST_MS))
      throw new Error(
        `${field} ${text} is not a plausible epoch time in seconds or milliseconds (2015–2099)`,
      );
    return { ms, dateOnly };
  }
  const date = DATE.exec(text);
  const dateTime = date ? null : DATE_TIME.exec(text);
  if (date) {
    ms = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]));
    dateOnly = true;
  } else if (dateTime) {
    ms = Date.parse(`${text.replace(' ', 'T')}${dateTime[7] ? '' : 'Z'}`);
  } else {
    throw new Error(
      `${field} is not an ISO 8601 date or time (2026-11-01, 2026-11-01T09:30:00Z) nor an epoch: ${JSON.stringify(v)}`,
    );
  }
  const parts = (date ?? dateTime)!;
  // Date.UTC rolls 2026-02-30 over into March; a calendar date that does not exist is refused.
  const day = new Date(Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3])));
  if (
    !Number.isFinite(ms) ||
    day.getUTCMonth() !== Number(parts[2]) - 1 ||
    day.getUTCDate() !== Number(parts[3]) ||
    (dateTime && (Number(dateTime[4]) > 23 || Number(dateTime[5]) > 59))
  )
    throw new Error(`${field} is not a calendar date: ${JSON.stringify(v)}`);
  if (ms < EARLIEST_MS || ms >= LATEST_MS) throw new Error(`${field} ${text} is outside 2015–2099`);
  return { ms, dateOnly };
}

export function readTime(v: unknown, field: string): number {
  return readTimestamp(v, field).ms;
}

/** The width of the bucket a time stands for: a day for a date, nothing for an instant. */
export function bucketWidthMs(t: Timestamp): number {
  return t.dateOnly ? DAY_MS : 0;
}

export function readText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  return s === '' ? null : s;
}

/** `true`, `TRUE`, `1` are yes; `false`, `FALSE`, `0` are no; anything else is unknown. */
export function readFlag(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  const s = readText(v)?.toLowerCase();
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  return null;
}

/** camelCase or snake_case: `startedAt` and `started_at` both find the value. */
export function pick(obj: Record<string, unknown>, camel: string): unknown {
  if (camel in obj) return obj[camel];
  const snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return obj[snake];
}
