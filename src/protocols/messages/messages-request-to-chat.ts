import type {
  ChatCompletionRequest,
  ChatMessage,
  ContentPart,
  FunctionTool,
  ToolCall,
} from '../../spec/chat.js';
import { invalidRequest } from '../../spec/gateway-error.js';
import { issueToInvalidRequest } from '../issue-to-invalid-request.js';
import {
  messagesRequestSchema,
  toolSchema,
  type MessagesContentBlock,
  type MessagesRequest,
} from './messages-request-schema.js';

type Path = ReadonlyArray<string | number>;

/** Validates a `POST /v1/messages` body; errors are worded the way Anthropic's API words them. */
export function parseMessagesRequest(body: unknown): MessagesRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw invalidRequest('The request body must be a JSON object.', null, 'invalid_body');
  const result = messagesRequestSchema.safeParse(body);
  if (!result.success) throw issueToInvalidRequest(result.error.issues, body, 'anthropic');
  return result.data;
}

/**
 * An Anthropic Messages request as the equivalent Chat Completions request, so any chat backend
 * can answer Anthropic SDK clients. `top_k` has no chat-completions equivalent and is dropped.
 */
export function messagesRequestToChat(body: unknown): ChatCompletionRequest {
  return translateMessagesRequest(parseMessagesRequest(body));
}

/** The translation alone, for a request already checked by `parseMessagesRequest`. */
export function translateMessagesRequest(request: MessagesRequest): ChatCompletionRequest {
  const messages: ChatMessage[] = [];
  const system = systemText(request.system);
  if (system) messages.push({ role: 'system', content: system });
  request.messages.forEach((message, i) => {
    if (message.role === 'assistant')
      messages.push(toAssistantMessage(message.content, ['messages', i, 'content']));
    else messages.push(...toUserMessages(message.content, ['messages', i, 'content']));
  });

  const chat: ChatCompletionRequest = { model: request.model, messages, max_tokens: request.max_tokens };
  const tools = toTools(request);
  if (tools) chat.tools = tools;
  const choice = request.tool_choice;
  if (choice) {
    if (choice.type === 'auto') chat.tool_choice = 'auto';
    else if (choice.type === 'any') chat.tool_choice = 'required';
    else if (choice.type === 'none') chat.tool_choice = 'none';
    else chat.tool_choice = { type: 'function', function: { name: choice.name } };
    if ('disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use === true)
      chat.parallel_tool_calls = false;
  }
  if (request.stop_sequences?.length) chat.stop = request.stop_sequences;
  if (request.temperature !== undefined) chat.temperature = request.temperature;
  if (request.top_p !== undefined) chat.top_p = request.top_p;
  const userId = request.metadata?.user_id;
  if (typeof userId === 'string') chat.user = userId;
  if (request.stream === true) {
    chat.stream = true;
    chat.stream_options = { include_usage: true };
  }
  return chat;
}

function systemText(system: MessagesRequest['system']): string {
  if (system === undefined) return '';
  if (typeof system === 'string') return system;
  return system.map((block) => block.text).join('\n');
}

/**
 * One Anthropic user turn may carry tool results and new input together; chat completions wants
 * each result as its own `tool` message right after the assistant's calls, then the user's words.
 */
function toUserMessages(content: string | MessagesContentBlock[], path: Path): ChatMessage[] {
  if (typeof content === 'string') return [{ role: 'user', content }];
  const out: ChatMessage[] = [];
  const parts: ContentPart[] = [];
  content.forEach((block, j) => {
    const blockPath = [...path, j];
    switch (block.type) {
      case 'tool_result': {
        const result = block.content;
        let text = '';
        if (typeof result === 'string') text = result;
        else if (result) {
          result.forEach((inner, k) => {
            if (inner.type === 'text') text += text ? `\n${inner.text}` : inner.text;
            // A chat tool message holds text only; images a tool returned go to the user turn after it.
            else parts.push(toPart(inner, [...blockPath, 'content', k]));
          });
        }
        out.push({ role: 'tool', tool_call_id: block.tool_use_id, content: text });
        break;
      }
      case 'tool_use':
        throw invalidRequest(
          `${dotted(blockPath)}: tool_use blocks are only allowed in assistant messages`,
          dotted(blockPath),
          'invalid_value',
        );
      case 'thinking':
      case 'redacted_thinking':
        break;
      default:
        parts.push(toPart(block, blockPath));
    }
  });
  if (parts.length === 1 && parts[0].type === 'text')
    out.push({ role: 'user', content: parts[0].text as string });
  else if (parts.length > 0) out.push({ role: 'user', content: parts });
  return out;
}

function toPart(block: MessagesContentBlock, path: Path): ContentPart {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'image': {
      const source = block.source;
      if (source.type === 'base64')
        return { type: 'image_url', image_url: { url: `data:${source.media_type};base64,${source.data}` } };
      if (source.type === 'url') return { type: 'image_url', image_url: { url: source.url } };
      throw unsupportedSource(path, 'image');
    }
    case 'document': {
      const source = block.source as { type: string; media_type?: unknown; data?: unknown };
      if (source.type === 'text' && typeof source.data === 'string')
        return { type: 'text', text: source.data };
      if (
        source.type === 'base64' &&
        typeof source.data === 'string' &&
        typeof source.media_type === 'string'
      )
        return {
          type: 'file',
          file: {
            filename: block.title ?? 'document.pdf',
            file_data: `data:${source.media_type};base64,${source.data}`,
          },
        };
      throw unsupportedSource(path, 'document');
    }
    default:
      throw invalidRequest(
        `${dotted(path)}: ${block.type} blocks are not allowed here`,
        dotted(path),
        'invalid_value',
      );
  }
}

function toAssistantMessage(content: string | MessagesContentBlock[], path: Path): ChatMessage {
  if (typeof content === 'string') return { role: 'assistant', content };
  let text = '';
  const calls: ToolCall[] = [];
  content.forEach((block, j) => {
    switch (block.type) {
      case 'text':
        text += block.text;
        break;
      case 'tool_use':
        calls.push({
          id: block.id,
          type: 'function',
          function: { name: block.name, arguments: JSON.stringify(block.input) },
        });
        break;
      case 'thinking':
      case 'redacted_thinking':
        break;
      default:
        throw invalidRequest(
          `${dotted([...path, j])}: ${block.type} blocks are only allowed in user messages`,
          dotted([...path, j]),
          'invalid_value',
        );
    }
  });
  const message: ChatMessage = { role: 'assistant', content: text || (calls.length ? null : '') };
  if (calls.length) message.tool_calls = calls;
  return message;
}

function toTools(request: MessagesRequest): FunctionTool[] | undefined {
  if (!request.tools?.length) return undefined;
  return request.tools.map((raw, i) => {
    // Anthropic's server tools (web search, code execution, computer use, ...) carry a versioned
    // type such as `web_search_20250305`; only client tools can be run by a chat backend's caller.
    if (raw.type !== undefined && raw.type !== null && raw.type !== 'custom')
      throw invalidRequest(
        `tools.${i}.type: server tools such as '${raw.type}' are not supported by this gateway; only client tools with an input_schema are`,
        `tools.${i}.type`,
        'unsupported_value',
      );
    const parsed = toolSchema.safeParse(raw);
    if (!parsed.success) throw issueToInvalidRequest(parsed.error.issues, request, 'anthropic', ['tools', i]);
    const tool = parsed.data;
    const fn: FunctionTool['function'] = { name: tool.name, parameters: tool.input_schema };
    if (tool.description !== undefined) fn.description = tool.description;
    return { type: 'function', function: fn };
  });
}

function unsupportedSource(path: Path, kind: string) {
  return invalidRequest(
    `${dotted([...path, 'source', 'type'])}: ${kind} sources of this type are not supported by this gateway; send base64 data or a URL`,
    dotted([...path, 'source', 'type']),
    'unsupported_value',
  );
}

function dotted(path: Path): string {
  return path.join('.');
}
