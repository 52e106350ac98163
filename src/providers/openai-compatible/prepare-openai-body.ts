import type { VendorQuirks } from '../../config/schema/vendor-schema.js';

export type OpenAIEndpoint = 'chat' | 'completions' | 'embeddings';

/**
 * The fields dropped from a client body for one vendor and call shape, computed once per deployment so
 * the per-request copy is a single loop.
 */
export interface BodyPlan {
  skip: ReadonlySet<string>;
  /** Rename the output limit to the field the vendor understands. */
  renameMaxTokens?: { from: string; to: string };
  streamUsage: boolean;
}

export function planOpenAIBody(quirks: VendorQuirks, endpoint: OpenAIEndpoint, stream: boolean): BodyPlan {
  const skip = new Set<string>(quirks.rejects);
  skip.add('model');
  // OpenAI rejects stream_options on non-streaming calls; streaming calls get ours.
  skip.add('stream');
  skip.add('stream_options');
  let renameMaxTokens: BodyPlan['renameMaxTokens'];
  if (endpoint === 'chat' && quirks.maxTokensField !== undefined) {
    const from = quirks.maxTokensField === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens';
    renameMaxTokens = { from, to: quirks.maxTokensField };
  }
  return { skip, renameMaxTokens, streamUsage: stream && quirks.supportsStreamUsage };
}

/**
 * The body sent upstream: the client's fields (unknown ones included) minus what the vendor rejects,
 * with the deployment's model and, for streams, `stream_options.include_usage` so streamed calls
 * report the same tokens as non-streamed ones.
 */
export function prepareOpenAIBody(
  body: Record<string, unknown>,
  model: string,
  plan: BodyPlan,
  stream: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = { model };
  for (const key in body) {
    if (!plan.skip.has(key)) out[key] = body[key];
  }
  const rename = plan.renameMaxTokens;
  if (rename !== undefined && out[rename.from] != null) {
    if (out[rename.to] == null) out[rename.to] = out[rename.from];
    delete out[rename.from];
  }
  if (stream) {
    out.stream = true;
    if (plan.streamUsage) {
      const clientOptions = body.stream_options;
      out.stream_options =
        typeof clientOptions === 'object' && clientOptions !== null
          ? { ...clientOptions, include_usage: true }
          : { include_usage: true };
    }
  }
  return out;
}
