import { detectSensitive, type SensitiveKind, type SensitiveSpan } from './detect-sensitive.js';

/** Placeholder → original text, for putting the originals back into a response. */
export type RedactionMap = Map<string, string>;

const LABELS: Record<SensitiveKind, string> = {
  email: 'EMAIL',
  phone: 'PHONE',
  card: 'CARD',
  iban: 'IBAN',
  national_id: 'NATIONAL_ID',
  secret: 'SECRET',
};

/** Matches any placeholder `redact` produces. */
export const PLACEHOLDER_PATTERN = /\[(?:EMAIL|PHONE|CARD|IBAN|NATIONAL_ID|SECRET)_\d+\]/g;
/** Longest placeholder a stream may need to hold back: the label, `_`, up to six digits, brackets. */
export const MAX_PLACEHOLDER_LENGTH = '[NATIONAL_ID_999999]'.length;

export interface Redactor {
  /** Replaces detected spans; the same value always gets the same placeholder within one redactor. */
  redact(text: string, spans?: readonly SensitiveSpan[]): string;
  readonly map: RedactionMap;
  /** Spans replaced so far. */
  readonly count: number;
}

/**
 * One redactor per request, so an email that appears in three messages becomes `[EMAIL_1]` in all
 * three and the model can still tell who is who.
 */
export function createRedactor(): Redactor {
  const map: RedactionMap = new Map();
  const byValue = new Map<string, string>();
  const counters = new Map<SensitiveKind, number>();
  let count = 0;
  const placeholderFor = (kind: SensitiveKind, value: string) => {
    const key = `${kind}\u0000${value}`;
    let ph = byValue.get(key);
    if (!ph) {
      const n = (counters.get(kind) ?? 0) + 1;
      counters.set(kind, n);
      ph = `[${LABELS[kind]}_${n}]`;
      byValue.set(key, ph);
      map.set(ph, value);
    }
    return ph;
  };
  return {
    map,
    get count() {
      return count;
    },
    redact(text: string, spans: readonly SensitiveSpan[] = detectSensitive(text)) {
      if (spans.length === 0) return text;
      let out = '';
      let at = 0;
      for (const s of spans) {
        out += text.slice(at, s.start) + placeholderFor(s.kind, text.slice(s.start, s.end));
        at = s.end;
        count++;
      }
      return out + text.slice(at);
    },
  };
}

export function redact(text: string): { text: string; map: RedactionMap; count: number } {
  const r = createRedactor();
  const out = r.redact(text);
  return { text: out, map: r.map, count: r.count };
}

/**
 * Puts the originals back where the model echoed a placeholder. `escape` adapts the original to its
 * context, e.g. JSON string escaping inside tool-call arguments.
 */
export function restore(text: string, map: RedactionMap, escape?: (original: string) => string): string {
  if (map.size === 0 || text.indexOf('[') === -1) return text;
  return text.replace(PLACEHOLDER_PATTERN, (ph) => {
    const original = map.get(ph);
    if (original === undefined) return ph;
    return escape ? escape(original) : original;
  });
}
