import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { GatewayError, invalidRequest } from '../../spec/gateway-error.js';
import { cutForTimeout } from './answer-client-error.js';
import { exceedsJsonDepth } from './json-depth.js';

export interface BodyLimits {
  maxBytes: number;
  /** Deepest nesting of objects and arrays accepted. */
  maxDepth: number;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Reads and parses a JSON request body. Refused before anything is parsed: a content type other than
 * JSON (as OpenAI's API does; it also keeps browsers from posting to the gateway cross-site without
 * a preflight), bodies over `maxBytes` (413, before buffering them), bytes that are not UTF-8
 * (never silently replaced), and nesting deeper than `maxDepth` (which would otherwise exhaust the
 * stack of whatever walks the body later). Bodies are small and must be parsed anyway to route, so
 * reading them whole here is not a buffering of the response stream.
 */
export async function readJsonBody(req: IncomingMessage, limits: BodyLimits): Promise<unknown> {
  const type = req.headers['content-type'];
  if (type === undefined || !JSON_TYPE.test(type)) {
    req.resume();
    throw invalidRequest(
      `Send the body as JSON with 'Content-Type: application/json'${type ? `, not '${type.slice(0, 80)}'` : ''}.`,
      null,
      'unsupported_content_type',
    );
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limits.maxBytes) {
    req.resume();
    throw tooLarge(limits.maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limits.maxBytes) {
        req.resume();
        throw tooLarge(limits.maxBytes);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    // The body never arrived whole: recorded as the request timeout that cut it, or as the client
    // leaving; otherwise the record would show a 500, an error of the gateway's own.
    throw cutForTimeout(req.socket) ? bodyTimedOut() : bodyAbandoned();
  }
  const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
  if (bytes.length === 0)
    throw invalidRequest('The request body is empty; send a JSON object.', null, 'invalid_json');
  if (!isUtf8(bytes)) throw invalidRequest('The request body is not valid UTF-8.', null, 'invalid_encoding');
  if (exceedsJsonDepth(bytes, limits.maxDepth))
    throw invalidRequest(
      `The request body nests objects and arrays more than ${limits.maxDepth} levels deep (server.maxJsonDepth).`,
      null,
      'json_too_deep',
    );
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw invalidRequest(
      `We could not parse the JSON body of your request: ${(err as Error).message}`,
      null,
      'invalid_json',
    );
  }
}

const bodyTimedOut = () =>
  new GatewayError({
    status: 408,
    type: 'invalid_request_error',
    code: 'request_timeout',
    message: 'The request body was not received in time (server.requestTimeoutMs).',
  });

const bodyAbandoned = () =>
  new GatewayError({
    status: 499,
    type: 'invalid_request_error',
    code: 'client_closed_request',
    message: 'The client closed the connection before sending the whole request body.',
  });

function tooLarge(maxBytes: number): GatewayError {
  return new GatewayError({
    status: 413,
    type: 'invalid_request_error',
    code: 'request_too_large',
    message: `The request body exceeds the gateway's limit of ${maxBytes} bytes (server.maxBodyBytes).`,
  });
}
