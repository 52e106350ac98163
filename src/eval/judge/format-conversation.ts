import type { ChatMessage, ContentPart } from '../../spec/chat.js';
import type { EvalCase } from '../case/eval-case.js';

function contentText(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((p: ContentPart) =>
      p.type === 'text' && typeof p.text === 'string'
        ? p.text
        : `[${p.type === 'image_url' ? 'image' : p.type}]`,
    )
    .join('\n');
}

/** The case's conversation as plain text for a judge: one block per message, tools listed first. */
export function formatConversation(c: EvalCase): string {
  const blocks: string[] = [];
  if (c.tools?.length)
    blocks.push(
      `Tools available:\n${c.tools
        .map((t) => `- ${t.function.name}${t.function.description ? `: ${t.function.description}` : ''}`)
        .join('\n')}`,
    );
  for (const m of c.messages) {
    const calls = (m.tool_calls ?? []).map((tc) => `[call ${tc.function.name}(${tc.function.arguments})]`);
    const text = [contentText(m.content), ...calls].filter(Boolean).join('\n');
    blocks.push(`${m.role.toUpperCase()}: ${text}`);
  }
  return blocks.join('\n\n');
}
