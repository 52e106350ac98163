import type { ChatCompletion, ChatCompletionRequest } from '../../spec/chat.js';
import type { EvalCase, JsonValue } from '../case/eval-case.js';
import type { ModelOutput, OutputToolCall } from '../output/model-output.js';

/**
 * What a scorer compares against.
 * - `output`: the answer alone (JSON validity, a schema, a regex, a rubric judge). Both models'
 *   answers are scored and compared case by case.
 * - `reference`: the answer against a reference: the case's `expected` when it has one (both
 *   models scored), otherwise the baseline's answer (only the candidate is scored: its agreement
 *   with the baseline, since shadow pairs and recorded traffic have no gold answer).
 * - `pair`: the candidate's answer against the baseline's directly (a pairwise judge).
 */
export type ScorerNeeds = 'output' | 'reference' | 'pair';

/** The reference an answer is scored against, in every form a scorer may want it. */
export interface Reference {
  source: 'expected' | 'baseline';
  /** As text: an expected string as given, other expected values as JSON; the baseline's text. */
  text: string | null;
  /** As JSON: the expected value, or the baseline's text parsed (undefined when it is not JSON). */
  json: unknown;
  /** Expected `{ tool_calls: [...] }`, or the calls the baseline made. */
  toolCalls: OutputToolCall[] | undefined;
}

export interface ScoreInput {
  case: EvalCase;
  /** The answer being scored; for `pair` scorers, the candidate's. */
  output: ModelOutput;
  /** For `reference` scorers. */
  reference?: Reference;
  /** For `pair` scorers: the baseline's answer. */
  baseline?: ModelOutput;
}

export interface Score {
  /** In [0, 1], higher is better. For `pair` scorers: 1 candidate better, 0.5 tie, 0 baseline better.
   * null when the scorer cannot judge this case (no pattern, no schema, an unreadable verdict). */
  value: number | null;
  /** Per-field scores in [0, 1] (JSON fields, tool calls, rubric criteria). */
  fields?: Record<string, number>;
  /** Anything else worth keeping with the score (judge verdicts, the order shown). */
  details?: Record<string, JsonValue>;
  /** Why, in a sentence: shown next to the worst cases in reports. */
  explanation?: string;
}

/**
 * Model calls a scorer may make (judges, embeddings). They go through the same gateway as the run,
 * tagged with it, and are priced and counted apart from the models under test.
 */
export interface ScorerContext {
  chat(request: ChatCompletionRequest): Promise<ChatCompletion>;
  embed(model: string, input: string[]): Promise<number[][]>;
  /** The run's seed mixed with the case id: the same case gets the same draws on every resume. */
  random(): number;
}

export interface Scorer {
  /** Unique within a run; the name reports use. */
  readonly name: string;
  readonly needs: ScorerNeeds;
  readonly description?: string;
  score(input: ScoreInput, context: ScorerContext): Score | Promise<Score>;
}

/** Options the registry passes to built-in scorers that need them. */
export interface ScorerOptions {
  judgeModel?: string;
  /** Pairwise judge prompt template (file contents). */
  judgePrompt?: string;
  /** Rubric file contents (YAML or JSON). */
  rubric?: string;
  /** Share of pairwise-judged cases judged in both orders, to measure position bias. */
  bothOrdersShare?: number;
  embeddingModel?: string;
}

export class ScorerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScorerError';
  }
}
