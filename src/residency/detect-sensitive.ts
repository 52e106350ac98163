import { isPlausibleNino, isPlausibleSsn, isValidIban, isValidSpanishId, passesLuhn } from './checksums.js';

export type SensitiveKind = 'email' | 'phone' | 'card' | 'iban' | 'national_id' | 'secret';

export interface SensitiveSpan {
  kind: SensitiveKind;
  /** Finer label for records and tests: `us_ssn`, `uk_nino`, `aws_access_key`, ... */
  detail: string;
  start: number;
  end: number;
}

interface Pattern {
  kind: SensitiveKind;
  detail: string;
  source: string;
  validate?: (match: string) => boolean;
  /** A substring every match contains: when the text lacks it the pattern is left out of the scan. */
  needs?: string;
}

const digitsOf = (s: string) => s.replace(/\D/g, '');

/**
 * Order matters where two patterns could claim the same text: secrets and structured ids come before
 * phone numbers, whose shape is the loosest. Every pattern either starts with a fixed prefix or is
 * anchored by a look-behind, so a long run of letters or digits is scanned once, not once per position.
 */
const PATTERNS: Pattern[] = [
  {
    kind: 'secret',
    detail: 'private_key',
    // The body cannot contain `-----`, so a BEGIN without its END costs a scan to the next marker,
    // not to the end of the text.
    source:
      '-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----(?:[^-]|-(?!----)){1,16384}-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----',
    needs: '-----BEGIN',
  },
  {
    kind: 'secret',
    detail: 'jwt',
    source: '\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}',
  },
  // OpenAI (sk-, sk-proj-) and Anthropic (sk-ant-) keys.
  { kind: 'secret', detail: 'api_key', source: '(?<![A-Za-z0-9_-])sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}' },
  { kind: 'secret', detail: 'stripe_key', source: '(?<![A-Za-z0-9_])[rs]k_live_[A-Za-z0-9]{16,}' },
  { kind: 'secret', detail: 'aws_access_key', source: '\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b' },
  {
    kind: 'secret',
    detail: 'github_token',
    source: '\\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})',
  },
  { kind: 'secret', detail: 'slack_token', source: '\\bxox[abposr]-[A-Za-z0-9-]{10,}' },
  { kind: 'secret', detail: 'google_api_key', source: '\\bAIza[0-9A-Za-z_-]{35}' },
  {
    kind: 'email',
    detail: 'email',
    source:
      "(?<![A-Za-z0-9._%+'-])[A-Za-z0-9][A-Za-z0-9._%+'-]*@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}\\b",
    // Scanning every word for a following `@` is most of the cost on ordinary prose.
    needs: '@',
  },
  {
    kind: 'iban',
    detail: 'iban',
    source: '\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\\b',
    validate: isValidIban,
  },
  {
    kind: 'card',
    detail: 'card',
    source: '(?<![\\d-])[2-6]\\d{3}(?:[ -]?\\d){9,15}(?![\\d])',
    validate: (m) => {
      const d = digitsOf(m);
      return d.length >= 13 && d.length <= 19 && passesLuhn(d) && consistentGroups(m);
    },
  },
  {
    kind: 'national_id',
    detail: 'us_ssn',
    source: '(?<![\\d-])\\d{3}-\\d{2}-\\d{4}(?![\\d-])',
    validate: (m) => isPlausibleSsn(m.slice(0, 3), m.slice(4, 6), m.slice(7)),
  },
  {
    kind: 'national_id',
    detail: 'ca_sin',
    source: '(?<![\\d-])\\d{3}[ -]\\d{3}[ -]\\d{3}(?![\\d-])',
    validate: (m) => m[3] === m[7] && m[0] !== '0' && m[0] !== '8' && passesLuhn(digitsOf(m)),
  },
  {
    kind: 'national_id',
    detail: 'uk_nino',
    source: '\\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D]\\b',
    validate: isPlausibleNino,
  },
  {
    kind: 'national_id',
    detail: 'es_dni',
    source: '\\b[XYZ]?\\d{7,8}-?[A-Z]\\b',
    validate: (m) => isValidSpanishId(m.replace('-', '')),
  },
  {
    kind: 'phone',
    detail: 'phone_international',
    source: '(?<![\\w+])\\+[1-9]\\d{0,2}(?:[ .-]?\\(\\d{1,4}\\))?(?:[ .-]?\\d{1,5}){1,5}(?![\\d])',
    needs: '+',
    validate: (m) => {
      const n = digitsOf(m).length;
      return n >= 8 && n <= 15;
    },
  },
  {
    kind: 'phone',
    detail: 'phone_us',
    source: '(?<![\\w])(?:\\(\\d{3}\\) ?|\\d{3}[-. ])\\d{3}[-. ]\\d{4}(?![\\d])',
  },
  {
    kind: 'phone',
    detail: 'phone_national',
    // Trunk-prefixed national numbers in groups (020 7946 0958, 06 12 34 56 78): the leading 0 and
    // the grouping keep plain numbers and dates out.
    source: '(?<![\\w.,-])0[1-9]\\d{0,3}(?:[ .-]\\d{2,4}){2,4}(?![\\d])',
    validate: (m) => {
      const n = digitsOf(m).length;
      return n >= 9 && n <= 12 && /^[\d]+(?:([ .-])\d+)(?:\1\d+)*$/.test(m);
    },
  },
];

/** Card numbers are written in even groups (4-4-4-4, 4-6-5); a mix of separators is something else. */
function consistentGroups(m: string): boolean {
  const seps = m.match(/[ -]/g);
  return !seps || new Set(seps).size === 1;
}

/** Patterns that every text is scanned for; the gated ones join only when their substring occurs. */
const GATED = PATTERNS.map((p, i) => (p.needs ? i : -1)).filter((i) => i >= 0);
const STICKY = PATTERNS.map((p) => new RegExp(p.source, 'y'));
const combined = new Map<number, RegExp>();

/** The scan regex for a set of enabled gated patterns; at most 2^gated variants, built on first use. */
function scannerFor(text: string): RegExp {
  let mask = 0;
  GATED.forEach((index, bit) => {
    if (text.includes(PATTERNS[index].needs!)) mask |= 1 << bit;
  });
  let re = combined.get(mask);
  if (!re) {
    const parts = PATTERNS.map((p, i) => {
      const bit = GATED.indexOf(i);
      return bit === -1 || mask & (1 << bit) ? `(?<p${i}>${p.source})` : null;
    }).filter((part) => part !== null);
    re = new RegExp(parts.join('|'), 'g');
    combined.set(mask, re);
  }
  return re;
}

/**
 * Finds personal data and secrets in text: one left-to-right pass of a single compiled regex, with
 * checksum validation (Luhn, mod 97, id check letters) on candidates. Spans never overlap.
 */
export function detectSensitive(text: string): SensitiveSpan[] {
  const spans: SensitiveSpan[] = [];
  if (text.length < 6) return spans;
  // Shared compiled regex: safe because this function is synchronous and resets lastIndex first.
  const re = scannerFor(text);
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const groups = m.groups ?? {};
    let which = -1;
    for (let i = 0; i < PATTERNS.length; i++)
      if (groups[`p${i}`] !== undefined) {
        which = i;
        break;
      }
    const matched = m[0];
    const p = PATTERNS[which];
    if (!p.validate || p.validate(matched)) {
      spans.push({ kind: p.kind, detail: p.detail, start: m.index, end: m.index + matched.length });
      continue;
    }
    // The first shape that fit failed its check; a later one may still claim this position.
    const alt = matchLaterPattern(text, m.index, which);
    if (alt) {
      spans.push(alt);
      re.lastIndex = alt.end;
    } else {
      re.lastIndex = m.index + 1;
    }
  }
  return spans;
}

function matchLaterPattern(text: string, at: number, after: number): SensitiveSpan | null {
  for (let i = after + 1; i < PATTERNS.length; i++) {
    const sticky = STICKY[i];
    sticky.lastIndex = at;
    const m = sticky.exec(text);
    if (m && (!PATTERNS[i].validate || PATTERNS[i].validate!(m[0])))
      return { kind: PATTERNS[i].kind, detail: PATTERNS[i].detail, start: at, end: at + m[0].length };
  }
  return null;
}

/** The distinct kinds found, in a stable order, for residency verdicts and records. */
export function sensitiveKinds(spans: readonly SensitiveSpan[]): SensitiveKind[] {
  const found = new Set(spans.map((s) => s.kind));
  return KIND_ORDER.filter((k) => found.has(k));
}

const KIND_ORDER: SensitiveKind[] = ['email', 'phone', 'card', 'iban', 'national_id', 'secret'];
