import type { VendorQuirks } from './schema/vendor-schema.js';

const base: VendorQuirks = {
  authHeader: 'authorization',
  authScheme: 'Bearer',
  rejects: [],
  supportsStreamUsage: true,
  extraHeaders: {},
};

/** Servers whose OpenAI layer documents `max_tokens` only; newer OpenAI clients send `max_completion_tokens`. */
const maxTokensOnly: VendorQuirks = { ...base, maxTokensField: 'max_tokens' };

/**
 * Known OpenAI-compatible vendors and how each departs from OpenAI's protocol. A vendor missing here
 * is a `vendors:` entry in the config, not a code change. Read on 2026-11-25 from the pages cited.
 */
export const BUILTIN_VENDORS: Record<string, VendorQuirks> = {
  // Also the profile of deployments that name no vendor (often a self-hosted server), so the client's
  // output-limit field is passed as sent rather than renamed.
  openai: base,
  // Azure authenticates with `api-key` and addresses deployments by URL (built by the adapter).
  // https://learn.microsoft.com/azure/ai-services/openai/reference
  azure: { ...base, authHeader: 'api-key', authScheme: '' },
  // vLLM and SGLang accept both output-limit fields and `stream_options`.
  vllm: base,
  sglang: base,
  // TGI's Messages API documents `max_tokens` and refuses several OpenAI-only fields.
  // https://huggingface.co/docs/text-generation-inference/en/reference/api_reference
  tgi: {
    ...maxTokensOnly,
    rejects: ['logit_bias', 'parallel_tool_calls', 'service_tier', 'store', 'metadata'],
  },
  // https://github.com/ollama/ollama/blob/main/docs/openai.md
  ollama: maxTokensOnly,
  'llama.cpp': maxTokensOnly,
  together: maxTokensOnly,
  fireworks: maxTokensOnly,
  // Groq answers 400 to logprobs, logit_bias and top_logprobs (and to messages[].name and n > 1,
  // which are not top-level fields). https://console.groq.com/docs/openai
  groq: { ...base, rejects: ['logprobs', 'logit_bias', 'top_logprobs', 'service_tier', 'store', 'metadata'] },
  deepinfra: maxTokensOnly,
  openrouter: base,
  // Mistral refuses unknown fields with 422 "Extra inputs are not permitted", `stream_options`
  // included, and puts usage in its last stream chunk unasked (avante.nvim#2347; https://docs.mistral.ai/api/).
  mistral: {
    ...maxTokensOnly,
    supportsStreamUsage: false,
    rejects: ['logit_bias', 'service_tier', 'store', 'metadata', 'user', 'logprobs', 'top_logprobs'],
  },
  simulated: base,
};
