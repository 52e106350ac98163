import { z } from 'zod';
import { integer, jsonObjectSchema } from '../common-schemas.js';

/**
 * The Chat Completions request as OpenAI documents it
 * (https://platform.openai.com/docs/api-reference/chat/create), checked only as far as the gateway
 * and its clients rely on it. Objects are loose so vendor extensions (vLLM's `top_k`,
 * `guided_json`, ...) reach OpenAI-compatible upstreams untouched. Built once at import.
 */

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

const CHAT_ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'] as const;

const imageUrlSchema = z.looseObject({
  url: z.string(),
  detail: z.enum(['auto', 'low', 'high']).optional(),
});

const inputAudioSchema = z.looseObject({ data: z.string(), format: z.string() });

/** Which field each known part type carries; part types we do not know ride along untouched. */
const PART_PAYLOAD: Readonly<Record<string, string>> = {
  text: 'text',
  image_url: 'image_url',
  input_audio: 'input_audio',
  refusal: 'refusal',
  file: 'file',
};

export const contentPartSchema = z
  .looseObject({
    type: z.string(),
    text: z.string().optional(),
    image_url: imageUrlSchema.optional(),
    input_audio: inputAudioSchema.optional(),
    refusal: z.string().optional(),
    file: z.looseObject({}).optional(),
  })
  .superRefine((part, ctx) => {
    const payload = PART_PAYLOAD[part.type];
    if (payload !== undefined && part[payload] === undefined)
      ctx.addIssue({ code: 'custom', path: [payload], params: { kind: 'missing' }, message: 'missing' });
  });

export const messageContentSchema = z.union([z.string(), z.array(contentPartSchema)], {
  error: 'expected a string or an array of content parts',
});

const toolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal('function'),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

export const chatMessageSchema = z.looseObject({
  role: z.enum(CHAT_ROLES),
  content: nullable(messageContentSchema),
  name: z.string().optional(),
  tool_calls: nullable(z.array(toolCallSchema)),
  tool_call_id: z.string().optional(),
});

export const functionToolSchema = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string(),
    description: z.string().optional(),
    parameters: jsonObjectSchema.optional(),
    strict: nullable(z.boolean()),
  }),
});

export const toolChoiceSchema = z.union(
  [
    z.enum(['none', 'auto', 'required']),
    z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) }),
  ],
  { error: "expected one of 'none', 'auto', 'required' or an object naming a function" },
);

export const responseFormatSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    json_schema: z.looseObject({
      name: z.string(),
      description: z.string().optional(),
      schema: jsonObjectSchema.optional(),
      strict: nullable(z.boolean()),
    }),
  }),
]);

const positiveInt = nullable(integer().min(1));

export const chatRequestSchema = z.looseObject({
  model: z.string(),
  messages: z.array(chatMessageSchema).min(1),
  stream: nullable(z.boolean()),
  stream_options: nullable(z.looseObject({ include_usage: z.boolean().optional() })),
  tools: nullable(z.array(functionToolSchema)),
  tool_choice: nullable(toolChoiceSchema),
  parallel_tool_calls: nullable(z.boolean()),
  response_format: nullable(responseFormatSchema),
  max_tokens: positiveInt,
  max_completion_tokens: positiveInt,
  temperature: nullable(z.number().min(0).max(2)),
  top_p: nullable(z.number().min(0).max(1)),
  presence_penalty: nullable(z.number().min(-2).max(2)),
  frequency_penalty: nullable(z.number().min(-2).max(2)),
  n: nullable(integer().min(1).max(128)),
  seed: nullable(integer()),
  logprobs: nullable(z.boolean()),
  top_logprobs: nullable(integer().min(0).max(20)),
  stop: nullable(
    z.union([z.string(), z.array(z.string()).max(4)], {
      error: 'expected a string or an array of at most 4 strings',
    }),
  ),
  user: z.string().optional(),
  metadata: nullable(z.record(z.string(), z.string())),
});
