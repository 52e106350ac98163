import { detectSensitive, sensitiveKinds, type SensitiveKind } from './detect-sensitive.js';
import type { Redactor } from './redact-text.js';

/**
 * Fields whose strings are identifiers, enums or binary payloads, never text a person wrote: the
 * detector skips them (base64 images could otherwise pass for an IBAN now and then). Everything else
 * a request carries upstream is scanned: messages, system prompts, tool schemas and arguments, `user`,
 * `metadata`, `prediction`, `input`, `prompt`, and fields newer than this list.
 */
const NOT_TEXT = new Set([
  'model',
  'role',
  'type',
  'id',
  'tool_call_id',
  'tool_use_id',
  'finish_reason',
  'stop_reason',
  'detail',
  'format',
  'media_type',
  'encoding_format',
  'reasoning_effort',
  'service_tier',
  'data',
  'signature',
]);

const isBinary = (text: string) => text.startsWith('data:');

/** Calls `visit` with every piece of text a request body carries (the client's body, any protocol). */
export function forEachRequestText(body: unknown, visit: (text: string) => void): void {
  walk(body, visit, 0);
}

// JSON bodies are bounded in depth at parse time; this bound only keeps a body built in code safe.
const MAX_DEPTH = 256;

function walk(value: unknown, visit: (text: string) => void, depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (typeof value === 'string') {
    if (!isBinary(value)) visit(value);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit, depth + 1);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) if (!NOT_TEXT.has(key)) walk(record[key], visit, depth + 1);
}

/** The kinds of personal data and secrets found anywhere in a request body. */
export function detectInRequest(body: unknown): SensitiveKind[] {
  const spans: ReturnType<typeof detectSensitive> = [];
  forEachRequestText(body, (text) => {
    for (const span of detectSensitive(text)) spans.push(span);
  });
  return sensitiveKinds(spans);
}

/**
 * A copy of a request with every detected span replaced by the redactor's placeholders, in every
 * field the detector scans; the original is left untouched for internal deployments and records.
 */
export function redactRequest<T>(body: T, redactor: Redactor): T {
  return copy(body, redactor, 0) as T;
}

function copy(value: unknown, redactor: Redactor, depth: number): unknown {
  if (typeof value === 'string') return isBinary(value) ? value : redactor.redact(value);
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => copy(item, redactor, depth + 1));
  const out: Record<string, unknown> = {};
  const record = value as Record<string, unknown>;
  for (const key in record)
    out[key] = NOT_TEXT.has(key) ? record[key] : copy(record[key], redactor, depth + 1);
  return out;
}
