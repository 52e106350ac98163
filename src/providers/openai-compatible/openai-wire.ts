import { z } from 'zod';

/**
 * The parts of OpenAI-compatible answers the gateway reads, as loose schemas: every other field
 * passes through untouched, but a 200 whose shape we depend on is checked here, at the edge, so a
 * malformed answer becomes a `protocol` failure that can fall back instead of a TypeError later.
 * https://platform.openai.com/docs/api-reference/chat/object
 */

const usageSchema = z
  .looseObject({
    prompt_tokens: z.number().nullish(),
    completion_tokens: z.number().nullish(),
    total_tokens: z.number().nullish(),
  })
  .nullish();

const toolCallSchema = z.looseObject({
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

const chatMessageSchema = z.looseObject({
  content: z.union([z.string(), z.array(z.unknown())]).nullish(),
  tool_calls: z.array(toolCallSchema).nullish(),
  refusal: z.string().nullish(),
});

export const chatCompletionSchema = z.looseObject({
  choices: z.array(z.looseObject({ message: chatMessageSchema, finish_reason: z.string().nullish() })),
  usage: usageSchema,
});

/** https://platform.openai.com/docs/api-reference/completions/object */
export const textCompletionSchema = z.looseObject({
  choices: z.array(z.looseObject({ text: z.string(), finish_reason: z.string().nullish() })),
  usage: usageSchema,
});

/**
 * https://platform.openai.com/docs/api-reference/embeddings/object: a list of vectors, or base64
 * strings when the client asked for `encoding_format: base64`.
 */
export const embeddingsSchema = z.looseObject({
  data: z.array(z.looseObject({ embedding: z.union([z.array(z.number()), z.string()]) })),
  usage: usageSchema,
});

/** https://platform.openai.com/docs/api-reference/models/list */
export const modelListSchema = z.looseObject({
  data: z.array(z.looseObject({ id: z.string() })),
});
