import type { VendorQuirks } from '../config/schema/vendor-schema.js';
import type { ProviderAdapter } from '../spec/provider-adapter.js';
import { createAnthropicAdapter } from './anthropic/anthropic-adapter.js';
import { createOpenAICompatibleAdapter } from './openai-compatible/openai-compatible-adapter.js';
import { UpstreamClient, type UpstreamClientOptions } from './upstream-client.js';

/** Every upstream protocol Switchyard speaks, by the `provider` name a deployment gives. */
const ADAPTERS: Record<
  string,
  (vendors: Record<string, VendorQuirks>, client: UpstreamClient) => ProviderAdapter
> = {
  'openai-compatible': createOpenAICompatibleAdapter,
  anthropic: createAnthropicAdapter,
};

export const PROVIDER_NAMES: readonly string[] = Object.freeze(Object.keys(ADAPTERS));

export interface ProviderRegistry {
  /** The adapter for a deployment's `provider`; throws for a name config validation should have refused. */
  get(name: string): ProviderAdapter;
  has(name: string): boolean;
  /** Closes the pooled upstream connections (graceful shutdown). */
  close(): Promise<void>;
}

/**
 * Builds every adapter once, sharing one pool of keep-alive upstream connections. `vendors` is the
 * resolved quirks table (built-ins merged with the config's `vendors:`).
 */
export function createProviderRegistry(
  vendors: Record<string, VendorQuirks>,
  options: UpstreamClientOptions = {},
): ProviderRegistry {
  const client = new UpstreamClient(options);
  const adapters = new Map<string, ProviderAdapter>();
  for (const [name, create] of Object.entries(ADAPTERS)) adapters.set(name, create(vendors, client));
  return {
    get(name) {
      const adapter = adapters.get(name);
      if (adapter === undefined)
        throw new Error(`unknown provider '${name}'; known providers: ${PROVIDER_NAMES.join(', ')}`);
      return adapter;
    },
    has: (name) => adapters.has(name),
    close: () => client.close(),
  };
}
