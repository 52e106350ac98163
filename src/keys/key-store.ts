/** What a valid key tells the gateway about its caller. */
export interface KeyInfo {
  id: string;
  name: string;
  /** Default workload tag for the key's traffic; a request's `x-switchyard-workload` overrides it. */
  workload: string | null;
  team: string | null;
  createdAt: number; // epoch ms
  revokedAt: number | null; // epoch ms
}

/** A key as listed to an operator: never the secret, only its first characters to recognise it. */
export interface ListedKey extends KeyInfo {
  prefix: string;
}

export interface CreateKeyInput {
  name: string;
  workload?: string | null;
  team?: string | null;
}

export interface CreatedKey {
  id: string;
  /** The secret itself. Only its hash is stored, so this is the one time it can be shown. */
  key: string;
}

/**
 * Gateway API keys. `verify` runs on every request and answers from memory once a key has been
 * seen; the other operations are administrative.
 */
export interface KeyStore {
  create(input: CreateKeyInput): CreatedKey;
  /** The key's owner, or null when the key is unknown or revoked. */
  verify(key: string): KeyInfo | null;
  list(): ListedKey[];
  /** True when a key with this id exists (revoking an already revoked key is not an error). */
  revoke(id: string): boolean;
  close(): void;
}
