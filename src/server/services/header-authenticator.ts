import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { unauthorized } from '../../spec/gateway-error.js';
import type { Authenticator } from '../gateway-services.js';
import type { Caller } from '../request-context.js';

export interface KeyLookup {
  verify(key: string): { id: string; name: string; workload: string | null; team: string | null } | null;
}

const UNKNOWN_KEY_TTL_MS = 1000;
const UNKNOWN_KEY_CACHE_SIZE = 10_000;

const ANONYMOUS: Caller = { keyId: null, keyName: null, team: null, workload: null, isMaster: false };
const MASTER: Caller = { keyId: 'master', keyName: 'master', team: null, workload: null, isMaster: true };

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Reads the key from `Authorization: Bearer` (OpenAI SDK) or `x-api-key` (Anthropic SDK), and
 * accepts the master key or any unrevoked key from the store.
 */
export function createHeaderAuthenticator(options: {
  masterKey: string | undefined;
  keys: KeyLookup | null;
  requireApiKey: boolean;
}): Authenticator {
  const masterDigest = options.masterKey ? digest(options.masterKey) : null;
  // Unknown keys are remembered briefly so a client repeating a bad key costs no hashing or lookup;
  // a key created meanwhile by another process is accepted once its entry expires.
  const unknown = new Map<string, number>();
  return {
    authenticate(headers: IncomingHttpHeaders): Caller {
      const presented = presentedKey(headers);
      if (presented) {
        if (masterDigest && timingSafeEqual(digest(presented), masterDigest)) return MASTER;
        const now = Date.now();
        const knownUnknown = (unknown.get(presented) ?? 0) > now;
        const info = knownUnknown ? null : options.keys?.verify(presented);
        if (!info && !knownUnknown) {
          if (unknown.size >= UNKNOWN_KEY_CACHE_SIZE) unknown.clear();
          unknown.set(presented, now + UNKNOWN_KEY_TTL_MS);
        }
        if (info)
          return {
            keyId: info.id,
            keyName: info.name,
            team: info.team,
            workload: info.workload,
            isMaster: false,
          };
        if (!options.requireApiKey) return ANONYMOUS;
        throw unauthorized(
          'Incorrect API key provided. Create one with `switchyard keys create --name NAME`.',
        );
      }
      if (!options.requireApiKey) return options.masterKey ? ANONYMOUS : MASTER_WHEN_OPEN;
      throw unauthorized(
        "You didn't provide an API key. Send it as 'Authorization: Bearer <key>' (or 'x-api-key: <key>').",
      );
    },
  };
}

/** With keys off and no master key set (a local zero-config proxy), the operator is the only caller. */
const MASTER_WHEN_OPEN: Caller = { ...ANONYMOUS, isMaster: true };

function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth);
    if (m) return m[1].trim();
  }
  const x = headers['x-api-key'];
  return Array.isArray(x) ? x[0] : x || undefined;
}
