import { z } from 'zod';
import type {
  ChatCompletionRequest,
  ChatMessage,
  FunctionTool,
  ResponseFormat,
  ToolChoice,
} from '../../spec/chat.js';

/** Any JSON value: what `expected` may hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * One line of an eval dataset. The request part (`messages`, `tools`, `tool_choice`,
 * `response_format`, `params`) is sent as is to each model; the rest says what a good answer is.
 */
export interface EvalCase {
  id: string;
  messages: ChatMessage[];
  tools?: FunctionTool[];
  tool_choice?: ToolChoice;
  response_format?: ResponseFormat;
  /** Other chat-completions parameters: max_tokens, temperature, stop, seed, ... */
  params?: Record<string, unknown>;
  /**
   * The expected answer: text, a number, a JSON object (its fields for `json-fields`), or
   * `{ "tool_calls": [{ "name", "arguments" }] }` for `tool-calls`. Absent: the baseline's answer is
   * the reference, and reference-based scorers measure the candidate's agreement with it.
   */
  expected?: JsonValue;
  /** JSON Schema the answer must satisfy (`json-schema`); defaults to response_format's schema. */
  schema?: Record<string, unknown>;
  /** Regular expression the answer must match (`regex`). */
  pattern?: string;
  tags?: string[];
  /** Where the case came from (a recorded request), carried into reports. */
  source?: Record<string, JsonValue>;
}

/** Parameters a case may not set through `params`: the run decides them. */
const RESERVED_PARAMS = new Set(['model', 'messages', 'stream', 'stream_options', 'n']);

export const evalCaseSchema = z.strictObject({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  messages: z.array(z.unknown()).min(1),
  tools: z.array(z.unknown()).optional(),
  tool_choice: z.unknown().optional(),
  response_format: z.unknown().optional(),
  params: z
    .record(z.string(), z.unknown())
    .refine((p) => !Object.keys(p).some((k) => RESERVED_PARAMS.has(k)), {
      error: `params may not set ${[...RESERVED_PARAMS].join(', ')}`,
    })
    .optional(),
  expected: z.json().optional(),
  schema: z.record(z.string(), z.unknown()).optional(),
  pattern: z.string().optional(),
  tags: z.array(z.string()).optional(),
  source: z.record(z.string(), z.json()).optional(),
});

/** The chat request a case sends to one model. Never streamed: scorers read whole answers. */
export function requestForCase(c: EvalCase, model: string): ChatCompletionRequest {
  const request: ChatCompletionRequest = { ...(c.params ?? {}), model, messages: c.messages };
  if (c.tools) request.tools = c.tools;
  if (c.tool_choice !== undefined) request.tool_choice = c.tool_choice;
  if (c.response_format) request.response_format = c.response_format;
  return request;
}
