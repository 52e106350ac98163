import { IMPORTED_PRICES } from './imported-prices.generated.js';
import type { PriceEntry } from './price-entry.js';

export type { PriceEntry } from './price-entry.js';

const TOGETHER = 'https://www.together.ai/pricing';
const FIREWORKS = 'https://fireworks.ai/pricing';
const GROQ = 'https://groq.com/pricing';
const DEEPINFRA = 'https://deepinfra.com/pricing';
const READ = '2026-11-25';

// Claude 3.5 Haiku is no longer in the imported map but still appears in usage exports. Anthropic
// bills cache reads at 0.1× input and writes at 1.25× (5 minutes) and 2× (1 hour).
const CLAUDE_35_HAIKU: PriceEntry = {
  model: 'claude-3-5-haiku',
  provider: 'anthropic',
  aliases: ['claude-3-5-haiku-latest', 'claude-3.5-haiku', 'claude-3-5-haiku-20241022'],
  inputPerMillionUsd: 0.8,
  outputPerMillionUsd: 4,
  cachedInputPerMillionUsd: 0.08,
  cacheWrite5mPerMillionUsd: 1,
  cacheWrite1hPerMillionUsd: 1.6,
  source: 'https://docs.anthropic.com/en/docs/about-claude/pricing',
  retrieved: '2026-12-02',
};

const open = (
  provider: string,
  source: string,
  model: string,
  input: number,
  output: number,
  aliases: string[],
  note?: string,
): PriceEntry => ({
  model: `${provider}/${model}`,
  provider,
  aliases,
  inputPerMillionUsd: input,
  outputPerMillionUsd: output,
  source,
  retrieved: READ,
  ...(note ? { note } : {}),
});

const together = (model: string, input: number, output: number, aliases: string[]) =>
  open('together', TOGETHER, model, input, output, aliases);
const fireworks = (model: string, usd: number, aliases: string[], note: string) =>
  open('fireworks', FIREWORKS, model, usd, usd, aliases, note);
const groq = (model: string, input: number, output: number, aliases: string[]) =>
  open('groq', GROQ, model, input, output, aliases);
const deepinfra = (model: string, input: number, output: number, aliases: string[]) =>
  open('deepinfra', DEEPINFRA, model, input, output, aliases);

// Family names shared by every provider's entry for the same weights, so `llama-3.3-70b` on a
// `groq` deployment finds Groq's price.
const LLAMA31_8B = ['llama-3.1-8b', 'llama-3.1-8b-instruct', 'meta-llama/llama-3.1-8b-instruct'];
const LLAMA31_70B = ['llama-3.1-70b', 'llama-3.1-70b-instruct', 'meta-llama/llama-3.1-70b-instruct'];
const LLAMA33_70B = ['llama-3.3-70b', 'llama-3.3-70b-instruct', 'meta-llama/llama-3.3-70b-instruct'];
const QWEN25_72B = ['qwen2.5-72b', 'qwen2.5-72b-instruct', 'qwen/qwen2.5-72b-instruct'];
const DEEPSEEK_V3 = ['deepseek-v3', 'deepseek-ai/deepseek-v3'];
const MIXTRAL_8X7B = ['mixtral-8x7b', 'mixtral-8x7b-instruct', 'mistralai/mixtral-8x7b-instruct-v0.1'];
const QWEN3_235B = ['qwen3-235b-a22b', 'qwen/qwen3-235b-a22b'];

const FW_SIZE = 'Fireworks prices serverless models by size: 16.1B-80B at $0.90, MoE up to 56B at $0.50';

/**
 * List prices of the models open models are compared with and of the open models themselves, USD
 * per million tokens. OpenAI, Anthropic and Google come from the imported map (with their batch,
 * flex, priority, cache-write and long-context rates); the open-model providers are hand-kept, each
 * under its own API id and the family names shared across providers.
 */
export const BUILTIN_PRICES: readonly PriceEntry[] = [
  ...IMPORTED_PRICES,
  CLAUDE_35_HAIKU,

  together('meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo', 0.18, 0.18, LLAMA31_8B),
  together('meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo', 0.88, 0.88, LLAMA31_70B),
  together('meta-llama/Llama-3.3-70B-Instruct-Turbo', 0.88, 0.88, LLAMA33_70B),
  together('Qwen/Qwen2.5-72B-Instruct-Turbo', 1.2, 1.2, QWEN25_72B),
  together('Qwen/Qwen3-235B-A22B-fp8-tput', 0.2, 0.6, QWEN3_235B),
  together('deepseek-ai/DeepSeek-V3', 1.25, 1.25, DEEPSEEK_V3),
  together('mistralai/Mixtral-8x7B-Instruct-v0.1', 0.6, 0.6, MIXTRAL_8X7B),

  fireworks(
    'accounts/fireworks/models/llama-v3p1-8b-instruct',
    0.2,
    LLAMA31_8B,
    'Fireworks prices serverless models up to 16B at $0.20',
  ),
  fireworks('accounts/fireworks/models/llama-v3p1-70b-instruct', 0.9, LLAMA31_70B, FW_SIZE),
  fireworks('accounts/fireworks/models/llama-v3p3-70b-instruct', 0.9, LLAMA33_70B, FW_SIZE),
  fireworks('accounts/fireworks/models/qwen2p5-72b-instruct', 0.9, QWEN25_72B, FW_SIZE),
  fireworks('accounts/fireworks/models/deepseek-v3', 0.9, DEEPSEEK_V3, FW_SIZE),
  fireworks('accounts/fireworks/models/mixtral-8x7b-instruct', 0.5, MIXTRAL_8X7B, FW_SIZE),
  open('fireworks', FIREWORKS, 'accounts/fireworks/models/qwen3-235b-a22b', 0.22, 0.88, QWEN3_235B),

  groq('llama-3.1-8b-instant', 0.05, 0.08, LLAMA31_8B),
  groq('llama-3.3-70b-versatile', 0.59, 0.79, LLAMA33_70B),
  groq('qwen/qwen3-32b', 0.29, 0.59, ['qwen3-32b']),

  deepinfra('meta-llama/Meta-Llama-3.1-8B-Instruct', 0.03, 0.05, LLAMA31_8B),
  deepinfra('meta-llama/Meta-Llama-3.1-70B-Instruct', 0.4, 0.4, LLAMA31_70B),
  deepinfra('meta-llama/Llama-3.3-70B-Instruct', 0.23, 0.4, LLAMA33_70B),
  deepinfra('Qwen/Qwen2.5-72B-Instruct', 0.12, 0.39, QWEN25_72B),
  deepinfra('Qwen/Qwen3-235B-A22B', 0.18, 0.54, QWEN3_235B),
  deepinfra('Qwen/Qwen3-32B', 0.1, 0.28, ['qwen3-32b']),
  deepinfra('deepseek-ai/DeepSeek-V3', 0.38, 0.89, DEEPSEEK_V3),
  deepinfra('mistralai/Mixtral-8x7B-Instruct-v0.1', 0.4, 0.4, MIXTRAL_8X7B),
];
