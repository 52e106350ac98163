import { isObject, jsonEqual } from '../output/json-equal.js';
import type { OutputToolCall } from '../output/model-output.js';
import type { Scorer } from './scorer.js';

type Arguments = { ok: true; value: unknown } | { ok: false };

function parseArguments(text: string): Arguments {
  try {
    return { ok: true, value: JSON.parse(text === '' ? '{}' : text) };
  } catch {
    return { ok: false };
  }
}

/**
 * How well one call's arguments match the expected ones: 1 when semantically equal (key order and
 * 1 vs 1.0 do not matter), otherwise the share of argument names, over both sides, whose values
 * agree, so `{"city": "Paris", "unit": "F"}` against `{"city": "Paris", "unit": "C"}` earns 0.5.
 */
function argumentScore(expected: unknown, got: unknown): number {
  if (jsonEqual(expected, got)) return 1;
  if (!isObject(expected) || !isObject(got)) return 0;
  const keys = new Set([...Object.keys(expected), ...Object.keys(got)]);
  let agree = 0;
  for (const k of keys) if (Object.hasOwn(got, k) && jsonEqual(expected[k], got[k])) agree++;
  return keys.size ? agree / keys.size : 1;
}

export interface CallMatch {
  expected: OutputToolCall;
  matched: OutputToolCall | null;
  score: number;
  problem?: string;
}

/**
 * Pairs expected calls with the calls made, in any order: each expected call takes the unused call
 * of the same function whose arguments agree best.
 */
export function matchToolCalls(
  expected: readonly OutputToolCall[],
  made: readonly OutputToolCall[],
): CallMatch[] {
  const used = new Set<number>();
  return expected.map((e) => {
    const want = parseArguments(e.arguments);
    let best = -1;
    let bestScore = -1;
    let bestProblem: string | undefined;
    made.forEach((m, i) => {
      if (used.has(i) || m.name !== e.name) return;
      const got = parseArguments(m.arguments);
      const problem = got.ok ? undefined : `arguments of ${m.name} are not valid JSON`;
      const s = got.ok && want.ok ? argumentScore(want.value, got.value) : 0;
      if (s > bestScore) {
        best = i;
        bestScore = s;
        bestProblem = problem ?? (s < 1 ? `arguments of ${m.name} differ` : undefined);
      }
    });
    if (best < 0) return { expected: e, matched: null, score: 0, problem: `no call to ${e.name}` };
    used.add(best);
    return {
      expected: e,
      matched: made[best],
      score: bestScore,
      ...(bestProblem ? { problem: bestProblem } : {}),
    };
  });
}

/**
 * Tool-call match: function names and arguments against the expected calls (or, without them, the
 * baseline's calls). The score is the summed per-call agreement over the larger of the two call
 * counts, so missing calls and extra calls both cost. Two answers that both call nothing agree.
 */
export const toolCallMatch: Scorer = {
  name: 'tool-calls',
  needs: 'reference',
  description: 'function names and arguments (compared as JSON) match the expected calls',
  score({ output, reference }) {
    const expected = reference?.toolCalls;
    if (!expected) return { value: null, explanation: 'the expected answer names no tool calls' };
    const made = output.toolCalls;
    if (expected.length === 0)
      return made.length === 0
        ? { value: 1 }
        : {
            value: 0,
            explanation: `called ${made.map((m) => m.name).join(', ')} where no call was expected`,
          };
    const matches = matchToolCalls(expected, made);
    const fields: Record<string, number> = {};
    const seen = new Map<string, number>();
    for (const m of matches) {
      const k = (seen.get(m.expected.name) ?? 0) + 1;
      seen.set(m.expected.name, k);
      fields[k === 1 ? m.expected.name : `${m.expected.name}#${k}`] = m.score;
    }
    const total = matches.reduce((s, m) => s + m.score, 0);
    const value = total / Math.max(expected.length, made.length);
    const problems = matches.flatMap((m) => (m.problem ? [m.problem] : []));
    const extra = made.length - matches.filter((m) => m.matched).length;
    if (extra > 0) problems.push(`${extra} unexpected call${extra > 1 ? 's' : ''}`);
    if (made.length === 0 && output.text) problems.push('answered in text instead of calling');
    return { value, fields, ...(problems.length ? { explanation: problems.join('; ') } : {}) };
  },
};
