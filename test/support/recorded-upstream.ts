/**
 * A fake upstream for tests: a node:http server on 127.0.0.1 (random port) that replays recorded
 * vendor responses byte for byte and records every request it receives.
 *
 *   const upstream = await startRecordedUpstream({
 *     'POST /v1/chat/completions': { json: fixtureJson('openai/chat-completion.json') },
 *     'POST /v1/messages': { chunks: sseChunks(readFixture('anthropic/stream.sse')) },
 *   });
 *   // point a deployment at `${upstream.url}/v1`, make calls, then:
 *   upstream.requests[0].body;            // the parsed JSON the gateway sent
 *   await upstream.requests[0].closed;    // { aborted: true } when the client hung up early
 *   await upstream.close();
 *
 * Routes are keyed `METHOD /pathname` (the query string is recorded but not matched). A route is one
 * reply, a list of replies served in turn (the last one repeats), or a function of the request.
 * Unknown routes answer 404 in the OpenAI error shape.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** One piece of a streamed body, optionally written after a pause. */
export type ReplyChunk = string | Uint8Array | { bytes: string | Uint8Array; delayMs?: number };

export interface RecordedReply {
  /** Default 200. */
  status?: number;
  /** Sent as given (plus a content-type when `json` or `chunks` is used and none is set). */
  headers?: Record<string, string>;
  /** A JSON body, serialised with JSON.stringify. */
  json?: unknown;
  /** A raw body, written in one piece. */
  body?: string | Uint8Array;
  /** A raw body written chunk by chunk (SSE); content-type defaults to text/event-stream. */
  chunks?: ReplyChunk[];
  /** Wait this long before sending the status line and headers. */
  headersDelayMs?: number;
  /** Never answer: the request stays open until the client gives up or the server closes. */
  hang?: boolean;
  /** After the chunks, keep the response open (a stream that stalls). */
  holdOpen?: boolean;
  /** After the chunks, destroy the socket without ending the response (a connection reset). */
  resetAfterChunks?: boolean;
}

export type RouteHandler = RecordedReply | RecordedReply[] | ((request: RecordedRequest) => RecordedReply);

export interface RecordedRequest {
  method: string;
  /** Path with query string, as sent. */
  path: string;
  pathname: string;
  query: Record<string, string>;
  /** Lowercased header names. */
  headers: Record<string, string>;
  /** The JSON body parsed, or undefined when it is not JSON. */
  body: unknown;
  rawBody: string;
  /** The client's port: equal ports on two requests mean a kept-alive connection was reused. */
  remotePort: number;
  /** Becomes true when the client closed the connection before the response was complete. */
  aborted: boolean;
  /** Resolves when the exchange is over, saying whether the client aborted it. */
  closed: Promise<{ aborted: boolean }>;
}

export interface RecordedUpstream {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** Every request received, in order of arrival. */
  requests: RecordedRequest[];
  /** Adds or replaces a route. */
  route(key: string, handler: RouteHandler): void;
  /** Resolves with the n-th request (0-based) once it has arrived. */
  waitForRequest(index?: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

export async function startRecordedUpstream(
  routes: Record<string, RouteHandler> = {},
): Promise<RecordedUpstream> {
  const table = new Map<string, RouteHandler>(Object.entries(routes));
  const served = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  const waiters: Array<{ index: number; resolve: (r: RecordedRequest) => void }> = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A broken route function shows up as a 500 the test can see, not as an unhandled rejection.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });
  server.keepAliveTimeout = 5_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parts: Buffer[] = [];
    for await (const chunk of req) parts.push(chunk as Buffer);
    const rawBody = Buffer.concat(parts).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let body: unknown;
    try {
      body = rawBody === '' ? undefined : JSON.parse(rawBody);
    } catch {
      body = undefined;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    let resolveClosed: (v: { aborted: boolean }) => void = () => {};
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      pathname: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
      rawBody,
      remotePort: req.socket.remotePort ?? 0,
      aborted: false,
      closed: new Promise((resolve) => (resolveClosed = resolve)),
    };
    res.on('close', () => {
      if (!res.writableFinished) recorded.aborted = true;
      resolveClosed({ aborted: recorded.aborted });
    });
    requests.push(recorded);
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i].index === requests.length - 1) {
        waiters[i].resolve(recorded);
        waiters.splice(i, 1);
      }
    }

    const key = `${recorded.method} ${recorded.pathname}`;
    const handler = table.get(key);
    if (handler === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            message: `no recorded route for ${key}`,
            type: 'invalid_request_error',
            code: null,
            param: null,
          },
        }),
      );
      return;
    }
    let reply: RecordedReply;
    if (typeof handler === 'function') reply = handler(recorded);
    else if (Array.isArray(handler)) {
      const n = served.get(key) ?? 0;
      served.set(key, n + 1);
      reply = handler[Math.min(n, handler.length - 1)];
    } else reply = handler;
    await send(reply, res);
  }

  async function send(reply: RecordedReply, res: ServerResponse): Promise<void> {
    if (reply.hang) return;
    if (reply.headersDelayMs) await sleep(reply.headersDelayMs);
    if (res.destroyed) return;
    const headers: Record<string, string> = { ...reply.headers };
    const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
    if (!hasType && reply.json !== undefined) headers['content-type'] = 'application/json';
    if (!hasType && reply.chunks !== undefined) headers['content-type'] = 'text/event-stream';
    res.writeHead(reply.status ?? 200, headers);
    if (reply.chunks === undefined) {
      res.end(reply.json !== undefined ? JSON.stringify(reply.json) : (reply.body ?? ''));
      return;
    }
    res.flushHeaders();
    for (const chunk of reply.chunks) {
      const { bytes, delayMs } =
        typeof chunk === 'string' || chunk instanceof Uint8Array ? { bytes: chunk, delayMs: 0 } : chunk;
      if (delayMs) await sleep(delayMs);
      if (res.destroyed) return;
      res.write(bytes);
    }
    if (reply.resetAfterChunks) {
      // Let the written bytes leave before the reset.
      await sleep(20);
      res.socket?.destroy();
      return;
    }
    if (!reply.holdOpen) res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    route(key, handler) {
      table.set(key, handler);
      served.delete(key);
    },
    waitForRequest(index = 0) {
      const existing = requests[index];
      if (existing !== undefined) return Promise.resolve(existing);
      return new Promise((resolve) => waiters.push({ index, resolve }));
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** A fixture file's text, by path under test/fixtures (`openai/chat-stream.sse`). */
export function readFixture(path: string): string {
  return readFileSync(FIXTURES + path, 'utf8');
}

/** A JSON fixture, parsed. */
export function fixtureJson<T = unknown>(path: string): T {
  return JSON.parse(readFixture(path)) as T;
}

/**
 * Splits raw SSE bytes into chunks to write: by default one per event (each ending with its blank
 * line, as servers flush them); with `everyBytes`, into pieces of that many bytes, which cuts events,
 * lines and multi-byte characters at arbitrary places. `delayMs` pauses before each chunk.
 */
export function sseChunks(
  text: string,
  options: { everyBytes?: number; delayMs?: number } = {},
): ReplyChunk[] {
  const delayMs = options.delayMs ?? 0;
  let pieces: Array<string | Uint8Array>;
  if (options.everyBytes !== undefined) {
    const bytes = Buffer.from(text, 'utf8');
    pieces = [];
    for (let i = 0; i < bytes.length; i += options.everyBytes)
      pieces.push(new Uint8Array(bytes.subarray(i, i + options.everyBytes)));
  } else {
    pieces = text.split(/(?<=\r\n\r\n|\n\n|\r\r)/).filter((p) => p !== '');
  }
  return pieces.map((bytes) => (delayMs ? { bytes, delayMs } : bytes));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
