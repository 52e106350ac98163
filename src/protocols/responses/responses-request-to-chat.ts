import type { z } from 'zod';
import type {
  ChatCompletionRequest,
  ChatMessage,
  ContentPart,
  FunctionTool,
  ToolChoice,
} from '../../spec/chat.js';
import { invalidRequest } from '../../spec/gateway-error.js';
import { issueToInvalidRequest } from '../issue-to-invalid-request.js';
import {
  functionCallItemSchema,
  functionCallOutputItemSchema,
  messageItemSchema,
  responsesFunctionToolSchema,
  responsesRequestSchema,
  type ResponsesInputPart,
  type ResponsesRequest,
} from './responses-request-schema.js';

/**
 * Validates a `POST /v1/responses` body. Anything that needs state the gateway does not keep
 * (stored responses, conversations, background runs) or a hosted tool is refused up front with a
 * 400 that says so, rather than silently answered without it.
 */
export function parseResponsesRequest(body: unknown): ResponsesRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw invalidRequest('The request body must be a JSON object.', null, 'invalid_body');
  const result = responsesRequestSchema.safeParse(body);
  if (!result.success) throw issueToInvalidRequest(result.error.issues, body, 'openai');
  const request = result.data;
  if (request.previous_response_id !== undefined && request.previous_response_id !== null)
    throw unsupported(
      'previous_response_id',
      "'previous_response_id' is not supported: this gateway does not store responses. Send the whole conversation in 'input' instead.",
    );
  if (request.conversation !== undefined && request.conversation !== null)
    throw unsupported(
      'conversation',
      "'conversation' is not supported: this gateway does not store conversations. Send the whole conversation in 'input' instead.",
    );
  if (request.background === true)
    throw unsupported(
      'background',
      "'background' mode is not supported by this gateway; stream the response instead.",
    );
  return request;
}

/** A Responses API request body as the equivalent Chat Completions request, for any chat backend. */
export function responsesRequestToChat(body: unknown): ChatCompletionRequest {
  return translateResponsesRequest(parseResponsesRequest(body));
}

/** The translation alone, for a request already checked by `parseResponsesRequest`. */
export function translateResponsesRequest(request: ResponsesRequest): ChatCompletionRequest {
  const messages = toMessages(request);
  if (!messages.some((m) => m.role !== 'system'))
    throw invalidRequest(
      "Invalid 'input': expected at least one message or function_call_output item, but got none.",
      'input',
      'empty_array',
    );
  const chat: ChatCompletionRequest = { model: request.model, messages };

  const tools = toTools(request);
  if (tools) chat.tools = tools;
  if (request.tool_choice !== undefined && request.tool_choice !== null)
    chat.tool_choice = toToolChoice(request.tool_choice);
  if (request.parallel_tool_calls !== undefined && request.parallel_tool_calls !== null && tools)
    chat.parallel_tool_calls = request.parallel_tool_calls;

  const format = request.text?.format;
  if (format?.type === 'json_object') chat.response_format = { type: 'json_object' };
  else if (format?.type === 'json_schema') {
    const jsonSchema: {
      name: string;
      schema?: Record<string, unknown>;
      strict?: boolean;
      description?: string;
    } = {
      name: format.name,
      schema: format.schema,
    };
    if (format.strict !== undefined && format.strict !== null) jsonSchema.strict = format.strict;
    if (format.description !== undefined) jsonSchema.description = format.description;
    chat.response_format = { type: 'json_schema', json_schema: jsonSchema };
  }

  // max_tokens rather than max_completion_tokens: every OpenAI-compatible server (vLLM, TGI,
  // Ollama, llama.cpp) knows it; adapters for upstreams that want the newer name rename it.
  if (request.max_output_tokens !== undefined && request.max_output_tokens !== null)
    chat.max_tokens = request.max_output_tokens;
  if (request.temperature !== undefined && request.temperature !== null)
    chat.temperature = request.temperature;
  if (request.top_p !== undefined && request.top_p !== null) chat.top_p = request.top_p;
  if (request.top_logprobs !== undefined && request.top_logprobs !== null) {
    chat.logprobs = true;
    chat.top_logprobs = request.top_logprobs;
  }
  const user = request.safety_identifier ?? request.user;
  if (user !== undefined) chat.user = user;
  const effort = request.reasoning?.effort;
  if (effort !== undefined && effort !== null) chat.reasoning_effort = effort;
  if (request.stream === true) {
    chat.stream = true;
    chat.stream_options = { include_usage: true };
  }
  return chat;
}

function toMessages(request: ResponsesRequest): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (request.instructions) messages.push({ role: 'system', content: request.instructions });
  if (typeof request.input === 'string') {
    messages.push({ role: 'user', content: request.input });
    return messages;
  }

  request.input.forEach((raw, i) => {
    const path = ['input', i] as const;
    const type = itemType(raw);
    switch (type) {
      case 'message': {
        const item = parseItem(messageItemSchema, raw, request, path);
        if (item.role === 'assistant') {
          const text = typeof item.content === 'string' ? item.content : joinText(item.content);
          messages.push({ role: 'assistant', content: text });
        } else {
          messages.push({
            role: item.role === 'developer' ? 'system' : item.role,
            content:
              typeof item.content === 'string'
                ? item.content
                : toContentParts(item.content, [...path, 'content']),
          });
        }
        break;
      }
      case 'function_call': {
        const item = parseItem(functionCallItemSchema, raw, request, path);
        const call = {
          id: item.call_id,
          type: 'function' as const,
          function: { name: item.name, arguments: item.arguments },
        };
        // Consecutive calls (and the text before them) are one assistant turn in chat completions.
        const last = messages[messages.length - 1];
        if (last?.role === 'assistant') (last.tool_calls ??= []).push(call);
        else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
        break;
      }
      case 'function_call_output': {
        const item = parseItem(functionCallOutputItemSchema, raw, request, path);
        messages.push({
          role: 'tool',
          tool_call_id: item.call_id,
          content: typeof item.output === 'string' ? item.output : joinText(item.output),
        });
        break;
      }
      case 'reasoning':
        // Earlier reasoning cannot be handed back to a chat backend; the answer it led to is.
        break;
      default:
        throw invalidRequest(
          type === undefined
            ? `Invalid 'input[${i}]': expected an input item (a message, a function_call or a function_call_output).`
            : `Input items of type '${type}' are not supported by this gateway: it serves messages, function_call and function_call_output items.`,
          type === undefined ? `input[${i}]` : `input[${i}].type`,
          type === undefined ? 'invalid_type' : 'unsupported_value',
        );
    }
  });
  return messages;
}

function itemType(raw: unknown): string | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const { type, role } = raw as { type?: unknown; role?: unknown };
  if (typeof type === 'string') return type;
  return role !== undefined ? 'message' : undefined;
}

function parseItem<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  request: ResponsesRequest,
  path: readonly (string | number)[],
): z.output<S> {
  const result = schema.safeParse(raw);
  if (!result.success) throw issueToInvalidRequest(result.error.issues, request, 'openai', path);
  return result.data;
}

function toContentParts(parts: ResponsesInputPart[], path: readonly (string | number)[]): ContentPart[] {
  return parts.map((part, j): ContentPart => {
    switch (part.type) {
      case 'input_text':
      case 'output_text':
        return { type: 'text', text: part.text };
      case 'refusal':
        return { type: 'text', text: part.refusal };
      case 'input_image': {
        if (!part.image_url)
          throw invalidRequest(
            "Images given by 'file_id' are not supported by this gateway; send 'image_url' as a URL or a data URL.",
            pathText([...path, j, 'file_id']),
            'unsupported_value',
          );
        const image: { url: string; detail?: 'auto' | 'low' | 'high' } = { url: part.image_url };
        if (part.detail !== undefined) image.detail = part.detail;
        return { type: 'image_url', image_url: image };
      }
      case 'input_file': {
        if (part.file_data === undefined)
          throw invalidRequest(
            "Files given by 'file_id' or 'file_url' are not supported by this gateway; send 'file_data' instead.",
            pathText([...path, j]),
            'unsupported_value',
          );
        const file: Record<string, string> = { file_data: part.file_data };
        if (part.filename !== undefined) file.filename = part.filename;
        return { type: 'file', file };
      }
    }
  });
}

function joinText(parts: ResponsesInputPart[]): string {
  let text = '';
  for (const part of parts) {
    if (part.type === 'input_text' || part.type === 'output_text') text += part.text;
    else if (part.type === 'refusal') text += part.refusal;
  }
  return text;
}

function toTools(request: ResponsesRequest): FunctionTool[] | undefined {
  if (!request.tools?.length) return undefined;
  return request.tools.map((raw, i) => {
    if (raw.type !== 'function')
      throw invalidRequest(
        `Tools of type '${raw.type}' are not supported by this gateway: it serves function tools only.`,
        `tools[${i}].type`,
        'unsupported_value',
      );
    const tool = parseItem(responsesFunctionToolSchema, raw, request, ['tools', i]);
    const fn: FunctionTool['function'] = { name: tool.name };
    if (tool.description !== undefined && tool.description !== null) fn.description = tool.description;
    if (tool.parameters !== undefined && tool.parameters !== null) fn.parameters = tool.parameters;
    if (tool.strict !== undefined && tool.strict !== null) fn.strict = tool.strict;
    return { type: 'function', function: fn };
  });
}

function toToolChoice(choice: NonNullable<ResponsesRequest['tool_choice']>): ToolChoice {
  if (typeof choice === 'string') return choice;
  return { type: 'function', function: { name: choice.name } };
}

function pathText(path: readonly (string | number)[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${key}`;
  return out;
}

const unsupported = (param: string, message: string) =>
  invalidRequest(message, param, 'unsupported_parameter');
