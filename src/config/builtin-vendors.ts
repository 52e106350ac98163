import type { VendorQuirks } from './schema/vendor-schema.js';

const base: VendorQuirks = {
  authHeader: 'authorization',
  authScheme: 'Bearer',
  rejects: [],
  supportsStreamUsage: true,
  extraHeaders: {},
};

/**
 * Known OpenAI-compatible vendors and how each departs from OpenAI's protocol. A vendor missing here
 * is a `vendors:` entry in the config, not a code change.
 */
export const BUILTIN_VENDORS: Record<string, VendorQuirks> = {
  openai: base,
  // Azure authenticates with `api-key` and addresses deployments by URL (built by the adapter).
  azure: { ...base, authHeader: 'api-key', authScheme: '' },
  vllm: base,
  sglang: base,
  // TGI's Messages API ignores several OpenAI sampling fields and rejects some.
  tgi: { ...base, rejects: ['logit_bias', 'parallel_tool_calls', 'service_tier', 'store', 'metadata'] },
  ollama: base,
  'llama.cpp': base,
  together: base,
  fireworks: base,
  // Groq documents that logprobs, logit_bias, top_logprobs and n > 1 are not supported.
  groq: { ...base, rejects: ['logprobs', 'logit_bias', 'top_logprobs', 'service_tier', 'store', 'metadata'] },
  deepinfra: base,
  openrouter: base,
  mistral: { ...base, rejects: ['logit_bias', 'service_tier', 'store', 'metadata', 'user'] },
  simulated: base,
};
