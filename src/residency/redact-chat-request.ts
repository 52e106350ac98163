import type { ChatCompletionRequest } from '../spec/chat.js';
import type { SensitiveKind } from './detect-sensitive.js';
import { createRedactor, type RedactionMap } from './redact-text.js';
import { detectInRequest, redactRequest } from './request-texts.js';

/** The kinds of personal data and secrets found anywhere in a chat request. */
export function detectInChatRequest(request: ChatCompletionRequest): SensitiveKind[] {
  return detectInRequest(request);
}

/**
 * A copy of the request with detected spans replaced by placeholders in every field the detector
 * scans (messages, tool-call arguments, `user`, `metadata`, ...); the original is left untouched for
 * internal deployments and the records. Tool-call arguments are JSON text; placeholders need no
 * escaping inside it.
 */
export function redactChatRequest(request: ChatCompletionRequest): {
  request: ChatCompletionRequest;
  map: RedactionMap;
  count: number;
} {
  const r = createRedactor();
  const out = redactRequest(request, r);
  return { request: out, map: r.map, count: r.count };
}

/** JSON string escaping for restoring originals inside tool-call arguments. */
export const escapeForJsonString = (original: string): string => JSON.stringify(original).slice(1, -1);
