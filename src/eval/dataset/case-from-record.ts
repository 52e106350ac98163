import { parseChatRequest, messagesRequestToChat, responsesRequestToChat } from '../../protocols/index.js';
import type { ChatCompletionChunk, ChatCompletionRequest } from '../../spec/chat.js';
import type { StoredRecord } from '../../spec/request-record.js';
import { caseFromChat } from '../case/case-from-chat.js';
import type { EvalCase, JsonValue } from '../case/eval-case.js';
import { outputFromCompletion, type ModelOutput } from '../output/model-output.js';
import { isObject } from '../output/json-equal.js';

/** The chat request a record holds, whatever protocol it came in by; null without a body. */
export function chatRequestOfRecord(record: StoredRecord): ChatCompletionRequest | null {
  if (!record.requestBody) return null;
  let body: unknown;
  try {
    body = JSON.parse(record.requestBody);
  } catch {
    return null;
  }
  try {
    if (record.endpoint === 'chat') return parseChatRequest(body);
    if (record.endpoint === 'responses') return responsesRequestToChat(body);
    if (record.endpoint === 'messages') return messagesRequestToChat(body);
  } catch {
    return null;
  }
  return null;
}

/** A recorded request as an eval case (its id is the record's). */
export function caseFromRecord(record: StoredRecord): EvalCase | null {
  const request = chatRequestOfRecord(record);
  if (!request) return null;
  const source: Record<string, JsonValue> = {
    record: record.id,
    startedAt: new Date(record.startedAt).toISOString(),
    endpoint: record.endpoint,
    model: record.modelRequested,
  };
  if (record.route?.routeId) source.route = record.route.routeId;
  if (record.deploymentId) source.deployment = record.deploymentId;
  const c = caseFromChat(record.id, request, source);
  const tags = [record.route?.routeId, record.workload].filter((t): t is string => !!t);
  if (tags.length) c.tags = tags;
  return c;
}

function outputFromChunks(body: string): ModelOutput | null {
  let text = '';
  let finish: string | null = null;
  const calls: Array<{ name: string; arguments: string }> = [];
  let saw = false;
  for (const line of body.split('\n')) {
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (data === '[DONE]' || data === '') continue;
    let chunk: ChatCompletionChunk;
    try {
      chunk = JSON.parse(data) as ChatCompletionChunk;
    } catch {
      continue;
    }
    for (const choice of chunk.choices ?? []) {
      if (choice.index !== 0) continue;
      saw = true;
      if (typeof choice.delta?.content === 'string') text += choice.delta.content;
      for (const tc of choice.delta?.tool_calls ?? []) {
        const call = (calls[tc.index] ??= { name: '', arguments: '' });
        if (tc.function?.name) call.name += tc.function.name;
        if (tc.function?.arguments) call.arguments += tc.function.arguments;
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  }
  return saw ? { text: text || null, toolCalls: calls.filter(Boolean), finishReason: finish } : null;
}

/**
 * What the recorded model answered, when the record kept the response body: chat completions
 * (whole or streamed), and whole Anthropic Messages and Responses answers. null when unknown.
 */
export function recordedAnswer(record: StoredRecord): ModelOutput | null {
  const body = record.responseBody;
  if (!body || record.status >= 400) return null;
  if (body.startsWith('data:') || body.includes('\ndata:'))
    return record.endpoint === 'chat' ? outputFromChunks(body) : null;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return null;
  }
  if (!isObject(value)) return null;
  if (record.endpoint === 'chat' && Array.isArray(value.choices)) return outputFromCompletion(value as never);
  if (record.endpoint === 'messages' && Array.isArray(value.content)) {
    const blocks = value.content.filter(isObject);
    const text = blocks
      .filter((b) => b.type === 'text')
      .map((b) => String(b.text ?? ''))
      .join('');
    return {
      text: text || null,
      toolCalls: blocks
        .filter((b) => b.type === 'tool_use')
        .map((b) => ({ name: String(b.name ?? ''), arguments: JSON.stringify(b.input ?? {}) })),
      finishReason: typeof value.stop_reason === 'string' ? value.stop_reason : null,
    };
  }
  if (record.endpoint === 'responses' && Array.isArray(value.output)) {
    const items = value.output.filter(isObject);
    const text = items
      .filter((i) => i.type === 'message' && Array.isArray(i.content))
      .flatMap((i) => (i.content as unknown[]).filter(isObject))
      .filter((p) => p.type === 'output_text')
      .map((p) => String(p.text ?? ''))
      .join('');
    return {
      text: text || null,
      toolCalls: items
        .filter((i) => i.type === 'function_call')
        .map((i) => ({ name: String(i.name ?? ''), arguments: String(i.arguments ?? '') })),
      finishReason: typeof value.status === 'string' ? value.status : null,
    };
  }
  return null;
}
