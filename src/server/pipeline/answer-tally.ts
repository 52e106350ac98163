import type { ChatCompletion, ChatCompletionChunk, Usage } from '../../spec/chat.js';
import type { AnswerSummary } from '../../spec/provider-adapter.js';

/**
 * What an answer produced, gathered as chunks pass by (or from a whole answer), whatever protocol it
 * came in: usage, the visible output text (for token estimates, the baseline price and shadow
 * scoring), the tool calls and how it finished.
 */
export class AnswerTally {
  usage: Usage | null = null;
  finishReason: string | null = null;
  private parts: string[] = [];

  observeChunk(chunk: ChatCompletionChunk): void {
    if (chunk.usage) this.usage = chunk.usage;
    for (const choice of chunk.choices) {
      const d = choice.delta;
      if (typeof d.content === 'string') this.parts.push(d.content);
      if (d.tool_calls) {
        for (const call of d.tool_calls) {
          if (call.function?.name) this.parts.push(call.function.name);
          if (call.function?.arguments) this.parts.push(call.function.arguments);
        }
      }
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
  }

  observeCompletion(completion: ChatCompletion): void {
    this.usage = completion.usage ?? null;
    for (const choice of completion.choices) {
      const m = choice.message;
      if (typeof m.content === 'string') this.parts.push(m.content);
      for (const call of m.tool_calls ?? []) this.parts.push(call.function.name, call.function.arguments);
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
  }

  /** A native answer or event, already read by the adapter that understands its protocol. */
  observeSummary(summary: AnswerSummary): void {
    if (summary.usage) this.usage = summary.usage;
    if (summary.text) this.parts.push(summary.text);
    if (summary.finishReason) this.finishReason = summary.finishReason;
  }

  /** A legacy completions body or chunk, or an embeddings body. */
  observeJson(body: Record<string, unknown>): void {
    const usage = body.usage as Partial<Usage> | null | undefined;
    if (usage && typeof usage === 'object' && typeof usage.prompt_tokens === 'number')
      this.usage = {
        prompt_tokens: usage.prompt_tokens,
        completion_tokens: typeof usage.completion_tokens === 'number' ? usage.completion_tokens : 0,
        total_tokens: typeof usage.total_tokens === 'number' ? usage.total_tokens : usage.prompt_tokens,
        prompt_tokens_details: usage.prompt_tokens_details,
      };
    const choices = body.choices;
    if (!Array.isArray(choices)) return;
    for (const choice of choices as Array<Record<string, unknown>>) {
      if (typeof choice.text === 'string') this.parts.push(choice.text);
      if (typeof choice.finish_reason === 'string') this.finishReason = choice.finish_reason;
    }
  }

  outputText(): string {
    return this.parts.join('');
  }
}
