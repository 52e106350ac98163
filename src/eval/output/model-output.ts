import type { ChatCompletion } from '../../spec/chat.js';

/** A function call as a model made it: arguments are the raw JSON text it produced. */
export interface OutputToolCall {
  name: string;
  arguments: string;
}

/** What a model answered, reduced to what scorers read. */
export interface ModelOutput {
  /** The message text; null when the model only called tools (or refused). */
  text: string | null;
  toolCalls: OutputToolCall[];
  finishReason: string | null;
  refusal?: string | null;
}

/** The first choice of a completion as a ModelOutput; content parts are joined. */
export function outputFromCompletion(completion: ChatCompletion): ModelOutput {
  const choice = completion.choices?.[0];
  const message = choice?.message;
  let text: string | null = null;
  if (typeof message?.content === 'string') text = message.content;
  else if (Array.isArray(message?.content))
    text = message.content
      .map((p) => (typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : ''))
      .join('');
  return {
    text,
    toolCalls: (message?.tool_calls ?? []).map((c) => ({
      name: c.function?.name ?? '',
      arguments: c.function?.arguments ?? '',
    })),
    finishReason: choice?.finish_reason ?? null,
    ...(message?.refusal ? { refusal: message.refusal } : {}),
  };
}

/** The output as one line of text for reports and judge prompts: its text, then its calls. */
export function describeOutput(output: ModelOutput): string {
  const parts: string[] = [];
  if (output.text) parts.push(output.text);
  for (const call of output.toolCalls) parts.push(`[call ${call.name}(${call.arguments})]`);
  if (output.refusal) parts.push(`[refusal: ${output.refusal}]`);
  return parts.join('\n');
}
