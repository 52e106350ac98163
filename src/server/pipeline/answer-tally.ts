import type { ChatCompletion, ChatCompletionChunk, Usage } from '../../spec/chat.js';
import type { AnswerSummary } from '../../spec/provider-adapter.js';

/** One tool call of an answer, assembled from its pieces. */
export interface TalliedToolCall {
  name: string;
  arguments: string;
}

/** An answer reduced to what scorers compare: its text, its tool calls, how it finished. */
export interface AnswerOutput {
  text: string | null;
  toolCalls: TalliedToolCall[];
  finishReason: string | null;
}

/**
 * What an answer produced, gathered as chunks pass by (or from a whole answer), whatever protocol it
 * came in: usage, the visible output (its text for token estimates and the baseline price, its text
 * and tool calls apart for shadow scoring) and how it finished. Only the first choice's content and
 * calls are kept apart; the output text counts every choice.
 */
export class AnswerTally {
  usage: Usage | null = null;
  finishReason: string | null = null;
  private parts: string[] = [];
  private content: string[] = [];
  private calls = new Map<number, TalliedToolCall>();

  observeChunk(chunk: ChatCompletionChunk): void {
    if (chunk.usage) this.usage = chunk.usage;
    for (const choice of chunk.choices) {
      const d = choice.delta;
      const first = choice.index === 0;
      if (typeof d.content === 'string') {
        this.parts.push(d.content);
        if (first) this.content.push(d.content);
      }
      if (d.tool_calls) {
        for (const call of d.tool_calls) {
          if (call.function?.name) this.parts.push(call.function.name);
          if (call.function?.arguments) this.parts.push(call.function.arguments);
          if (first) this.toolCall(call.index, call.function?.name, call.function?.arguments);
        }
      }
      if (choice.finish_reason && (first || this.finishReason === null))
        this.finishReason = choice.finish_reason;
    }
  }

  observeCompletion(completion: ChatCompletion): void {
    this.usage = completion.usage ?? null;
    completion.choices.forEach((choice, i) => {
      const m = choice.message;
      if (typeof m.content === 'string') {
        this.parts.push(m.content);
        if (i === 0) this.content.push(m.content);
      }
      (m.tool_calls ?? []).forEach((call, j) => {
        this.parts.push(call.function.name, call.function.arguments);
        if (i === 0) this.toolCall(j, call.function.name, call.function.arguments);
      });
      if (choice.finish_reason && (i === 0 || this.finishReason === null))
        this.finishReason = choice.finish_reason;
    });
  }

  /** A native answer or event, already read by the adapter that understands its protocol. */
  observeSummary(summary: AnswerSummary): void {
    if (summary.usage) this.usage = summary.usage;
    if (summary.text) this.parts.push(summary.text);
    if (summary.finishReason) this.finishReason = summary.finishReason;
    if (summary.toolCall)
      this.toolCall(summary.toolCall.index, summary.toolCall.name, summary.toolCall.arguments);
    else if (summary.text) this.content.push(summary.text);
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
      if (typeof choice.text === 'string') {
        this.parts.push(choice.text);
        if ((choice.index ?? 0) === 0) this.content.push(choice.text);
      }
      if (typeof choice.finish_reason === 'string') this.finishReason = choice.finish_reason;
    }
  }

  outputText(): string {
    return this.parts.join('');
  }

  /** The first answer as scorers read it. */
  output(): AnswerOutput {
    return {
      text: this.content.length ? this.content.join('') : null,
      toolCalls: [...this.calls.entries()].sort((a, b) => a[0] - b[0]).map(([, call]) => call),
      finishReason: this.finishReason,
    };
  }

  private toolCall(index: number, name: string | undefined, args: string | undefined): void {
    let call = this.calls.get(index);
    if (!call) this.calls.set(index, (call = { name: '', arguments: '' }));
    if (name) call.name += name;
    if (args) call.arguments += args;
  }
}
