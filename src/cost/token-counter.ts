import { createRequire } from 'node:module';
import { normalizeModelName } from './normalize-model-name.js';

export type EncodingName = 'o200k_base' | 'cl100k_base';

export interface TokenCounter {
  readonly encoding: EncodingName;
  count(text: string): number;
}

export interface TokenizerChoice {
  encoding: EncodingName;
  /** True when the model's own tokenizer is not available and o200k stands in for it. */
  estimated: boolean;
}

// GPT-4o, GPT-4.1, GPT-4.5, GPT-5 and the o-series use o200k_base; GPT-4 and GPT-3.5 use cl100k_base.
// https://github.com/openai/tiktoken/blob/main/tiktoken/model.py
const O200K = /^(?:gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4)(?:$|[-.:])/;
const CL100K = /^(?:gpt-4|gpt-3\.5|gpt-35)(?:$|[-.:])/;

/** The tokenizer that counts tokens as the model's vendor bills them, or the stand-in for it. */
export function tokenizerForModel(model: string): TokenizerChoice {
  const names = normalizeModelName(model).candidates;
  const name = names[names.length - 1];
  if (O200K.test(name)) return { encoding: 'o200k_base', estimated: false };
  if (CL100K.test(name)) return { encoding: 'cl100k_base', estimated: false };
  return { encoding: 'o200k_base', estimated: true };
}

const require = createRequire(import.meta.url);
const counters = new Map<EncodingName, TokenCounter>();

/**
 * BPE merging is quadratic in the length of one pre-tokenized word, and the pre-tokenizer keeps a
 * run of letters (or of punctuation) whole: 64k letters without a space took seconds, 2M about an
 * hour. Runs longer than this are counted in pieces, which bounds the work per character; a cut
 * inside such a run may add a token, which no real word comes near.
 */
const MAX_RUN = 64;

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x3000;
}

/** Tokens of `text`, counted in pieces wherever a run without whitespace exceeds MAX_RUN characters. */
export function countInPieces(text: string, countTokens: (text: string) => number): number {
  let total = 0;
  let start = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (isSpace(text.charCodeAt(i))) run = 0;
    else if (++run > MAX_RUN) {
      total += countTokens(text.slice(start, i));
      start = i;
      run = 1;
    }
  }
  return total + (start === 0 ? countTokens(text) : countTokens(text.slice(start)));
}

/**
 * A counter whose BPE table (tens of MB in memory) is loaded on first use, so a gateway that never
 * needs to count tokens (upstreams report usage, no baseline, no budgets) never pays for it.
 */
export function tokenCounter(encoding: EncodingName): TokenCounter {
  let counter = counters.get(encoding);
  if (!counter) {
    let countTokens: ((text: string) => number) | undefined;
    counter = {
      encoding,
      count(text: string): number {
        countTokens ??= (
          require(`gpt-tokenizer/encoding/${encoding}`) as { countTokens: (text: string) => number }
        ).countTokens;
        return countInPieces(text, countTokens);
      },
    };
    counters.set(encoding, counter);
  }
  return counter;
}

/** The counter with its table loaded (for start-up, so the first request does not wait for it). */
export async function loadTokenCounter(encoding: EncodingName): Promise<TokenCounter> {
  const counter = tokenCounter(encoding);
  counter.count('');
  return counter;
}
