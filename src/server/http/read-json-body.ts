import type { IncomingMessage } from 'node:http';
import { GatewayError, invalidRequest } from '../../spec/gateway-error.js';

/**
 * Reads and parses a JSON request body, refusing bodies over `maxBytes` before buffering them
 * (413) and malformed JSON (400). Bodies are small and must be parsed anyway to route, so reading
 * them whole here is not a buffering of the response stream.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    req.resume();
    throw tooLarge(maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      req.resume();
      throw tooLarge(maxBytes);
    }
    chunks.push(chunk);
  }
  const text =
    chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
  if (text.length === 0)
    throw invalidRequest('The request body is empty; send a JSON object.', null, 'invalid_json');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw invalidRequest(
      `We could not parse the JSON body of your request: ${(err as Error).message}`,
      null,
      'invalid_json',
    );
  }
}

function tooLarge(maxBytes: number): GatewayError {
  return new GatewayError({
    status: 413,
    type: 'invalid_request_error',
    code: 'request_too_large',
    message: `The request body exceeds the gateway's limit of ${maxBytes} bytes (server.maxBodyBytes).`,
  });
}
