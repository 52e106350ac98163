import { z } from 'zod';
import { integer } from '../common-schemas.js';
import { invalidRequest } from '../../spec/gateway-error.js';
import { issueToInvalidRequest } from '../issue-to-invalid-request.js';
import { promptSchema } from './parse-completions-request.js';

/** https://platform.openai.com/docs/api-reference/embeddings/create */
const embeddingsRequestSchema = z.looseObject({
  model: z.string(),
  input: promptSchema,
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: integer().min(1).optional(),
  user: z.string().optional(),
});

export type EmbeddingsRequest = z.infer<typeof embeddingsRequestSchema>;

/** Validates a `POST /v1/embeddings` body; unknown fields are kept for the upstream. */
export function parseEmbeddingsRequest(body: unknown): EmbeddingsRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw invalidRequest('The request body must be a JSON object.', null, 'invalid_body');
  const result = embeddingsRequestSchema.safeParse(body);
  if (!result.success) throw issueToInvalidRequest(result.error.issues, body, 'openai');
  return result.data;
}
