import type { JsonValue } from '../case/eval-case.js';
import { formatConversation } from '../judge/format-conversation.js';
import {
  DEFAULT_PAIRWISE_PROMPT,
  PAIRWISE_PLACEHOLDERS,
  PAIRWISE_REQUIRED,
  parsePairVerdict,
  type PairVerdict,
} from '../judge/pairwise-prompt.js';
import { checkTemplate, renderTemplate } from '../judge/prompt-template.js';
import { describeOutput, type ModelOutput } from '../output/model-output.js';
import { ScorerError, type Score, type ScoreInput, type Scorer, type ScorerContext } from './scorer.js';

export interface PairwiseJudgeOptions {
  model: string | undefined;
  prompt?: string;
  /** Share of cases judged a second time with the answers swapped (default 0.2). */
  bothOrdersShare?: number;
}

/** A verdict from the candidate's side: the judge preferred it, the baseline, or neither. */
type Preference = 'candidate' | 'baseline' | 'tie';

const VALUE: Record<Preference, number> = { candidate: 1, tie: 0.5, baseline: 0 };

function preference(verdict: PairVerdict, candidateIsA: boolean): Preference {
  if (verdict === 'tie') return 'tie';
  return (verdict === 'A') === candidateIsA ? 'candidate' : 'baseline';
}

const clip = (s: string, n = 240) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > n ? `${flat.slice(0, n - 3)}...` : flat;
};

/**
 * Blind pairwise LLM judge. Each case's two answers are shown as A and B in an order drawn from the
 * run's seeded generator (so a resumed run shows the same order), and a share of cases is judged a
 * second time with the order swapped. When the two verdicts disagree the judge was swayed by
 * position, not content: the case counts as a tie and the disagreement is reported, since an
 * uncorrected position bias otherwise favours whichever model happened to be shown first.
 */
export function pairwiseJudge(options: PairwiseJudgeOptions): Scorer {
  const model = options.model;
  if (!model) throw new ScorerError("the 'judge' scorer needs --judge MODEL");
  const template = options.prompt ?? DEFAULT_PAIRWISE_PROMPT;
  checkTemplate(template, PAIRWISE_PLACEHOLDERS, PAIRWISE_REQUIRED, 'pairwise judge prompt');
  const share = options.bothOrdersShare ?? 0.2;
  if (!(share >= 0 && share <= 1))
    throw new ScorerError(`the share judged in both orders must be in [0, 1], got ${share}`);

  async function judge(
    input: ScoreInput,
    context: ScorerContext,
    first: ModelOutput,
    second: ModelOutput,
  ): Promise<{ verdict: PairVerdict | null; reply: string }> {
    const reference = input.case.expected;
    const prompt = renderTemplate(template, {
      conversation: formatConversation(input.case),
      reference:
        reference === undefined ? '' : typeof reference === 'string' ? reference : JSON.stringify(reference),
      answer_a: describeOutput(first) || '(empty answer)',
      answer_b: describeOutput(second) || '(empty answer)',
    });
    const completion = await context.chat({
      model: model!,
      messages: [{ role: 'user', content: prompt }],
      temperature: 0,
    });
    const reply = completion.choices?.[0]?.message?.content;
    const text = typeof reply === 'string' ? reply : '';
    return { verdict: parsePairVerdict(text), reply: text };
  }

  return {
    name: 'judge',
    needs: 'pair',
    description: `blind pairwise verdicts of ${model} (answers as A/B in seeded random order)`,
    async score(input, context): Promise<Score> {
      const baseline = input.baseline;
      if (!baseline) return { value: null, explanation: 'no baseline answer to compare with' };
      const candidateIsA = context.random() < 0.5;
      const twice = context.random() < share;
      const [a, b] = candidateIsA ? [input.output, baseline] : [baseline, input.output];
      const first = await judge(input, context, a, b);
      const details: Record<string, JsonValue> = {
        candidateShownAs: candidateIsA ? 'A' : 'B',
        verdict: first.verdict,
        bothOrders: twice,
      };
      let pref = first.verdict ? preference(first.verdict, candidateIsA) : null;
      let reply = first.reply;
      if (twice) {
        const second = await judge(input, context, b, a);
        details.swappedVerdict = second.verdict;
        const swapped = second.verdict ? preference(second.verdict, !candidateIsA) : null;
        if (pref && swapped && pref !== swapped) {
          details.positionDisagreement = true;
          pref = 'tie';
          reply = `position disagreement: ${first.verdict} shown one way, ${second.verdict} the other; counted as a tie`;
        } else {
          if (pref && swapped) details.positionDisagreement = false;
          pref ??= swapped;
          if (!first.verdict) reply = second.reply;
        }
      }
      if (!pref)
        return { value: null, details, explanation: `judge verdict unreadable: ${clip(reply, 160)}` };
      details.preferred = pref;
      return { value: VALUE[pref], details, explanation: clip(reply) };
    },
  };
}
