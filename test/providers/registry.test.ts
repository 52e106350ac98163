import { describe, expect, it } from 'vitest';
import { BUILTIN_VENDORS } from '../../src/config/builtin-vendors.js';
import { createProviderRegistry, PROVIDER_NAMES } from '../../src/providers/registry.js';

describe('createProviderRegistry', () => {
  it('serves an adapter for every provider a deployment may name', async () => {
    const registry = createProviderRegistry(BUILTIN_VENDORS);
    expect([...PROVIDER_NAMES].sort()).toEqual(['anthropic', 'openai-compatible']);
    for (const name of PROVIDER_NAMES) {
      expect(registry.has(name)).toBe(true);
      expect(registry.get(name).name).toBe(name);
    }
    expect(registry.get('openai-compatible').embeddings).toBeTypeOf('function');
    await registry.close();
  });

  it('names the known providers when asked for an unknown one', async () => {
    const registry = createProviderRegistry(BUILTIN_VENDORS);
    expect(registry.has('bedrock')).toBe(false);
    expect(() => registry.get('bedrock')).toThrow(/unknown provider 'bedrock'.*openai-compatible, anthropic/);
    await registry.close();
  });
});
