import { CapacityError } from './capacity-error.js';
import type { RequestShape } from './estimate-step.js';

/** Prompt share of a request's tokens when neither the request nor a usage mix says otherwise. */
export const DEFAULT_INPUT_SHARE = 0.75;

export interface RequestShapeInput {
  contextTokens: number;
  request?: Partial<RequestShape>;
  inputShare?: number;
}

/**
 * The typical request a replica is sized on: as given, the given part and the rest of the context,
 * or the context split by the input share. It must fit the context memory is sized for.
 */
export function requestShape(input: RequestShapeInput): { request: RequestShape; requestSource: string } {
  const context = input.contextTokens;
  const given = input.request ?? {};
  let prompt = given.promptTokens;
  let output = given.outputTokens;
  let source: string;
  if (prompt !== undefined && output !== undefined)
    source = `${prompt} prompt + ${output} output tokens (given)`;
  else if (prompt !== undefined) {
    output = Math.max(0, context - prompt);
    source = `${prompt} prompt tokens (given) + ${output} output tokens (the rest of the ${context}-token context)`;
  } else if (output !== undefined) {
    prompt = Math.max(0, context - output);
    source = `${prompt} prompt tokens (the rest of the ${context}-token context) + ${output} output tokens (given)`;
  } else {
    const share = input.inputShare ?? DEFAULT_INPUT_SHARE;
    prompt = Math.round(context * share);
    output = context - prompt;
    source = `the ${context}-token context split ${round2(share * 100)}% prompt (${prompt}) / ${round2((1 - share) * 100)}% output (${output}); set --prompt-tokens and --output-tokens for your requests`;
  }
  if (prompt < 1)
    throw new CapacityError(
      'request_exceeds_context',
      `a request needs at least one prompt token (context ${context}, output ${output})`,
    );
  if (prompt + output > context)
    throw new CapacityError(
      'request_exceeds_context',
      `a request of ${prompt} prompt + ${output} output tokens does not fit the ${context}-token context each sequence is sized for; raise --context`,
    );
  return { request: { promptTokens: prompt, outputTokens: output }, requestSource: source };
}

const round2 = (n: number) => Math.round(n * 100) / 100;
