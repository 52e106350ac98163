import type { EvalCase } from '../../../src/eval/case/eval-case.js';
import type { ModelOutput } from '../../../src/eval/output/model-output.js';
import { referenceFromBaseline, referenceFromExpected } from '../../../src/eval/scorers/reference.js';
import type { Reference, Score, Scorer, ScorerContext } from '../../../src/eval/scorers/scorer.js';
import type { ChatCompletion, ChatCompletionRequest } from '../../../src/spec/chat.js';
import { seededRandom } from '../../../src/stats/index.js';

export function evalCase(partial: Partial<EvalCase> = {}): EvalCase {
  return { id: 'c1', messages: [{ role: 'user', content: 'What is the capital of France?' }], ...partial };
}

export function text(t: string | null, finishReason = 'stop'): ModelOutput {
  return { text: t, toolCalls: [], finishReason };
}

export function calls(...list: Array<[string, unknown]>): ModelOutput {
  return {
    text: null,
    toolCalls: list.map(([name, args]) => ({
      name,
      arguments: typeof args === 'string' ? args : JSON.stringify(args),
    })),
    finishReason: 'tool_calls',
  };
}

export function expectedRef(expected: EvalCase['expected']): Reference {
  return referenceFromExpected(evalCase({ expected }))!;
}

export function baselineRef(output: ModelOutput): Reference {
  return referenceFromBaseline(output);
}

export function completion(content: string): ChatCompletion {
  return {
    id: 'judge',
    object: 'chat.completion',
    created: 0,
    model: 'judge',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  };
}

/** A ScorerContext whose model calls are answered by `reply`; it remembers the prompts it saw. */
export function fakeContext(
  reply: (request: ChatCompletionRequest) => string = () => '',
  options: { seed?: number; embed?: (input: string[]) => number[][] } = {},
): ScorerContext & { prompts: string[]; embedded: string[][] } {
  const random = seededRandom(options.seed ?? 1);
  const prompts: string[] = [];
  const embedded: string[][] = [];
  return {
    prompts,
    embedded,
    async chat(request) {
      prompts.push(String(request.messages[0].content));
      return completion(reply(request));
    },
    async embed(_model, input) {
      embedded.push(input);
      if (!options.embed) throw new Error('no embeddings in this test');
      return options.embed(input);
    },
    random,
  };
}

export async function score(
  scorer: Scorer,
  input: Parameters<Scorer['score']>[0],
  context = fakeContext(),
): Promise<Score> {
  return scorer.score(input, context);
}
