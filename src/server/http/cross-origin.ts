import type { IncomingHttpHeaders } from 'node:http';

/** Response headers a browser may read on a cross-origin answer. */
const EXPOSED = [
  'x-request-id',
  'x-switchyard-route',
  'x-switchyard-overhead-ms',
  'x-ratelimit-limit-requests',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-reset-requests',
  'x-ratelimit-limit-tokens',
  'x-ratelimit-remaining-tokens',
  'x-ratelimit-reset-tokens',
  'retry-after',
].join(', ');

export type OriginVerdict =
  { allowed: true; headers: Record<string, string> } | { allowed: false; origin: string };

/**
 * Which web pages may call the gateway from a browser. A request without an `Origin` header is not
 * from a browser page (SDKs, curl, servers) and is unaffected; a browser's request from the
 * gateway's own origin is allowed; any other origin must be listed in `server.cors.allowedOrigins`
 * (`*` for any). Otherwise a page the operator happens to visit could spend through the gateway.
 */
export class CrossOriginPolicy {
  private readonly any: boolean;
  private readonly origins: ReadonlySet<string>;

  constructor(allowedOrigins: readonly string[]) {
    this.any = allowedOrigins.includes('*');
    this.origins = new Set(allowedOrigins.map((o) => o.replace(/\/+$/, '').toLowerCase()));
  }

  check(headers: IncomingHttpHeaders): OriginVerdict {
    const origin = headers.origin;
    if (origin === undefined) return { allowed: true, headers: {} };
    if (this.any || this.origins.has(origin.toLowerCase()))
      return {
        allowed: true,
        headers: {
          'access-control-allow-origin': origin,
          vary: 'Origin',
          'access-control-expose-headers': EXPOSED,
        },
      };
    if (sameOrigin(origin, headers.host)) return { allowed: true, headers: {} };
    return { allowed: false, origin };
  }

  /** Headers answering a preflight (`OPTIONS` with `Access-Control-Request-Method`) from an allowed origin. */
  preflight(headers: IncomingHttpHeaders, allowed: Record<string, string>): Record<string, string> {
    const requested = headers['access-control-request-headers'];
    return {
      ...allowed,
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': requested ?? 'authorization, content-type, x-api-key',
      'access-control-max-age': '600',
    };
  }
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    return new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}
