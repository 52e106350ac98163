import type { ChatMessage, FunctionTool } from '../../spec/chat.js';
import type { Exchange } from '../exchange.js';
import type { OutputShape } from '../output-plan.js';
import { contentText, isRecord, optionalCount, requireModelBody, stopList } from '../request-checks.js';
import { badRequest } from '../sim-error.js';
import { countTextTokens } from '../token-pieces.js';
import { chooseTools, type ToolDemand, type ToolSpec } from '../tool-calls.js';

/** The parts of a chat completion request the simulator acts on. */
export interface ChatRequestView {
  model: string;
  stream: boolean;
  includeUsage: boolean;
  n: number;
  limit: number | undefined;
  stop: string[];
  seed: number | undefined;
  promptKey: string;
  promptTokens: number;
  shape: OutputShape;
  logprobs: boolean;
  topLogprobs: number;
}

// OpenAI's cookbook counts 3 tokens of framing per message and 3 to prime the reply
// (https://cookbook.openai.com/examples/how_to_count_tokens_with_tiktoken, read 2026-11-25).
const TOKENS_PER_MESSAGE = 3;
const REPLY_PRIMING_TOKENS = 3;

function toolDemand(value: unknown): ToolDemand {
  if (value === undefined || value === null || value === 'auto') return 'auto';
  if (value === 'none' || value === 'required') return value;
  if (isRecord(value) && isRecord(value.function) && typeof value.function.name === 'string')
    return { name: value.function.name };
  throw badRequest("tool_choice must be 'none', 'auto', 'required' or a named function", 'tool_choice');
}

function toolSpecs(value: unknown): ToolSpec[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest('tools must be an array', 'tools');
  return (value as FunctionTool[]).map((t, i) => {
    if (!isRecord(t) || !isRecord(t.function) || typeof t.function.name !== 'string')
      throw badRequest(`tools[${i}].function.name is required`, `tools[${i}].function.name`);
    return { name: t.function.name, schema: t.function.parameters ?? { type: 'object', properties: {} } };
  });
}

export function readChatRequest(ex: Exchange): ChatRequestView {
  const { body, model } = requireModelBody(ex);
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0)
    throw badRequest('messages must be a non-empty array', 'messages');

  let promptKey = '';
  let lastUserText = '';
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as ChatMessage;
    if (!isRecord(m) || typeof m.role !== 'string')
      throw badRequest(`messages[${i}].role is required`, `messages.${i}.role`);
    const text = contentText(m.content);
    promptKey += `${m.role}\n${text}\n`;
    if (m.role === 'user') lastUserText = text;
    if (m.tool_calls) promptKey += JSON.stringify(m.tool_calls);
  }
  const last = messages[messages.length - 1] as ChatMessage;
  const tools = toolSpecs(body.tools);
  let promptTokens = countTextTokens(promptKey) + messages.length * TOKENS_PER_MESSAGE + REPLY_PRIMING_TOKENS;
  if (tools.length) promptTokens += countTextTokens(JSON.stringify(body.tools));

  const chosen = chooseTools(
    tools,
    toolDemand(body.tool_choice),
    lastUserText,
    last.role === 'tool' || last.role === 'function',
    body.parallel_tool_calls !== false,
  );
  let shape: OutputShape = { kind: 'text' };
  if (chosen.length) shape = { kind: 'tools', tools: chosen };
  else if (isRecord(body.response_format)) {
    const rf = body.response_format;
    if (rf.type === 'json_object') shape = { kind: 'json', schema: undefined };
    else if (rf.type === 'json_schema') {
      if (!isRecord(rf.json_schema))
        throw badRequest('response_format.json_schema is required', 'response_format');
      shape = { kind: 'json', schema: rf.json_schema.schema ?? {} };
    }
  }

  const so = body.stream_options;
  const seed = body.seed;
  if (seed !== undefined && seed !== null && (typeof seed !== 'number' || !Number.isInteger(seed)))
    throw badRequest('seed must be an integer', 'seed');
  return {
    model,
    stream: body.stream === true,
    includeUsage: isRecord(so) && so.include_usage === true && !ex.behaviour.omitStreamUsage,
    n: optionalCount(body, 'n', 1) ?? 1,
    limit: optionalCount(body, 'max_completion_tokens', 1) ?? optionalCount(body, 'max_tokens', 1),
    stop: stopList(body.stop, 'stop'),
    seed: typeof seed === 'number' ? seed : undefined,
    promptKey,
    promptTokens,
    shape,
    logprobs: body.logprobs === true,
    topLogprobs: optionalCount(body, 'top_logprobs', 0) ?? 0,
  };
}
