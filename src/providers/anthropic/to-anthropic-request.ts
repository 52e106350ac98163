import type { ChatCompletionRequest, ChatMessage, ContentPart, ToolChoice } from '../../spec/chat.js';
import { UpstreamError } from '../../spec/gateway-error.js';
import type {
  AnthropicInputBlock,
  AnthropicInputMessage,
  AnthropicRequest,
  AnthropicTool,
  AnthropicToolChoice,
} from '../../anthropic-api/messages-api.js';

/** Anthropic requires `max_tokens`; OpenAI clients often leave the limit to the server. */
export const DEFAULT_MAX_TOKENS = 4096;

export interface AnthropicTranslation {
  body: AnthropicRequest;
  /**
   * Set when `response_format` asked for JSON: the name of the tool the answer is forced through.
   * Its input is the JSON answer and goes back to the client as message content, not as a tool call.
   */
  jsonToolName?: string;
}

const DATA_URL = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s;
const TOOL_NAME = /[^a-zA-Z0-9_-]/g;

/**
 * Translates an OpenAI chat request into a Messages request.
 *
 * - system and developer messages, wherever they appear, become the top-level `system` (joined by a
 *   blank line): the Messages API has no system turns.
 * - tool messages become `tool_result` blocks in a user turn, assistant `tool_calls` become `tool_use`
 *   blocks, and consecutive turns of the same role are merged, as Anthropic requires alternation.
 * - `response_format` json_schema / json_object is served by a forced tool whose input schema is the
 *   requested schema (Anthropic's documented way to get JSON that follows a schema); the tool's input
 *   is returned as the message content. When the request has its own tools, `tool_choice` becomes
 *   `any`, so the model either calls one of them or answers through the JSON tool.
 * - `temperature` is capped at 1 (Anthropic's range is 0..1, OpenAI's 0..2).
 * - Requests Anthropic cannot serve (`n` > 1, audio input) fail as a 400 the router may fall back from.
 */
export function toAnthropicRequest(
  request: ChatCompletionRequest,
  model: string,
  deployment: string,
  stream: boolean,
): AnthropicTranslation {
  const unsupported = (message: string) =>
    new UpstreamError({ kind: 'http_4xx', status: 400, message, deployment });

  if (typeof request.n === 'number' && request.n > 1)
    throw unsupported('n > 1 is not supported by Anthropic deployments; send n separate requests');

  const system: string[] = [];
  const messages: AnthropicInputMessage[] = [];
  const push = (role: 'user' | 'assistant', blocks: AnthropicInputBlock[]) => {
    if (blocks.length === 0) return;
    const last = messages[messages.length - 1];
    if (last !== undefined && last.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  };

  for (const message of request.messages) {
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = textOf(message.content);
        if (text) system.push(text);
        break;
      }
      case 'user':
        push('user', userBlocks(message.content, unsupported));
        break;
      case 'assistant':
        push('assistant', assistantBlocks(message, unsupported));
        break;
      case 'tool':
        push('user', [
          {
            type: 'tool_result',
            tool_use_id: message.tool_call_id ?? '',
            content: toolResultContent(message.content, unsupported),
          },
        ]);
        break;
      default:
        throw unsupported(`messages with role '${message.role}' are not supported by Anthropic deployments`);
    }
  }

  const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? DEFAULT_MAX_TOKENS;
  const body: AnthropicRequest = { model, max_tokens: maxTokens, messages };
  if (system.length) body.system = system.join('\n\n');
  if (request.temperature != null) body.temperature = Math.min(1, request.temperature);
  if (request.top_p != null) body.top_p = request.top_p;
  if (typeof request.top_k === 'number') body.top_k = request.top_k;
  if (request.stop != null) {
    const stops = (Array.isArray(request.stop) ? request.stop : [request.stop]).filter(
      (s) => s.trim() !== '',
    );
    if (stops.length) body.stop_sequences = stops;
  }
  if (typeof request.user === 'string' && request.user !== '') body.metadata = { user_id: request.user };
  if (stream) body.stream = true;

  const tools: AnthropicTool[] = (request.tools ?? []).map((tool) => ({
    name: tool.function.name,
    ...(tool.function.description ? { description: tool.function.description } : {}),
    input_schema: tool.function.parameters ?? { type: 'object', properties: {} },
  }));
  const parallel = request.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {};
  let toolChoice =
    request.tool_choice === undefined ? undefined : mapToolChoice(request.tool_choice, parallel);

  let jsonToolName: string | undefined;
  const format = request.response_format;
  if (format !== undefined && (format.type === 'json_schema' || format.type === 'json_object')) {
    const taken = new Set(tools.map((t) => t.name));
    const wanted =
      format.type === 'json_schema' ? format.json_schema.name.replace(TOOL_NAME, '_').slice(0, 64) : '';
    jsonToolName = wanted && !taken.has(wanted) ? wanted : 'json_response';
    const schema =
      format.type === 'json_schema' && format.json_schema.schema
        ? format.json_schema.schema
        : { type: 'object', additionalProperties: true };
    tools.push({
      name: jsonToolName,
      description:
        (format.type === 'json_schema' ? format.json_schema.description : undefined) ??
        'Give the final answer as JSON through this tool.',
      input_schema: schema,
    });
    toolChoice =
      tools.length > 1 && request.tool_choice !== 'none'
        ? { type: 'any', ...parallel }
        : { type: 'tool', name: jsonToolName, ...parallel };
  }
  if (tools.length) body.tools = tools;
  if (toolChoice !== undefined && (tools.length || toolChoice.type === 'none')) body.tool_choice = toolChoice;
  return jsonToolName === undefined ? { body } : { body, jsonToolName };
}

function mapToolChoice(
  choice: ToolChoice,
  parallel: { disable_parallel_tool_use?: boolean },
): AnthropicToolChoice {
  if (choice === 'none') return { type: 'none' };
  if (choice === 'auto') return { type: 'auto', ...parallel };
  if (choice === 'required') return { type: 'any', ...parallel };
  return { type: 'tool', name: choice.function.name, ...parallel };
}

type Unsupported = (message: string) => UpstreamError;

function textOf(content: ChatMessage['content']): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  return content
    .filter((p): p is { type: 'text'; text: string } => p.type === 'text' && typeof p.text === 'string')
    .map((p) => p.text)
    .join('\n');
}

function userBlocks(content: ChatMessage['content'], unsupported: Unsupported): AnthropicInputBlock[] {
  if (content == null) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  const blocks: AnthropicInputBlock[] = [];
  for (const part of content) {
    const block = partBlock(part, unsupported);
    if (block !== undefined) blocks.push(block);
  }
  return blocks;
}

function partBlock(part: ContentPart, unsupported: Unsupported): AnthropicInputBlock | undefined {
  switch (part.type) {
    case 'text': {
      const text = (part as { text?: unknown }).text;
      return typeof text === 'string' && text !== '' ? { type: 'text', text } : undefined;
    }
    case 'image_url': {
      const url = (part as { image_url?: { url?: unknown } }).image_url?.url;
      if (typeof url !== 'string') throw unsupported('image_url parts need image_url.url');
      const data = DATA_URL.exec(url);
      if (data) return { type: 'image', source: { type: 'base64', media_type: data[1], data: data[2] } };
      if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
      throw unsupported('image_url.url must be an http(s) URL or a base64 data: URL');
    }
    case 'file': {
      // OpenAI's PDF input: `{type:'file', file:{file_data:'data:application/pdf;base64,...'}}`.
      const fileData = (part as { file?: { file_data?: unknown } }).file?.file_data;
      const data = typeof fileData === 'string' ? DATA_URL.exec(fileData) : null;
      if (!data)
        throw unsupported('file parts need file.file_data as a base64 data: URL for Anthropic deployments');
      return { type: 'document', source: { type: 'base64', media_type: data[1], data: data[2] } };
    }
    default:
      throw unsupported(`content parts of type '${part.type}' are not supported by Anthropic deployments`);
  }
}

function assistantBlocks(message: ChatMessage, unsupported: Unsupported): AnthropicInputBlock[] {
  const blocks: AnthropicInputBlock[] = [];
  const text = textOf(message.content);
  if (text !== '') blocks.push({ type: 'text', text });
  for (const call of message.tool_calls ?? []) {
    let input: unknown;
    try {
      input = call.function.arguments.trim() === '' ? {} : JSON.parse(call.function.arguments);
    } catch {
      throw unsupported(
        `tool call ${call.id} has arguments that are not JSON; Anthropic needs a JSON object`,
      );
    }
    blocks.push({ type: 'tool_use', id: call.id, name: call.function.name, input });
  }
  return blocks;
}

function toolResultContent(
  content: ChatMessage['content'],
  unsupported: Unsupported,
): Extract<AnthropicInputBlock, { type: 'tool_result' }>['content'] {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  const blocks: Array<{ type: 'text'; text: string } | Extract<AnthropicInputBlock, { type: 'image' }>> = [];
  for (const part of content) {
    const block = partBlock(part, unsupported);
    if (block !== undefined && (block.type === 'text' || block.type === 'image')) blocks.push(block);
  }
  return blocks;
}
