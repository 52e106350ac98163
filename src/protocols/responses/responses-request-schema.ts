import { z } from 'zod';
import { integer, jsonObjectSchema } from '../common-schemas.js';

/**
 * `POST /v1/responses` as the OpenAI SDK sends it
 * (https://platform.openai.com/docs/api-reference/responses/create), limited to what a stateless
 * chat-completions backend can serve. Built once at import.
 */

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

const inputTextPart = z.looseObject({ type: z.literal('input_text'), text: z.string() });
const inputImagePart = z.looseObject({
  type: z.literal('input_image'),
  image_url: nullable(z.string()),
  file_id: nullable(z.string()),
  detail: z.enum(['auto', 'low', 'high']).optional(),
});
const inputFilePart = z.looseObject({
  type: z.literal('input_file'),
  file_data: z.string().optional(),
  file_id: nullable(z.string()),
  file_url: z.string().optional(),
  filename: z.string().optional(),
});
// Earlier assistant turns come back as the output parts the API produced.
const outputTextPart = z.looseObject({ type: z.literal('output_text'), text: z.string() });
const refusalPart = z.looseObject({ type: z.literal('refusal'), refusal: z.string() });

const inputPart = z.discriminatedUnion('type', [
  inputTextPart,
  inputImagePart,
  inputFilePart,
  outputTextPart,
  refusalPart,
]);

export const messageItemSchema = z.looseObject({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(inputPart)], {
    error: 'expected a string or an array of input content parts',
  }),
});

export const functionCallItemSchema = z.looseObject({
  type: z.literal('function_call'),
  call_id: z.string(),
  name: z.string(),
  arguments: z.string(),
});

export const functionCallOutputItemSchema = z.looseObject({
  type: z.literal('function_call_output'),
  call_id: z.string(),
  output: z.union([z.string(), z.array(inputPart)], {
    error: 'expected a string or an array of input content parts',
  }),
});

export const responsesFunctionToolSchema = z.looseObject({
  type: z.literal('function'),
  name: z.string(),
  description: nullable(z.string()),
  parameters: nullable(jsonObjectSchema),
  strict: nullable(z.boolean()),
});

const textFormatSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    name: z.string(),
    schema: jsonObjectSchema,
    description: z.string().optional(),
    strict: nullable(z.boolean()),
  }),
]);

export const responsesRequestSchema = z.looseObject({
  model: z.string(),
  input: z.union([z.string(), z.array(z.unknown())], {
    error: 'expected a string or an array of input items',
  }),
  instructions: nullable(z.string()),
  tools: nullable(z.array(z.looseObject({ type: z.string() }))),
  tool_choice: nullable(
    z.union(
      [
        z.enum(['none', 'auto', 'required']),
        z.looseObject({ type: z.literal('function'), name: z.string() }),
      ],
      { error: "expected one of 'none', 'auto', 'required' or an object naming a function" },
    ),
  ),
  parallel_tool_calls: nullable(z.boolean()),
  text: nullable(z.looseObject({ format: textFormatSchema.optional() })),
  max_output_tokens: nullable(integer().min(1)),
  temperature: nullable(z.number().min(0).max(2)),
  top_p: nullable(z.number().min(0).max(1)),
  top_logprobs: nullable(integer().min(0).max(20)),
  stream: nullable(z.boolean()),
  store: nullable(z.boolean()),
  user: z.string().optional(),
  safety_identifier: z.string().optional(),
  metadata: nullable(z.record(z.string(), z.string())),
  reasoning: nullable(z.looseObject({ effort: nullable(z.string()) })),
  previous_response_id: nullable(z.string()),
  conversation: z.unknown().optional(),
  background: nullable(z.boolean()),
});

export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;
export type ResponsesMessageItem = z.infer<typeof messageItemSchema>;
export type ResponsesInputPart = z.infer<typeof inputPart>;
export type ResponsesFunctionTool = z.infer<typeof responsesFunctionToolSchema>;
