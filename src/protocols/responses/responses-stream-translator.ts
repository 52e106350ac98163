import type { ChatCompletionChunk, FinishReason, Usage } from '../../spec/chat.js';
import type { GatewayError } from '../../spec/gateway-error.js';
import { newId } from '../new-id.js';
import { reasoningText } from '../reasoning-text.js';
import type { ProtocolEvent } from '../protocol-event.js';
import { responseEnding } from './response-ending.js';
import { buildResponseShell } from './response-shell.js';
import { toResponseUsage } from './to-response-usage.js';
import type { ResponsesRequest } from './responses-request-schema.js';
import type {
  FunctionCallItem,
  ItemStatus,
  OutputMessageItem,
  ReasoningItem,
  ResponseObject,
} from './responses-types.js';

/** Turns a chat-completions chunk stream into the Responses API's event stream, one call at a time. */
export interface ResponsesStreamTranslator {
  /** Events for one upstream chunk (none for chunks that carry only usage or a finish reason). */
  push(chunk: ChatCompletionChunk): ProtocolEvent[];
  /** Closing events once the upstream stream ended normally: items done, then the terminal event. */
  finish(): ProtocolEvent[];
  /** Closing events for a stream that broke: `response.failed`, then an `error` event. */
  fail(error: GatewayError): ProtocolEvent[];
}

/**
 * Event order and payloads follow https://platform.openai.com/docs/api-reference/responses-streaming:
 * `response.created`, `response.in_progress`, then per output item (reasoning, message, function
 * call) `output_item.added`, its content part or argument events, `output_item.done`, and finally `response.completed` (or
 * `response.incomplete` when the token limit cut the answer). Every event carries a
 * `sequence_number` counting from 0.
 */
export function createResponsesStreamTranslator(request: ResponsesRequest): ResponsesStreamTranslator {
  return new ResponsesStream(request);
}

type PartKind = 'output_text' | 'refusal';

interface OpenReasoning {
  item: ReasoningItem;
  outputIndex: number;
  text: string;
}

interface OpenMessage {
  item: OutputMessageItem;
  outputIndex: number;
  partKind: PartKind | null;
  partText: string;
}

interface OpenCall {
  item: FunctionCallItem;
  outputIndex: number;
  closed: boolean;
}

class ResponsesStream implements ResponsesStreamTranslator {
  private readonly request: ResponsesRequest;
  private response: ResponseObject | null = null;
  private sequence = 0;
  private events: ProtocolEvent[] = [];
  private message: OpenMessage | null = null;
  private reasoning: OpenReasoning | null = null;
  private readonly calls = new Map<number, OpenCall>();
  private lastCall: OpenCall | null = null;
  private finishReason: FinishReason | null = null;
  private usage: Usage | null = null;
  private ended = false;

  constructor(request: ResponsesRequest) {
    this.request = request;
  }

  push(chunk: ChatCompletionChunk): ProtocolEvent[] {
    if (this.ended) return [];
    this.events = [];
    if (this.response === null) this.start(chunk.model, chunk.created);
    if (chunk.usage) this.usage = chunk.usage;
    // The Responses API has no `n`: only the first choice is an answer.
    const choice = chunk.choices.find((c) => c.index === 0);
    if (choice) {
      const delta = choice.delta;
      const thought = reasoningText(delta);
      if (thought !== undefined) this.appendReasoning(thought);
      if (typeof delta.content === 'string' && delta.content !== '')
        this.appendText('output_text', delta.content);
      if (typeof delta.refusal === 'string' && delta.refusal !== '')
        this.appendText('refusal', delta.refusal);
      if (delta.tool_calls) {
        for (const call of delta.tool_calls) this.appendCall(call);
      }
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
    return this.events;
  }

  finish(): ProtocolEvent[] {
    if (this.ended) return [];
    this.events = [];
    const response = this.response ?? this.start(this.request.model, undefined);
    const ending = responseEnding(this.finishReason);
    const status: ItemStatus = ending.status === 'incomplete' ? 'incomplete' : 'completed';
    this.closeReasoning(status);
    this.closeMessage(status);
    this.closeCalls(status);
    response.status = ending.status;
    response.incomplete_details = ending.incompleteDetails;
    response.usage = toResponseUsage(this.usage);
    this.emit(ending.status === 'completed' ? 'response.completed' : 'response.incomplete', { response });
    this.ended = true;
    return this.events;
  }

  fail(error: GatewayError): ProtocolEvent[] {
    if (this.ended) return [];
    this.events = [];
    const response = this.response ?? this.start(this.request.model, undefined);
    // What was streamed so far stays in the failed response's output, marked incomplete.
    const message = this.message;
    if (message) {
      if (message.partKind === 'output_text')
        message.item.content.push({
          type: 'output_text',
          text: message.partText,
          annotations: [],
          logprobs: [],
        });
      else if (message.partKind === 'refusal')
        message.item.content.push({ type: 'refusal', refusal: message.partText });
      message.item.status = 'incomplete';
    }
    if (this.reasoning) {
      this.reasoning.item.content.push({ type: 'reasoning_text', text: this.reasoning.text });
      this.reasoning.item.status = 'incomplete';
    }
    for (const call of this.calls.values()) if (!call.closed) call.item.status = 'incomplete';
    response.status = 'failed';
    response.error = {
      code: error.status === 429 ? 'rate_limit_exceeded' : 'server_error',
      message: error.message,
    };
    response.usage = toResponseUsage(this.usage);
    this.emit('response.failed', { response });
    // The documented `error` event has code/message/param at the top level; OpenAI's servers also
    // nest them under `error` (openai/openai-dotnet#881), which is what makes the openai SDKs throw
    // instead of ending quietly. Both are sent so every reader sees the failure.
    this.emit('error', {
      code: error.code,
      message: error.message,
      param: error.param,
      error: { type: error.type, code: error.code, message: error.message, param: error.param },
    });
    this.ended = true;
    return this.events;
  }

  private start(model: string, createdSeconds: number | undefined): ResponseObject {
    const response = buildResponseShell(
      this.request,
      newId('resp'),
      createdSeconds ?? Math.floor(Date.now() / 1000),
      model || this.request.model,
    );
    this.response = response;
    this.emit('response.created', { response: { ...response, output: [] } });
    this.emit('response.in_progress', { response: { ...response, output: [] } });
    return response;
  }

  private appendText(kind: PartKind, text: string): void {
    const message = this.message ?? this.openMessage();
    if (message.partKind !== kind) {
      this.closePart(message);
      message.partKind = kind;
      message.partText = '';
      const part =
        kind === 'output_text'
          ? { type: 'output_text', text: '', annotations: [], logprobs: [] }
          : { type: 'refusal', refusal: '' };
      this.emit('response.content_part.added', {
        item_id: message.item.id,
        output_index: message.outputIndex,
        content_index: message.item.content.length,
        part,
      });
    }
    message.partText += text;
    this.emit(kind === 'output_text' ? 'response.output_text.delta' : 'response.refusal.delta', {
      item_id: message.item.id,
      output_index: message.outputIndex,
      content_index: message.item.content.length,
      delta: text,
      ...(kind === 'output_text' ? { logprobs: [] } : {}),
    });
  }

  private appendCall(
    delta: NonNullable<ChatCompletionChunk['choices'][number]['delta']['tool_calls']>[number],
  ) {
    let call = this.calls.get(delta.index);
    if (call === undefined) {
      this.closeReasoning('completed');
      this.closeMessage('completed');
      if (this.lastCall) this.closeCall(this.lastCall, 'completed');
      const response = this.response as ResponseObject;
      const item: FunctionCallItem = {
        id: newId('fc'),
        type: 'function_call',
        status: 'in_progress',
        call_id: delta.id ?? newId('call'),
        name: delta.function?.name ?? '',
        arguments: '',
      };
      call = { item, outputIndex: response.output.length, closed: false };
      response.output.push(item);
      this.calls.set(delta.index, call);
      this.lastCall = call;
      this.emit('response.output_item.added', { output_index: call.outputIndex, item: { ...item } });
    }
    const fragment = delta.function?.arguments;
    if (fragment) {
      // A fragment for a call already closed (upstreams that interleave calls) still lands on its
      // item, so clients that accumulate by output_index get the whole arguments.
      call.item.arguments += fragment;
      this.emit('response.function_call_arguments.delta', {
        item_id: call.item.id,
        output_index: call.outputIndex,
        delta: fragment,
      });
    }
  }

  private openMessage(): OpenMessage {
    this.closeReasoning('completed');
    if (this.lastCall) this.closeCall(this.lastCall, 'completed');
    this.lastCall = null;
    const response = this.response as ResponseObject;
    const item: OutputMessageItem = {
      id: newId('msg'),
      type: 'message',
      status: 'in_progress',
      role: 'assistant',
      content: [],
    };
    const message: OpenMessage = { item, outputIndex: response.output.length, partKind: null, partText: '' };
    response.output.push(item);
    this.message = message;
    this.emit('response.output_item.added', {
      output_index: message.outputIndex,
      item: { ...item, content: [] },
    });
    return message;
  }

  private appendReasoning(text: string): void {
    let reasoning = this.reasoning;
    if (reasoning === null) {
      this.closeMessage('completed');
      if (this.lastCall) this.closeCall(this.lastCall, 'completed');
      this.lastCall = null;
      const response = this.response as ResponseObject;
      const item: ReasoningItem = {
        id: newId('rs'),
        type: 'reasoning',
        status: 'in_progress',
        summary: [],
        content: [],
      };
      reasoning = { item, outputIndex: response.output.length, text: '' };
      response.output.push(item);
      this.reasoning = reasoning;
      this.emit('response.output_item.added', {
        output_index: reasoning.outputIndex,
        item: { ...item, content: [] },
      });
      this.emit('response.content_part.added', {
        item_id: item.id,
        output_index: reasoning.outputIndex,
        content_index: 0,
        part: { type: 'reasoning_text', text: '' },
      });
    }
    reasoning.text += text;
    this.emit('response.reasoning_text.delta', {
      item_id: reasoning.item.id,
      output_index: reasoning.outputIndex,
      content_index: 0,
      delta: text,
    });
  }

  private closeReasoning(status: ItemStatus): void {
    const reasoning = this.reasoning;
    if (reasoning === null) return;
    const base = { item_id: reasoning.item.id, output_index: reasoning.outputIndex, content_index: 0 };
    const part = { type: 'reasoning_text' as const, text: reasoning.text };
    this.emit('response.reasoning_text.done', { ...base, text: reasoning.text });
    this.emit('response.content_part.done', { ...base, part });
    reasoning.item.content.push(part);
    reasoning.item.status = status;
    this.emit('response.output_item.done', {
      output_index: reasoning.outputIndex,
      item: { ...reasoning.item, content: [...reasoning.item.content] },
    });
    this.reasoning = null;
  }

  private closePart(message: OpenMessage): void {
    if (message.partKind === null) return;
    const contentIndex = message.item.content.length;
    const base = { item_id: message.item.id, output_index: message.outputIndex, content_index: contentIndex };
    const text = message.partText;
    if (message.partKind === 'output_text') {
      const part = { type: 'output_text' as const, text, annotations: [], logprobs: [] };
      this.emit('response.output_text.done', { ...base, text, logprobs: [] });
      this.emit('response.content_part.done', { ...base, part });
      message.item.content.push(part);
    } else {
      const part = { type: 'refusal' as const, refusal: text };
      this.emit('response.refusal.done', { ...base, refusal: text });
      this.emit('response.content_part.done', { ...base, part });
      message.item.content.push(part);
    }
    message.partKind = null;
  }

  private closeMessage(status: ItemStatus): void {
    const message = this.message;
    if (message === null) return;
    this.closePart(message);
    message.item.status = status;
    this.emit('response.output_item.done', {
      output_index: message.outputIndex,
      item: { ...message.item, content: [...message.item.content] },
    });
    this.message = null;
  }

  private closeCall(call: OpenCall, status: ItemStatus): void {
    if (call.closed) return;
    call.closed = true;
    call.item.status = status;
    this.emit('response.function_call_arguments.done', {
      item_id: call.item.id,
      output_index: call.outputIndex,
      name: call.item.name,
      arguments: call.item.arguments,
    });
    this.emit('response.output_item.done', { output_index: call.outputIndex, item: { ...call.item } });
  }

  private closeCalls(status: ItemStatus): void {
    for (const call of this.calls.values()) this.closeCall(call, status);
  }

  private emit(type: string, fields: Record<string, unknown>): void {
    this.events.push({ event: type, data: { type, sequence_number: this.sequence++, ...fields } });
  }
}
