import type { IncomingHttpHeaders } from 'node:http';
import { masterKeyMatcher } from '../../keys/is-master-key.js';
import { GatewayError } from '../../spec/gateway-error.js';
import type { Authenticator } from '../gateway-services.js';
import type { Caller } from '../lifecycle/request-policy.js';

export interface KeyLookup {
  verify(key: string): { id: string; name: string; workload: string | null; team: string | null } | null;
}

const UNKNOWN_KEY_TTL_MS = 1000;
const KNOWN_KEY_TTL_MS = 1000;
const UNKNOWN_KEY_CACHE_SIZE = 10_000;

const ANONYMOUS: Caller = Object.freeze({
  keyId: null,
  keyName: null,
  team: null,
  workload: null,
  isMaster: false,
});
const MASTER: Caller = Object.freeze({
  keyId: 'master',
  keyName: 'master',
  team: null,
  workload: null,
  isMaster: true,
});

const authFailure = (message: string) =>
  new GatewayError({ status: 401, type: 'authentication_error', code: 'invalid_api_key', message });

/**
 * Reads the key from `Authorization: Bearer` (OpenAI SDK) or `x-api-key` (Anthropic SDK), and
 * accepts the master key or any unrevoked key from the store. With keys not required (a local
 * zero-config proxy), callers without a valid key are anonymous, never the operator.
 */
export function createHeaderAuthenticator(options: {
  masterKey: string | undefined;
  keys: KeyLookup | null;
  requireApiKey: boolean;
}): Authenticator {
  const isMaster = masterKeyMatcher(options.masterKey);
  // Keys are remembered briefly, so a client repeating its key costs no hashing or lookup: a known
  // key for a second (a revocation takes effect within it, as `keys revoke` promises), an unknown
  // one too (a key created meanwhile by another process is accepted once its entry expires).
  const unknown = new Map<string, number>();
  const known = new Map<string, { caller: Caller; untilMs: number }>();
  return {
    authenticate(headers: IncomingHttpHeaders): Caller {
      const presented = presentedKey(headers);
      if (presented) {
        const now = Date.now();
        const cached = known.get(presented);
        if (cached && cached.untilMs > now) return cached.caller;
        if (isMaster(presented)) {
          // The master key only changes with a restart.
          known.set(presented, { caller: MASTER, untilMs: Number.POSITIVE_INFINITY });
          return MASTER;
        }
        const knownUnknown = (unknown.get(presented) ?? 0) > now;
        const info = knownUnknown ? null : options.keys?.verify(presented);
        if (!info && !knownUnknown) {
          if (unknown.size >= UNKNOWN_KEY_CACHE_SIZE) unknown.clear();
          unknown.set(presented, now + UNKNOWN_KEY_TTL_MS);
        }
        if (info) {
          const caller: Caller = {
            keyId: info.id,
            keyName: info.name,
            team: info.team,
            workload: info.workload,
            isMaster: false,
          };
          if (known.size >= UNKNOWN_KEY_CACHE_SIZE) known.clear();
          known.set(presented, { caller, untilMs: now + KNOWN_KEY_TTL_MS });
          return caller;
        }
        if (!options.requireApiKey) return ANONYMOUS;
        throw authFailure(
          'Incorrect API key provided. Create one with `switchyard keys create --name NAME`.',
        );
      }
      if (!options.requireApiKey) return ANONYMOUS;
      throw authFailure(
        "You didn't provide an API key. Send it as 'Authorization: Bearer <key>' (or 'x-api-key: <key>').",
      );
    },
  };
}

/** The key a request presents, from either SDK's header. */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth);
    if (m) return m[1].trim();
  }
  const x = headers['x-api-key'];
  return Array.isArray(x) ? x[0] : x || undefined;
}
