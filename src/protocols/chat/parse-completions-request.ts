import { z } from 'zod';
import { integer } from '../common-schemas.js';
import { invalidRequest } from '../../spec/gateway-error.js';
import { issueToInvalidRequest } from '../issue-to-invalid-request.js';

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

/** Text, texts, token ids or lists of token ids, as the legacy completions and embeddings APIs take. */
export const promptSchema = z.union(
  [
    z.string(),
    z.array(z.string()).min(1),
    z.array(integer()).min(1),
    z.array(z.array(integer()).min(1)).min(1),
  ],
  { error: 'expected a string, an array of strings, an array of tokens or an array of token arrays' },
);

/** https://platform.openai.com/docs/api-reference/completions/create */
const completionsRequestSchema = z.looseObject({
  model: z.string(),
  prompt: promptSchema,
  max_tokens: nullable(integer().min(0)),
  temperature: nullable(z.number().min(0).max(2)),
  top_p: nullable(z.number().min(0).max(1)),
  n: nullable(integer().min(1).max(128)),
  best_of: nullable(integer().min(0).max(20)),
  logprobs: nullable(integer().min(0).max(5)),
  echo: nullable(z.boolean()),
  seed: nullable(integer()),
  stream: nullable(z.boolean()),
  stream_options: nullable(z.looseObject({ include_usage: z.boolean().optional() })),
  stop: nullable(
    z.union([z.string(), z.array(z.string()).max(4)], {
      error: 'expected a string or an array of at most 4 strings',
    }),
  ),
  suffix: nullable(z.string()),
  user: z.string().optional(),
});

export type CompletionsRequest = z.infer<typeof completionsRequestSchema>;

/** Validates a `POST /v1/completions` body; unknown fields are kept for the upstream. */
export function parseCompletionsRequest(body: unknown): CompletionsRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw invalidRequest('The request body must be a JSON object.', null, 'invalid_body');
  const result = completionsRequestSchema.safeParse(body);
  if (!result.success) throw issueToInvalidRequest(result.error.issues, body, 'openai');
  return result.data;
}
