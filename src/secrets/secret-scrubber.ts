import { detectSensitive } from '../residency/detect-sensitive.js';

const REDACTED = '[redacted]';

/** Switchyard's own virtual keys (`sk-sy-` and 40 base62 characters). */
const VIRTUAL_KEY = /sk-sy-[A-Za-z0-9]{20,}/g;

/** Shorter than this, a configured "secret" is more likely a placeholder than a key worth hiding. */
const MIN_SECRET_LENGTH = 8;

/**
 * Removes secrets from text that leaves the process or is stored: every configured upstream key
 * and the master key verbatim, Switchyard virtual keys, and anything the detector recognises as a
 * credential (OpenAI and Anthropic keys, cloud and SaaS tokens, JWTs, private keys). An upstream
 * that echoes the key it was sent must not hand it to a client or to the records.
 */
export class SecretScrubber {
  private readonly known: string[];

  constructor(secrets: Iterable<string | undefined>) {
    const unique = new Set<string>();
    for (const s of secrets) if (s !== undefined && s.length >= MIN_SECRET_LENGTH) unique.add(s);
    // Longest first, so a key that contains another is replaced whole.
    this.known = [...unique].sort((a, b) => b.length - a.length);
  }

  scrub(text: string, extra?: string | null): string {
    let out = text;
    for (const secret of this.known) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    if (extra && extra.length >= MIN_SECRET_LENGTH && out.includes(extra))
      out = out.split(extra).join(REDACTED);
    out = out.replace(VIRTUAL_KEY, REDACTED);
    const spans = detectSensitive(out).filter((s) => s.kind === 'secret');
    for (let i = spans.length - 1; i >= 0; i--)
      out = out.slice(0, spans[i].start) + REDACTED + out.slice(spans[i].end);
    return out;
  }
}
