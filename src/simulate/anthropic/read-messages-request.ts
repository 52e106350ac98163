import type { Exchange } from '../exchange.js';
import type { OutputShape } from '../output-plan.js';
import { contentText, isRecord, optionalCount, requireModelBody, stopList } from '../request-checks.js';
import { badRequest } from '../sim-error.js';
import { countTextTokens } from '../token-pieces.js';
import { chooseTools, type ToolDemand, type ToolSpec } from '../tool-calls.js';

/** The parts of an Anthropic Messages request the simulator acts on. */
export interface MessagesRequestView {
  model: string;
  stream: boolean;
  limit: number;
  stop: string[];
  promptKey: string;
  promptTokens: number;
  shape: OutputShape;
}

function blockText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const block of content) {
    if (!isRecord(block)) continue;
    if (typeof block.text === 'string') parts.push(block.text);
    else if (block.type === 'tool_result') parts.push(contentText(block.content));
    else if (block.type === 'tool_use') parts.push(JSON.stringify(block.input ?? {}));
  }
  return parts.join('\n');
}

function demand(value: unknown): { demand: ToolDemand; parallel: boolean } {
  if (value === undefined || value === null) return { demand: 'auto', parallel: true };
  if (!isRecord(value)) throw badRequest('tool_choice must be an object', 'tool_choice');
  const parallel = value.disable_parallel_tool_use !== true;
  switch (value.type) {
    case 'auto':
      return { demand: 'auto', parallel };
    case 'any':
      return { demand: 'required', parallel };
    case 'none':
      return { demand: 'none', parallel };
    case 'tool':
      if (typeof value.name === 'string') return { demand: { name: value.name }, parallel };
  }
  throw badRequest("tool_choice.type must be 'auto', 'any', 'tool' or 'none'", 'tool_choice');
}

export function readMessagesRequest(ex: Exchange, counting = false): MessagesRequestView {
  const { body, model } = requireModelBody(ex);
  const limit = optionalCount(body, 'max_tokens', 1) ?? (counting ? 0 : undefined);
  if (limit === undefined) throw badRequest('max_tokens: Field required', 'max_tokens');
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0)
    throw badRequest('messages: at least one message is required', 'messages');
  let promptKey = body.system !== undefined ? `system\n${blockText(body.system)}\n` : '';
  let lastUserText = '';
  let afterToolResult = false;
  messages.forEach((m, i) => {
    if (!isRecord(m) || (m.role !== 'user' && m.role !== 'assistant'))
      throw badRequest(`messages.${i}.role: Input should be 'user' or 'assistant'`, `messages.${i}.role`);
    const text = blockText(m.content);
    promptKey += `${m.role}\n${text}\n`;
    if (m.role === 'user') {
      lastUserText = text;
      afterToolResult =
        Array.isArray(m.content) && m.content.some((c) => isRecord(c) && c.type === 'tool_result');
    }
  });
  let tools: ToolSpec[] = [];
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) throw badRequest('tools: Input should be a valid list', 'tools');
    tools = body.tools.map((t, i) => {
      if (!isRecord(t) || typeof t.name !== 'string')
        throw badRequest(`tools.${i}.name: Field required`, `tools.${i}.name`);
      return { name: t.name, schema: t.input_schema ?? { type: 'object', properties: {} } };
    });
  }
  const choice = demand(body.tool_choice);
  const chosen = chooseTools(tools, choice.demand, lastUserText, afterToolResult, choice.parallel);
  let promptTokens = countTextTokens(promptKey) + messages.length * 3;
  if (tools.length) promptTokens += countTextTokens(JSON.stringify(body.tools));
  return {
    model,
    stream: body.stream === true,
    limit,
    stop: stopList(body.stop_sequences, 'stop_sequences'),
    promptKey,
    promptTokens,
    shape: chosen.length ? { kind: 'tools', tools: chosen } : { kind: 'text' },
  };
}
