import type { EvalCase } from '../case/eval-case.js';
import { isObject } from '../output/json-equal.js';
import type { ModelOutput, OutputToolCall } from '../output/model-output.js';
import { parseJsonAnswer } from '../output/parse-json-answer.js';
import type { Reference } from './scorer.js';

function expectedToolCalls(expected: unknown): OutputToolCall[] | undefined {
  if (!isObject(expected) || !Array.isArray(expected.tool_calls)) return undefined;
  return expected.tool_calls.map((c) => {
    const call = isObject(c) ? c : {};
    // Either the wire shape ({ function: { name, arguments } }) or the short one ({ name, arguments }).
    const fn = isObject(call.function) ? call.function : call;
    const args = fn.arguments;
    return {
      name: typeof fn.name === 'string' ? fn.name : '',
      arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
    };
  });
}

export function referenceFromExpected(c: EvalCase): Reference | undefined {
  const expected = c.expected;
  if (expected === undefined) return undefined;
  if (typeof expected === 'string') {
    const parsed = parseJsonAnswer(expected, true);
    return {
      source: 'expected',
      text: expected,
      json: parsed.ok ? parsed.value : undefined,
      toolCalls: undefined,
    };
  }
  return {
    source: 'expected',
    text: typeof expected === 'object' && expected !== null ? JSON.stringify(expected) : String(expected),
    json: expected,
    toolCalls: expectedToolCalls(expected),
  };
}

export function referenceFromBaseline(baseline: ModelOutput): Reference {
  const parsed = parseJsonAnswer(baseline.text, true);
  return {
    source: 'baseline',
    text: baseline.text,
    json: parsed.ok ? parsed.value : undefined,
    toolCalls: baseline.toolCalls,
  };
}
