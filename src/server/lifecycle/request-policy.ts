import type { IncomingHttpHeaders } from 'node:http';
import { invalidRequest } from '../../spec/gateway-error.js';

/** Who is calling, as their key says. */
export interface Caller {
  keyId: string | null;
  keyName: string | null;
  team: string | null;
  /** The workload the key was created for; nothing a client sends replaces it. */
  workload: string | null;
  isMaster: boolean;
}

/** What applies to one request: set by its key, where headers may add but never loosen. */
export interface RequestPolicy {
  /** The key's workload, or the header's when the key has none. Budgets, residency and routes use it. */
  workload: string | null;
  /** Labels for the record: `x-switchyard-tags`, plus a workload the header asked for in vain. */
  tags: Record<string, string> | null;
}

export const WORKLOAD_HEADER = 'x-switchyard-workload';
export const TAGS_HEADER = 'x-switchyard-tags';

const MAX_TAGS = 16;
const TAG_PART = /^[A-Za-z0-9_.:/-]{1,64}$/;

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * A request's policy. A key created for a workload keeps that workload whatever the request says:
 * the header's value is recorded as the tag `requested_workload` and changes nothing (no other
 * budget, no other residency rule, no other route). Only a key without a workload lets the header
 * name one.
 */
export function resolveRequestPolicy(caller: Caller, headers: IncomingHttpHeaders): RequestPolicy {
  const requested = headerValue(headers, WORKLOAD_HEADER)?.trim() || null;
  const tags = parseTags(headerValue(headers, TAGS_HEADER));
  let workload = caller.workload;
  if (workload === null) workload = requested;
  else if (requested !== null && requested !== workload) tags.requested_workload = requested.slice(0, 64);
  return { workload, tags: Object.keys(tags).length ? tags : null };
}

/** `x-switchyard-tags: team=search, run=eval-42`: at most 16 pairs of short, printable names. */
export function parseTags(header: string | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  if (header === undefined || header.trim() === '') return tags;
  const pairs = header.split(',');
  if (pairs.length > MAX_TAGS)
    throw invalidRequest(
      `${TAGS_HEADER}: at most ${MAX_TAGS} tags, got ${pairs.length}`,
      TAGS_HEADER,
      'invalid_tags',
    );
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = (eq === -1 ? pair : pair.slice(0, eq)).trim();
    const value = eq === -1 ? '' : pair.slice(eq + 1).trim();
    if (!TAG_PART.test(key) || (value !== '' && !TAG_PART.test(value)))
      throw invalidRequest(
        `${TAGS_HEADER}: '${pair.trim().slice(0, 80)}' is not a tag; use key=value pairs of letters, digits and _ . : / - (64 characters at most)`,
        TAGS_HEADER,
        'invalid_tags',
      );
    tags[key] = value;
  }
  return tags;
}
