/**
 * The default blind pairwise prompt. The judge sees two answers labelled A and B, never which model
 * wrote them, and ends with `[[A]]`, `[[B]]` or `[[C]]` (a tie), the verdict format of MT-Bench
 * (Zheng et al. 2023, https://arxiv.org/abs/2306.05685) so existing judge models follow it readily.
 * Copy examples/eval/prompts/pairwise.md, edit it, and pass it with --judge-prompt.
 */
export const DEFAULT_PAIRWISE_PROMPT = `You are an impartial judge. Two AI assistants answered the same conversation; decide which answer serves the user better.

[Conversation]
{{conversation}}

[Reference answer (may be empty)]
{{reference}}

[Answer A]
{{answer_a}}

[Answer B]
{{answer_b}}

Judge correctness first, then how well each answer follows the instructions (format, length, tools), then helpfulness and clarity. A longer answer is not better for being longer, and the order of the answers says nothing about their quality. If both are equally good or equally bad, call it a tie.

Explain your reasoning in two or three sentences. Then give your verdict on the last line as exactly one of: [[A]] if answer A is better, [[B]] if answer B is better, [[C]] for a tie.
`;

export const PAIRWISE_PLACEHOLDERS = ['conversation', 'reference', 'answer_a', 'answer_b'] as const;
export const PAIRWISE_REQUIRED = ['conversation', 'answer_a', 'answer_b'] as const;

export type PairVerdict = 'A' | 'B' | 'tie';

/** The judge's verdict: the last `[[A]]`, `[[B]]` or `[[C]]` in its reply, or null if none. */
export function parsePairVerdict(reply: string): PairVerdict | null {
  const all = [...reply.matchAll(/\[\[\s*([ABC])\s*\]\]/g)];
  const last = all.at(-1)?.[1];
  return last === 'A' ? 'A' : last === 'B' ? 'B' : last === 'C' ? 'tie' : null;
}
