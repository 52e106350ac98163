import type { TokenPrices } from '../spec/deployment.js';

/** One list price: per-million-token figures for one model at one provider, with where it was read. */
export interface PriceEntry extends TokenPrices {
  /** Canonical name, `provider/model` for models sold by several providers. */
  model: string;
  provider: string;
  /** Other names the same model is called by (the vendor's API ids). Matched case-insensitively. */
  aliases?: string[];
  source: string;
  /** Date the figure was read, YYYY-MM-DD. */
  retrieved: string;
  note?: string;
}

const OPENAI = 'https://openai.com/api/pricing/';
const ANTHROPIC = 'https://platform.claude.com/docs/en/about-claude/pricing';
const GOOGLE = 'https://ai.google.dev/gemini-api/docs/pricing';
const TOGETHER = 'https://www.together.ai/pricing';
const FIREWORKS = 'https://fireworks.ai/pricing';
const GROQ = 'https://groq.com/pricing';
const DEEPINFRA = 'https://deepinfra.com/pricing';
const READ = '2026-11-25';

const openai = (
  model: string,
  input: number,
  output: number,
  cached: number,
  aliases: string[] = [],
): PriceEntry => ({
  model,
  provider: 'openai',
  aliases,
  inputPerMillionUsd: input,
  outputPerMillionUsd: output,
  cachedInputPerMillionUsd: cached,
  source: OPENAI,
  retrieved: READ,
});

// Anthropic bills cache reads at 10% of input; cache writes (125%) are not in OpenAI-shaped usage.
const anthropic = (
  model: string,
  input: number,
  output: number,
  aliases: string[],
  note?: string,
): PriceEntry => ({
  model,
  provider: 'anthropic',
  aliases,
  inputPerMillionUsd: input,
  outputPerMillionUsd: output,
  cachedInputPerMillionUsd: Math.round(input * 10) / 100,
  source: ANTHROPIC,
  retrieved: READ,
  ...(note ? { note } : {}),
});

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

const OPUS4_RETIRED = 'retired on the Anthropic API; still sold on Bedrock and Google Cloud at this price';
const FW_SIZE = 'Fireworks prices serverless models by size: 16.1B-80B at $0.90, MoE up to 56B at $0.50';

/**
 * List prices of the models people compare, in USD per million tokens. Standard (not batch, not
 * priority) tier; Gemini figures are the prompts-up-to-200k tier.
 */
export const BUILTIN_PRICES: readonly PriceEntry[] = [
  openai('gpt-4o', 2.5, 10, 1.25, ['chatgpt-4o-latest']),
  openai('gpt-4o-mini', 0.15, 0.6, 0.075),
  openai('gpt-4.1', 2, 8, 0.5),
  openai('gpt-4.1-mini', 0.4, 1.6, 0.1),
  openai('gpt-4.1-nano', 0.1, 0.4, 0.025),
  openai('o1', 15, 60, 7.5),
  openai('o3', 2, 8, 0.5),
  openai('o3-mini', 1.1, 4.4, 0.55),
  openai('o4-mini', 1.1, 4.4, 0.275),

  anthropic('claude-3-5-haiku', 0.8, 4, ['claude-3-5-haiku-latest', 'claude-3.5-haiku']),
  anthropic('claude-haiku-4-5', 1, 5, ['claude-haiku-4.5', 'claude-4.5-haiku']),
  anthropic('claude-sonnet-4', 3, 15, ['claude-sonnet-4-0', 'claude-4-sonnet']),
  anthropic('claude-sonnet-4-5', 3, 15, ['claude-sonnet-4.5', 'claude-4.5-sonnet']),
  anthropic('claude-opus-4', 15, 75, ['claude-opus-4-0', 'claude-4-opus'], OPUS4_RETIRED),
  anthropic('claude-opus-4-1', 15, 75, ['claude-opus-4.1', 'claude-4.1-opus'], OPUS4_RETIRED),

  {
    model: 'gemini-2.5-pro',
    provider: 'google',
    inputPerMillionUsd: 1.25,
    outputPerMillionUsd: 10,
    cachedInputPerMillionUsd: 0.125,
    source: GOOGLE,
    retrieved: READ,
    note: 'prompts up to 200k tokens; longer prompts are billed $2.50 in / $15 out',
  },
  {
    model: 'gemini-2.5-flash',
    provider: 'google',
    inputPerMillionUsd: 0.3,
    outputPerMillionUsd: 2.5,
    cachedInputPerMillionUsd: 0.03,
    source: GOOGLE,
    retrieved: READ,
  },

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
