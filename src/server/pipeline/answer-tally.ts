import type { ChatCompletion, ChatCompletionChunk, Usage } from '../../spec/chat.js';

/**
 * What a response produced, gathered as chunks pass by (or from a whole completion): usage, the
 * visible output text (for token estimation and the baseline price) and how it finished.
 */
export class ChatTally {
  usage: Usage | null = null;
  finishReason: string | null = null;
  private parts: string[] = [];
  model: string | null = null;

  observeChunk(chunk: ChatCompletionChunk): void {
    if (chunk.usage) this.usage = chunk.usage;
    if (this.model === null && chunk.model) this.model = chunk.model;
    for (const choice of chunk.choices) {
      const d = choice.delta;
      if (d) {
        if (typeof d.content === 'string') this.parts.push(d.content);
        if (d.tool_calls) {
          for (const call of d.tool_calls) {
            if (call.function?.name) this.parts.push(call.function.name);
            if (call.function?.arguments) this.parts.push(call.function.arguments);
          }
        }
      }
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
  }

  observeCompletion(completion: ChatCompletion): void {
    this.usage = completion.usage ?? null;
    this.model = completion.model ?? null;
    for (const choice of completion.choices) {
      const m = choice.message;
      if (typeof m?.content === 'string') this.parts.push(m.content);
      for (const call of m?.tool_calls ?? []) this.parts.push(call.function.name, call.function.arguments);
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
  }

  outputText(): string {
    return this.parts.join('');
  }
}
