import type { ServerResponse } from 'node:http';
import { GatewayError, UpstreamError } from '../../spec/gateway-error.js';
import type { RouteExplanation } from '../../spec/request-record.js';
import type { SecretScrubber } from '../../secrets/secret-scrubber.js';
import { toClientError } from '../lifecycle/client-error.js';
import type { Exchange } from '../lifecycle/exchange.js';
import type { StreamPiece } from './endpoint-call.js';
import type { StartedStream } from './execute-attempts.js';

/** The same framing for every streamed endpoint. */
export const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
});

export interface StreamWrite {
  head: StreamPiece[];
  stream: StartedStream;
  headers: Record<string, string>;
  /** The route explanation of the record: the serving attempt is marked when the stream breaks later. */
  route: RouteExplanation;
  /** Keep what was written, for records with bodies. */
  keepTranscript: boolean;
  scrubber: SecretScrubber;
}

/**
 * Writes a started stream to the client piece by piece, waiting for the socket to drain when it is
 * slow, and settles it in its own `finally`. A failure after the first byte ends the stream with an
 * explicit error (never a silent cut or a clean end) and the record is marked truncated; a client
 * that leaves aborts the upstream; a request cut at shutdown tells the client so.
 */
export async function writeStream(ex: Exchange, res: ServerResponse, w: StreamWrite): Promise<void> {
  const { stream } = w;
  const { record } = ex;
  const transcript: string[] | null = w.keepTranscript ? [] : null;
  const write = (text: string): boolean => {
    if (text.length === 0 || res.destroyed) return true;
    transcript?.push(text);
    return res.write(text);
  };
  ex.markFirstByte();
  ex.writeHead(res, 200, { ...SSE_HEADERS, ...w.headers });
  record.status = 200;
  try {
    let writable = true;
    for (const piece of w.head) writable = write(piece.text);
    while (!ex.signal.aborted) {
      if (!writable && !res.destroyed) await drained(res);
      if (ex.signal.aborted) break;
      const piece = await stream.next();
      if (piece === null) break;
      writable = write(piece.text);
    }
    if (ex.signal.aborted) {
      cut(ex, write, stream, w.scrubber);
      return;
    }
    write(stream.end());
  } catch (err) {
    if (ex.signal.aborted) {
      cut(ex, write, stream, w.scrubber);
      return;
    }
    const error = toClientError(err, w.scrubber);
    record.truncated = true;
    record.errorCode = error.code;
    record.finishReason = 'error';
    // The attempt that served the first token failed later: say so where the route is explained.
    const served = w.route.attempts.at(-1);
    if (served) served.outcome = `truncated:${err instanceof UpstreamError ? err.kind : error.code}`;
    write(stream.fail(error));
  } finally {
    stream.settle({ ok: false, abandoned: true });
    if (!res.destroyed) res.end();
    if (transcript) record.responseBody = w.scrubber.scrub(transcript.join(''));
  }
}

/** The client left (nothing more can be said) or shutdown cut the request (the client is told). */
function cut(
  ex: Exchange,
  write: (text: string) => boolean,
  stream: StartedStream,
  scrubber: SecretScrubber,
): void {
  const reason = ex.signal.reason;
  const error = reason instanceof GatewayError ? reason : undefined;
  ex.record.truncated = true;
  ex.record.status = error?.status ?? 499;
  ex.record.errorCode = error?.code ?? 'client_closed_request';
  if (error && error.status !== 499) write(stream.fail(toClientError(error, scrubber)));
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
