import type { EvalCase, JsonValue } from '../eval/case/eval-case.js';
import type { RoleScore } from '../eval/scorers/score-case.js';
import type { ChatCompletionRequest } from '../spec/chat.js';

/** Request fields a case carries in its own fields, or that the comparison decides. */
const NOT_PARAMS = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'n',
  'tools',
  'tool_choice',
  'response_format',
  'user',
  'metadata',
]);

/**
 * A shadowed request as an eval case without an expected answer: the primary's answer is the
 * reference, so the same scorers and statistics serve eval runs and shadow traffic.
 */
export function caseFromChat(
  id: string,
  request: ChatCompletionRequest,
  source: Record<string, JsonValue>,
): EvalCase {
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(request))
    if (!NOT_PARAMS.has(k) && v !== undefined && v !== null) params[k] = v;
  const c: EvalCase = { id, messages: request.messages, source };
  if (request.tools?.length) c.tools = request.tools;
  if (request.tool_choice !== undefined && request.tool_choice !== null) c.tool_choice = request.tool_choice;
  if (request.response_format) c.response_format = request.response_format;
  if (Object.keys(params).length) c.params = params;
  return c;
}

/**
 * One pair's scores as the candidate's difference from the baseline, in [-1, 1], the quantity
 * rollout quality gates bound: a pairwise verdict v (1 candidate better, 0.5 tie) gives 2v - 1; two
 * answers scored on their own give candidate - baseline; the candidate's agreement a with the
 * baseline's answer gives a - 1 (the baseline agrees with itself). Null when nothing was scored.
 */
export function pairDifference(scores: readonly RoleScore[]): number | null {
  const value = (role: RoleScore['role']) => scores.find((s) => s.role === role)?.score.value ?? null;
  const pair = value('pair');
  if (pair !== null) return 2 * pair - 1;
  const candidate = value('candidate');
  if (candidate === null) return null;
  const baseline = value('baseline');
  if (baseline !== null) return candidate - baseline;
  return candidate - 1;
}
