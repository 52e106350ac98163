import type { ChatCompletion, ChatCompletionChunk, ChatCompletionChunkDelta } from '../spec/chat.js';
import { escapeForJsonString } from './redact-chat-request.js';
import { restore, type RedactionMap } from './redact-text.js';
import { createStreamRestorer, type StreamRestorer } from './stream-restorer.js';

/** A copy of a completion with placeholders put back in message text and tool-call arguments. */
export function restoreChatCompletion(completion: ChatCompletion, map: RedactionMap): ChatCompletion {
  if (map.size === 0) return completion;
  return {
    ...completion,
    choices: completion.choices.map((choice) => {
      const message = { ...choice.message };
      if (typeof message.content === 'string') message.content = restore(message.content, map);
      if (message.tool_calls)
        message.tool_calls = message.tool_calls.map((call) => ({
          ...call,
          function: {
            ...call.function,
            arguments: restore(call.function.arguments, map, escapeForJsonString),
          },
        }));
      return { ...choice, message };
    }),
  };
}

/**
 * Restores placeholders in a stream of chunks, per choice and per tool call. Text held back at a
 * chunk boundary is released with the next chunk of the same choice, and at the latest with the
 * chunk that carries its finish_reason.
 */
export function createChatChunkRestorer(
  map: RedactionMap,
): (chunk: ChatCompletionChunk) => ChatCompletionChunk {
  if (map.size === 0) return (chunk) => chunk;
  const text = new Map<number, StreamRestorer>();
  const args = new Map<string, StreamRestorer>();
  const toolIndexes = new Map<number, Set<number>>();
  const textOf = (choice: number) => {
    let r = text.get(choice);
    if (!r) text.set(choice, (r = createStreamRestorer(map)));
    return r;
  };
  const argsOf = (choice: number, tool: number) => {
    const key = `${choice}:${tool}`;
    let r = args.get(key);
    if (!r) {
      args.set(key, (r = createStreamRestorer(map, escapeForJsonString)));
      let set = toolIndexes.get(choice);
      if (!set) toolIndexes.set(choice, (set = new Set()));
      set.add(tool);
    }
    return r;
  };

  return (chunk) => ({
    ...chunk,
    choices: chunk.choices.map((choice) => {
      const delta: ChatCompletionChunkDelta = { ...choice.delta };
      if (typeof delta.content === 'string') delta.content = textOf(choice.index).push(delta.content);
      if (delta.tool_calls)
        delta.tool_calls = delta.tool_calls.map((call) =>
          call.function?.arguments === undefined
            ? call
            : {
                ...call,
                function: {
                  ...call.function,
                  arguments: argsOf(choice.index, call.index).push(call.function.arguments),
                },
              },
        );
      if (choice.finish_reason !== null) {
        const rest = text.get(choice.index)?.flush() ?? '';
        if (rest) delta.content = (typeof delta.content === 'string' ? delta.content : '') + rest;
        for (const tool of toolIndexes.get(choice.index) ?? []) {
          const tail = argsOf(choice.index, tool).flush();
          if (!tail) continue;
          const calls = (delta.tool_calls ??= []);
          const existing = calls.find((c) => c.index === tool);
          if (existing)
            existing.function = {
              ...existing.function,
              arguments: (existing.function?.arguments ?? '') + tail,
            };
          else calls.push({ index: tool, function: { arguments: tail } });
        }
      }
      return { ...choice, delta };
    }),
  });
}
