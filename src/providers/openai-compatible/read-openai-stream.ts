import { UpstreamError } from '../../spec/gateway-error.js';
import type { SseEvent } from '../../sse/parse-sse.js';
import { isRecord } from '../upstream-body.js';
import { protocolFailure } from '../upstream-failure.js';
import { readOpenAIError } from './read-openai-error.js';

/**
 * Parsed JSON events of an OpenAI-style stream, up to `data: [DONE]`. An error object sent inside the
 * stream (vLLM and OpenAI send `data: {"error": {...}}` after a 200) is thrown as an UpstreamError.
 * A stream that ends before `[DONE]` and before any choice finished was cut off, and says so.
 * Chunks are checked by hand rather than by schema: this runs for every token.
 */
export async function* readOpenAIStream(
  events: AsyncIterable<SseEvent>,
  deployment: string,
  kind: 'chat' | 'completions' = 'chat',
): AsyncGenerator<Record<string, unknown>, void, undefined> {
  let done = false;
  let finished = false;
  for await (const event of events) {
    // Read on to the end after [DONE] so the socket returns to the pool instead of being closed.
    if (done) continue;
    const data = event.data;
    if (data === '[DONE]') {
      done = true;
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      throw protocolFailure(
        deployment,
        'upstream stream sent an event that is not JSON',
        data.slice(0, 2000),
      );
    }
    if (!isRecord(parsed))
      throw protocolFailure(deployment, 'upstream stream sent a non-object event', parsed);
    if (event.event === 'error' || isErrorEvent(parsed)) throw streamedFailure(deployment, parsed, data);
    const choices = parsed.choices;
    if (Array.isArray(choices)) {
      for (const choice of choices) {
        if (!isRecord(choice))
          throw protocolFailure(deployment, 'upstream stream sent a choice that is not an object', parsed);
        if (kind === 'chat') {
          // Some servers leave `delta` out of a chunk that only carries a finish reason.
          if (choice.delta == null) choice.delta = {};
          else if (!isRecord(choice.delta))
            throw protocolFailure(deployment, 'upstream stream sent a delta that is not an object', parsed);
        }
        if (choice.finish_reason != null) finished = true;
      }
    } else if (choices == null) {
      // vLLM has sent the usage-only chunk with `choices: null`; the OpenAI shape is an empty list.
      parsed.choices = [];
    } else {
      throw protocolFailure(deployment, 'upstream stream sent a chunk whose choices are not a list', parsed);
    }
    yield parsed;
  }
  if (!done && !finished)
    throw protocolFailure(deployment, 'upstream stream ended before the answer finished');
}

function isErrorEvent(event: Record<string, unknown>): boolean {
  return (event.error != null && event.choices === undefined) || event.object === 'error';
}

/**
 * An error reported inside a 200 response: no HTTP status to go by, so a numeric `code` (vLLM) or an
 * `invalid_request_error` type (OpenAI) stands in for one.
 */
export function streamedFailure(deployment: string, payload: unknown, text: string): UpstreamError {
  const info = readOpenAIError(payload, text, undefined);
  const status = info.statusCode ?? (info.type === 'invalid_request_error' ? 400 : undefined);
  const kind =
    info.kind ??
    (status === 429 ? 'rate_limited' : status !== undefined && status < 500 ? 'http_4xx' : 'http_5xx');
  return new UpstreamError({ kind, message: info.message, deployment, status, upstreamBody: payload });
}
