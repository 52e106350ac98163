import { z } from 'zod';
import { integer, jsonObjectSchema } from '../common-schemas.js';

/**
 * `POST /v1/messages` as the Anthropic SDK sends it (https://docs.anthropic.com/en/api/messages),
 * limited to what a chat-completions backend can serve. Built once at import.
 */

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

const cacheControl = { cache_control: z.unknown().optional() };

const textBlock = z.looseObject({ type: z.literal('text'), text: z.string(), ...cacheControl });

const imageSource = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
  z.looseObject({ type: z.literal('url'), url: z.string() }),
  z.looseObject({ type: z.literal('file'), file_id: z.string() }),
]);

const imageBlock = z.looseObject({ type: z.literal('image'), source: imageSource, ...cacheControl });

const documentBlock = z.looseObject({
  type: z.literal('document'),
  source: z.looseObject({ type: z.string() }),
  title: nullable(z.string()),
  ...cacheControl,
});

const toolUseBlock = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: jsonObjectSchema,
  ...cacheControl,
});

const toolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z
    .union([z.string(), z.array(z.discriminatedUnion('type', [textBlock, imageBlock, documentBlock]))], {
      error: 'expected a valid string or a list of text, image or document blocks',
    })
    .optional(),
  is_error: z.boolean().optional(),
  ...cacheControl,
});

// Thinking from an earlier turn cannot be given back to a chat backend; it is accepted and dropped.
const thinkingBlock = z.looseObject({ type: z.literal('thinking') });
const redactedThinkingBlock = z.looseObject({ type: z.literal('redacted_thinking') });

export const contentBlockSchema = z.discriminatedUnion('type', [
  textBlock,
  imageBlock,
  documentBlock,
  toolUseBlock,
  toolResultBlock,
  thinkingBlock,
  redactedThinkingBlock,
]);

const messageSchema = z.looseObject({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(contentBlockSchema)], {
    error: 'expected a valid string or a valid list of content blocks',
  }),
});

export const toolSchema = z.looseObject({
  type: nullable(z.string()),
  name: z.string(),
  description: z.string().optional(),
  input_schema: jsonObjectSchema,
  ...cacheControl,
});

const toolChoiceSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({
    type: z.literal('tool'),
    name: z.string(),
    disable_parallel_tool_use: z.boolean().optional(),
  }),
  z.looseObject({ type: z.literal('none') }),
]);

export const messagesRequestSchema = z.looseObject({
  model: z.string(),
  max_tokens: integer().min(1),
  messages: z.array(messageSchema).min(1),
  system: z
    .union([z.string(), z.array(textBlock)], { error: 'expected a valid string or a list of text blocks' })
    .optional(),
  // Tools are checked one by one so a server tool gets its own message.
  tools: z.array(z.looseObject({ name: z.string().optional(), type: nullable(z.string()) })).optional(),
  tool_choice: toolChoiceSchema.optional(),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: integer().min(0).optional(),
  stream: z.boolean().optional(),
  metadata: z.looseObject({ user_id: nullable(z.string()) }).optional(),
  thinking: z.looseObject({ type: z.string() }).optional(),
});

/**
 * Whether the client asked for thinking blocks. Anthropic only returns them then, and clients that
 * did not ask read `content[0]` as the text, so reasoning from open models is shown only on request.
 */
export function wantsThinking(request: MessagesRequest): boolean {
  const type = request.thinking?.type;
  return type === 'enabled' || type === 'adaptive';
}

export type MessagesRequest = z.infer<typeof messagesRequestSchema>;
export type MessagesContentBlock = z.infer<typeof contentBlockSchema>;
export type MessagesTool = z.infer<typeof toolSchema>;
