import type { EvalCase } from '../case/eval-case.js';
import { checkJsonSchema } from '../output/json-schema-check.js';
import type { ModelOutput } from '../output/model-output.js';
import { parseJsonAnswer } from '../output/parse-json-answer.js';
import type { CallOutcome } from '../scorers/score-case.js';

/** What can break when a route's traffic moves to another model, in the order reports list them. */
export const READINESS_CHECKS = [
  'tool_calls',
  'json_mode',
  'structured_output',
  'context_length',
  'max_tokens',
  'images',
  'stop_sequences',
  'other_errors',
] as const;
export type ReadinessCheck = (typeof READINESS_CHECKS)[number];

export const CHECK_TITLES: Record<ReadinessCheck, string> = {
  tool_calls: 'tool-call format',
  json_mode: 'JSON mode',
  structured_output: 'structured output (JSON Schema)',
  context_length: 'context length exceeded',
  max_tokens: 'output cut at max tokens',
  images: 'images unsupported',
  stop_sequences: 'stop sequences ignored',
  other_errors: 'other errors',
};

export interface Finding {
  check: ReadinessCheck;
  detail: string;
}

function stops(c: EvalCase): string[] {
  const s = c.params?.stop;
  if (typeof s === 'string') return s ? [s] : [];
  return Array.isArray(s) ? s.filter((x): x is string => typeof x === 'string' && x !== '') : [];
}

function hasImages(c: EvalCase): boolean {
  return c.messages.some((m) => Array.isArray(m.content) && m.content.some((p) => p.type === 'image_url'));
}

/** Which checks a request exercises: a request without tools cannot break tool calling. */
export function applicableChecks(c: EvalCase): ReadinessCheck[] {
  const out: ReadinessCheck[] = [];
  if (c.tools?.length) out.push('tool_calls');
  if (c.response_format?.type === 'json_object') out.push('json_mode');
  if (c.response_format?.type === 'json_schema') out.push('structured_output');
  out.push('context_length', 'max_tokens');
  if (hasImages(c)) out.push('images');
  if (stops(c).length) out.push('stop_sequences');
  out.push('other_errors');
  return out;
}

// How open models write a call when their server does not parse it into tool_calls: Hermes/Qwen
// `<tool_call>`, Mistral `[TOOL_CALLS]`, Llama 3.1 `<|python_tag|>`, or a bare {"name", "arguments"}.
const TEXT_TOOL_CALL =
  /<tool_call>|\[TOOL_CALLS\]|<\|python_tag\|>|"name"\s*:\s*"[^"]+"\s*,\s*"(arguments|parameters)"/;

function toolCallFindings(c: EvalCase, recorded: ModelOutput | null, output: ModelOutput): Finding[] {
  const findings: Finding[] = [];
  const tools = new Map((c.tools ?? []).map((t) => [t.function.name, t.function.parameters]));
  const choice = c.tool_choice;
  const mustCall = choice === 'required' || (typeof choice === 'object' && choice !== null);
  if (output.toolCalls.length === 0) {
    if (output.text && TEXT_TOOL_CALL.test(output.text))
      findings.push({
        check: 'tool_calls',
        detail: 'wrote the tool call as text instead of a tool_calls entry',
      });
    else if (mustCall)
      findings.push({ check: 'tool_calls', detail: 'made no tool call although tool_choice required one' });
    else if (recorded?.toolCalls.length)
      findings.push({
        check: 'tool_calls',
        detail: `made no tool call where the recorded answer called ${recorded.toolCalls.map((t) => t.name).join(', ')}`,
      });
    return findings;
  }
  for (const call of output.toolCalls) {
    if (!tools.has(call.name)) {
      findings.push({
        check: 'tool_calls',
        detail: `called '${call.name}', which is not among the request's tools`,
      });
      continue;
    }
    let args: unknown;
    try {
      args = JSON.parse(call.arguments === '' ? '{}' : call.arguments);
    } catch {
      findings.push({
        check: 'tool_calls',
        detail: `arguments of ${call.name} are not valid JSON: ${clip(call.arguments)}`,
      });
      continue;
    }
    const schema = tools.get(call.name);
    if (schema) {
      const check = checkJsonSchema(args, schema);
      if (!check.ok)
        findings.push({
          check: 'tool_calls',
          detail: `arguments of ${call.name} do not match its parameters: ${check.problems.slice(0, 2).join('; ')}`,
        });
    }
  }
  if (
    typeof choice === 'object' &&
    choice !== null &&
    !output.toolCalls.some((t) => t.name === choice.function.name)
  )
    findings.push({
      check: 'tool_calls',
      detail: `did not call ${choice.function.name}, which tool_choice named`,
    });
  return findings;
}

const clip = (s: string, n = 120) => (s.length > n ? `${s.slice(0, n - 3)}...` : s);

const CONTEXT =
  /context[_ ]length|context window|maximum context|too many tokens|prompt is too long|input is too long/i;
const IMAGE = /image|vision|multimodal|multi-modal/i;

/**
 * What is wrong with one replayed reply, check by check. The recorded answer (when the record kept
 * it) tells whether the incumbent model called a tool or finished without hitting max_tokens.
 */
export function assessReply(c: EvalCase, recorded: ModelOutput | null, reply: CallOutcome): Finding[] {
  if (!reply.ok) {
    const { status, code, message } = reply.error;
    const text = `${code ?? ''} ${message}`;
    const what = `${status ?? 'no answer'}${code ? ` ${code}` : ''}: ${clip(message)}`;
    if (code === 'context_length_exceeded' || CONTEXT.test(text))
      return [{ check: 'context_length', detail: what }];
    if (
      hasImages(c) &&
      status !== null &&
      status >= 400 &&
      status < 500 &&
      (IMAGE.test(text) || status === 400)
    )
      return [{ check: 'images', detail: what }];
    return [{ check: 'other_errors', detail: what }];
  }
  const output = reply.output;
  const findings: Finding[] = [];
  if (c.tools?.length) findings.push(...toolCallFindings(c, recorded, output));
  if (c.response_format?.type === 'json_object') {
    const parsed = parseJsonAnswer(output.text, false);
    if (!parsed.ok) findings.push({ check: 'json_mode', detail: parsed.error });
  }
  if (c.response_format?.type === 'json_schema') {
    const parsed = parseJsonAnswer(output.text, false);
    if (!parsed.ok) findings.push({ check: 'structured_output', detail: parsed.error });
    else {
      const schema = c.response_format.json_schema.schema;
      const check = schema ? checkJsonSchema(parsed.value, schema) : { ok: true as const };
      if (!check.ok)
        findings.push({
          check: 'structured_output',
          detail: `violates the schema: ${check.problems.slice(0, 2).join('; ')}`,
        });
    }
  }
  if (output.finishReason === 'length') {
    const limit = c.params?.max_completion_tokens ?? c.params?.max_tokens;
    const was =
      recorded?.finishReason && recorded.finishReason !== 'length'
        ? `; the recorded answer ended with '${recorded.finishReason}'`
        : '';
    findings.push({
      check: 'max_tokens',
      detail: `stopped at the token limit${limit !== undefined ? ` (${String(limit)})` : ''}${was}`,
    });
  }
  const stop = stops(c).find((s) => output.text?.includes(s));
  if (stop !== undefined)
    findings.push({
      check: 'stop_sequences',
      detail: `the answer contains the stop sequence ${JSON.stringify(stop)}`,
    });
  return findings;
}
