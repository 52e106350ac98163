import { randomWordPiece } from './simulated-text.js';

export interface TokenLogprob {
  token: string;
  logprob: number;
  bytes: number[];
  top_logprobs: Array<{ token: string; logprob: number; bytes: number[] }>;
}

/** A plausible OpenAI chat logprob entry: the chosen token most likely, alternatives less so. */
export function chatTokenLogprob(token: string, top: number): TokenLogprob {
  const logprob = -Math.random() * 0.5;
  const alternatives: TokenLogprob['top_logprobs'] = [];
  if (top > 0) alternatives.push({ token, logprob, bytes: [...Buffer.from(token)] });
  let lp = logprob;
  while (alternatives.length < top) {
    lp -= 0.5 + Math.random() * 2;
    const alt = randomWordPiece(Math.random);
    alternatives.push({ token: alt, logprob: lp, bytes: [...Buffer.from(alt)] });
  }
  return { token, logprob, bytes: [...Buffer.from(token)], top_logprobs: alternatives };
}

/** The legacy completions logprobs object for a run of tokens starting at `offset` in the text. */
export function completionLogprobs(tokens: readonly string[], top: number, offset: number) {
  const entries = tokens.map((t) => chatTokenLogprob(t, top));
  const textOffset: number[] = [];
  let at = offset;
  for (const t of tokens) {
    textOffset.push(at);
    at += t.length;
  }
  return {
    tokens: [...tokens],
    token_logprobs: entries.map((e) => e.logprob),
    top_logprobs: entries.map((e) => Object.fromEntries(e.top_logprobs.map((a) => [a.token, a.logprob]))),
    text_offset: textOffset,
  };
}
