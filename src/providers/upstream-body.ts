import { parseSse, type SseEvent } from '../sse/parse-sse.js';
import type { UpstreamBody } from './upstream-client.js';
import { protocolFailure, transportFailure } from './upstream-failure.js';

const ERROR_BODY_LIMIT_BYTES = 64 * 1024;

/** Reads an error body, at most 64 KiB of it: enough for any error message, bounded against floods. */
export async function readErrorBody(body: UpstreamBody): Promise<{ text: string; json: unknown }> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buf = chunk as Buffer;
      parts.push(buf);
      size += buf.length;
      // Leaving the loop early destroys the body, which frees the socket.
      if (size >= ERROR_BODY_LIMIT_BYTES) break;
    }
  } catch {
    // A torn error body still has a status worth reporting.
  }
  const text = Buffer.concat(parts).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { text, json };
}

/** Reads a JSON success body; anything that is not JSON is a protocol failure. */
export async function readJsonBody(
  body: UpstreamBody,
  deployment: string,
  signal: AbortSignal,
): Promise<unknown> {
  let text: string;
  try {
    text = await body.text();
  } catch (err) {
    throw transportFailure(deployment, err, signal);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw protocolFailure(
      deployment,
      'upstream answered 200 with a body that is not JSON',
      text.slice(0, 2000),
    );
  }
}

/**
 * The body's server-sent events. Transport failures become UpstreamErrors; when iteration stops before
 * the body ended (the consumer returned, an event was an error, the signal aborted) the body is
 * destroyed, which closes the socket so the upstream sees the disconnect and stops generating.
 */
export async function* readSseEvents(
  body: UpstreamBody,
  deployment: string,
  signal: AbortSignal,
): AsyncGenerator<SseEvent, void, undefined> {
  let ended = false;
  try {
    for await (const event of parseSse(body)) yield event;
    ended = true;
  } catch (err) {
    throw transportFailure(deployment, err, signal);
  } finally {
    if (!ended && !body.destroyed) body.destroy();
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Wraps a stream's generator so that `return()` releases the upstream at once. An async generator
 * queues `return()` behind a pending `next()`, so a consumer giving up on a stalled stream would
 * otherwise hold the socket until the upstream spoke again.
 */
export function releasingIterable<T>(
  generator: AsyncGenerator<T, void, undefined>,
  body: UpstreamBody,
): AsyncIterable<T> & AsyncIterator<T, void, undefined> {
  const iterator: AsyncIterable<T> & AsyncIterator<T, void, undefined> = {
    next: () => generator.next(),
    return: () => {
      if (!body.destroyed) body.destroy();
      return generator.return(undefined);
    },
    throw: (err: unknown) => generator.throw(err),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
