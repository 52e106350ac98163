import { z } from 'zod';
import type { ChatMessage } from '../spec/chat.js';
import type { RouterInput } from './router-input.js';
import { shortModelName } from './routing-datasets.js';
import type { LabelledExample } from './train-router.js';

const messageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() })), z.null()]).optional(),
});

/** What one JSONL line may carry to describe a request: a prompt, or messages plus options. */
const requestFields = {
  prompt: z.string().optional(),
  messages: z.array(messageSchema).optional(),
  tools: z.array(z.unknown()).optional(),
  tool_choice: z.unknown().optional(),
  response_format: z.looseObject({ type: z.string() }).optional(),
  max_tokens: z.number().nullable().optional(),
  max_completion_tokens: z.number().nullable().optional(),
};

const requestLineSchema = z.looseObject(requestFields);
const labelledLineSchema = z.looseObject({
  ...requestFields,
  strong: z.number(),
  weak: z.number(),
  /** Benchmark or traffic slice: evaluation reports each apart, and each gets its own intercept. */
  benchmark: z.string().optional(),
  group: z.string().optional(),
  /** Overrides the intercept key, which is otherwise `benchmark` (plus the weak model, when named). */
  source: z.string().optional(),
  weak_model: z.string().optional(),
});

type RequestLine = z.infer<typeof requestLineSchema>;

export class DataLineError extends Error {
  constructor(
    readonly lineNumber: number,
    message: string,
  ) {
    super(`line ${lineNumber}: ${message}`);
    this.name = 'DataLineError';
  }
}

function toInput(line: RequestLine, lineNumber: number): RouterInput {
  if (line.messages) {
    if (line.messages.length === 0) throw new DataLineError(lineNumber, "'messages' is empty");
    return {
      messages: line.messages as unknown as ChatMessage[],
      ...(line.tools ? { tools: line.tools as never } : {}),
      ...(line.tool_choice !== undefined ? { tool_choice: line.tool_choice as never } : {}),
      ...(line.response_format ? { response_format: line.response_format as never } : {}),
      ...(line.max_tokens != null ? { max_tokens: line.max_tokens } : {}),
      ...(line.max_completion_tokens != null ? { max_completion_tokens: line.max_completion_tokens } : {}),
    };
  }
  if (typeof line.prompt === 'string') return line.prompt;
  throw new DataLineError(lineNumber, "needs 'prompt' (a string) or 'messages' (a chat message list)");
}

function parseJson(text: string, lineNumber: number): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new DataLineError(lineNumber, `not valid JSON: ${(err as Error).message}`);
  }
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue.path.join('.') || '(line)'}: ${issue.message}`;
}

/** Parses one line of a prompts file (`router score` input). */
export function parseRequestLine(text: string, lineNumber: number): RouterInput {
  const parsed = requestLineSchema.safeParse(parseJson(text, lineNumber));
  if (!parsed.success) throw new DataLineError(lineNumber, describe(parsed.error));
  return toInput(parsed.data, lineNumber);
}

/** Parses one line of a labelled file: a request plus `strong` and `weak` answer quality. */
export function parseLabelledLine(text: string, lineNumber: number): LabelledExample {
  const parsed = labelledLineSchema.safeParse(parseJson(text, lineNumber));
  if (!parsed.success) throw new DataLineError(lineNumber, describe(parsed.error));
  const { strong, weak, benchmark, group, weak_model: weakModel } = parsed.data;
  if (!Number.isFinite(strong) || !Number.isFinite(weak))
    throw new DataLineError(lineNumber, "'strong' and 'weak' must be finite numbers");
  const source =
    parsed.data.source ??
    (benchmark !== undefined && weakModel ? `${benchmark} vs ${shortModelName(weakModel)}` : benchmark);
  return {
    input: toInput(parsed.data, lineNumber),
    strong,
    weak,
    ...(source !== undefined ? { source } : {}),
    ...(benchmark !== undefined ? { benchmark } : {}),
    ...(group !== undefined ? { group } : {}),
  };
}

/** Parses a whole labelled JSONL text; blank lines are skipped. */
export function parseLabelledJsonl(text: string): LabelledExample[] {
  const out: LabelledExample[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() !== '') out.push(parseLabelledLine(line, i + 1));
  });
  return out;
}

/** The length-rule baseline: longer requests go to the strong model first. */
export function requestLength(input: RouterInput): number {
  if (typeof input === 'string') return input.length;
  const messages = Array.isArray(input)
    ? (input as readonly ChatMessage[])
    : (input as { messages: readonly ChatMessage[] }).messages;
  let n = 0;
  for (const m of messages) {
    if (typeof m.content === 'string') n += m.content.length;
    else if (Array.isArray(m.content))
      for (const part of m.content)
        if (part.type === 'text' && typeof part.text === 'string') n += part.text.length;
  }
  return n;
}
