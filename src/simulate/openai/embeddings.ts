import type { Exchange } from '../exchange.js';
import { applyEarlyFault } from '../fault-injection.js';
import { optionalCount, requireModelBody } from '../request-checks.js';
import { hashString, seededRandom } from '../seeded-random.js';
import { badRequest } from '../sim-error.js';
import { countTextTokens } from '../token-pieces.js';

/** A unit vector that depends only on the model, the input and the size. */
export function embeddingVector(model: string, input: string, dimensions: number): Float32Array {
  const random = seededRandom(hashString(input, hashString(model)));
  const v = new Float32Array(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    const x = random() * 2 - 1;
    v[i] = x;
    norm += x * x;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < dimensions; i++) v[i] /= norm;
  return v;
}

function inputs(value: unknown): { texts: string[]; tokens: number } {
  if (typeof value === 'string') return { texts: [value], tokens: countTextTokens(value) };
  if (Array.isArray(value) && value.length) {
    if (value.every((x) => typeof x === 'string'))
      return { texts: value, tokens: value.reduce((n, x) => n + countTextTokens(x), 0) };
    if (value.every((x) => typeof x === 'number')) return { texts: [value.join(',')], tokens: value.length };
    if (value.every((x) => Array.isArray(x) && x.every((t) => typeof t === 'number')))
      return {
        texts: value.map((x: number[]) => x.join(',')),
        tokens: value.reduce((n, x: number[]) => n + x.length, 0),
      };
  }
  throw badRequest("'input' must be a non-empty string, array of strings or array of token arrays", 'input');
}

/** POST /v1/embeddings; honours `dimensions` and `encoding_format: base64` (the openai SDK's default). */
export async function embeddings(ex: Exchange): Promise<void> {
  const { body, model } = requireModelBody(ex);
  const { texts, tokens } = inputs(body.input);
  const dimensions = optionalCount(body, 'dimensions', 1) ?? ex.behaviour.embeddingDimensions;
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64')
    throw badRequest("encoding_format must be 'float' or 'base64'", 'encoding_format');
  ex.chooseFault();
  if (await applyEarlyFault(ex, tokens)) return;
  if (!(await ex.admit())) return;
  if (!(await ex.waitFirstToken())) return;
  const result = {
    object: 'list',
    data: texts.map((text, index) => {
      const v = embeddingVector(model, text, dimensions);
      return {
        object: 'embedding',
        index,
        embedding:
          format === 'base64'
            ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')
            : Array.from(v),
      };
    }),
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
  if (ex.fault === 'dieMidStream') return ex.sendTruncatedJson(result);
  ex.succeed(tokens, 0);
  ex.sendJson(200, result);
}
