import { randomAlnum, randomHex32 } from './seeded-random.js';
import type { ProfileName } from './simulator-options.js';

/** How one kind of server shapes ids, headers and bodies. Shared code reads these; it never names a server. */
export interface ServerProfile {
  chatId(): string;
  completionId(): string;
  /** Response headers besides content type and the simulated marker; `elapsedMs` since the request arrived. */
  headers(elapsedMs: number): Record<string, string>;
  ownedBy: string;
  /** Fields added to each entry of GET /v1/models. */
  modelEntryExtras(contextWindow: number): Record<string, unknown>;
  /** Fields added to every completion object and chunk, after `model`. */
  completionExtras: Record<string, unknown>;
  /** Fields added to each choice with a finish reason. */
  choiceExtras: Record<string, unknown>;
  /** Fields added to an assistant message. */
  messageExtras: Record<string, unknown>;
  /** Whether every stream chunk carries `usage: null` when usage was asked for, as OpenAI's do. */
  nullUsageInChunks: boolean;
  usageDetails(promptTokens: number): Record<string, unknown>;
}

const MARKER = { 'x-switchyard-simulated': 'true' } as const;

const vllm: ServerProfile = {
  // vLLM names completions `chatcmpl-{uuid4 hex}` (vllm/entrypoints/openai/protocol.py, read 2026-11-25).
  chatId: () => `chatcmpl-${randomHex32()}`,
  completionId: () => `cmpl-${randomHex32()}`,
  headers: () => MARKER,
  ownedBy: 'vllm',
  modelEntryExtras: (contextWindow) => ({ root: null, parent: null, max_model_len: contextWindow }),
  completionExtras: {},
  choiceExtras: { stop_reason: null },
  messageExtras: { reasoning_content: null },
  nullUsageInChunks: false,
  usageDetails: () => ({ prompt_tokens_details: null }),
};

const RATE_LIMIT_REQUESTS = 10_000;
const RATE_LIMIT_TOKENS = 30_000_000;

const openai: ServerProfile = {
  // OpenAI ids look like chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT; headers per
  // https://platform.openai.com/docs/guides/rate-limits and the API reference "Debugging requests" (read 2026-11-25).
  chatId: () => `chatcmpl-${randomAlnum(29)}`,
  completionId: () => `cmpl-${randomAlnum(29)}`,
  headers: (elapsedMs) => ({
    ...MARKER,
    'x-request-id': `req_${randomHex32()}`,
    'openai-processing-ms': String(Math.round(elapsedMs)),
    'openai-version': '2020-10-01',
    'x-ratelimit-limit-requests': String(RATE_LIMIT_REQUESTS),
    'x-ratelimit-limit-tokens': String(RATE_LIMIT_TOKENS),
    'x-ratelimit-remaining-requests': String(RATE_LIMIT_REQUESTS - 1),
    'x-ratelimit-remaining-tokens': String(RATE_LIMIT_TOKENS - 1_000),
    'x-ratelimit-reset-requests': '6ms',
    'x-ratelimit-reset-tokens': '2ms',
  }),
  ownedBy: 'system',
  modelEntryExtras: () => ({}),
  completionExtras: { service_tier: 'default' },
  choiceExtras: {},
  messageExtras: { refusal: null, annotations: [] },
  nullUsageInChunks: true,
  usageDetails: () => ({
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  }),
};

const tgi: ServerProfile = {
  // TGI's Messages API answers with an empty id (text-generation-inference docs examples, read 2026-11-25).
  chatId: () => '',
  completionId: () => '',
  headers: () => MARKER,
  ownedBy: 'tgi',
  modelEntryExtras: () => ({}),
  completionExtras: {},
  choiceExtras: {},
  messageExtras: {},
  nullUsageInChunks: false,
  usageDetails: () => ({}),
};

const ollama: ServerProfile = {
  // Ollama's OpenAI layer numbers completions `chatcmpl-<0..998>` (ollama/openai/openai.go, read 2026-11-25).
  chatId: () => `chatcmpl-${Math.floor(Math.random() * 999)}`,
  completionId: () => `cmpl-${Math.floor(Math.random() * 999)}`,
  headers: () => MARKER,
  ownedBy: 'library',
  modelEntryExtras: () => ({}),
  completionExtras: {},
  choiceExtras: {},
  messageExtras: {},
  nullUsageInChunks: false,
  usageDetails: () => ({}),
};

export const PROFILE_TABLE: Record<ProfileName, ServerProfile> = { vllm, openai, tgi, ollama };
