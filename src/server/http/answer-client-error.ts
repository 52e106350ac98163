import type { Duplex } from 'node:stream';

/** Node's clientError: llhttp's code, and the bytes it could not parse. */
type ParserError = Error & { code?: string; rawPacket?: Buffer };

interface ParserFailure {
  status: number;
  reason: string;
  code: string;
  message: string;
}

/**
 * A request line naming a method llhttp does not know (`BREW / HTTP/1.1`): a well-formed token, then
 * a target and a version. llhttp reports anything that does not start with a known method the same
 * way (HPE_INVALID_METHOD), TLS handshakes and stray text included, and those are not requests with
 * an unknown method but not HTTP at all. https://www.rfc-editor.org/rfc/rfc9110#section-5.6.2
 */
const UNKNOWN_METHOD_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ \S+ HTTP\/\d\.\d\r?\n/;

/** What Node's HTTP parser refused, in the terms docs/errors.md uses. https://github.com/nodejs/llhttp */
function classify(err: ParserError): ParserFailure {
  const notHttp =
    err.code === 'HPE_INVALID_METHOD' && !UNKNOWN_METHOD_LINE.test(err.rawPacket?.toString('latin1') ?? '');
  switch (notHttp ? undefined : err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        reason: 'Request Header Fields Too Large',
        code: 'headers_too_large',
        message: 'The request headers are larger than the gateway accepts.',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        reason: 'Request Timeout',
        code: 'request_timeout',
        message: 'The request was not received in time (server.requestTimeoutMs / server.headersTimeoutMs).',
      };
    case 'HPE_INVALID_METHOD':
      return {
        status: 501,
        reason: 'Not Implemented',
        code: 'method_not_supported',
        message: 'The request method is not one the gateway knows.',
      };
    // With both headers llhttp blames whichever came second: Content-Length then Transfer-Encoding
    // is reported as an invalid Transfer-Encoding.
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
    case 'HPE_INVALID_TRANSFER_ENCODING':
      return {
        status: 400,
        reason: 'Bad Request',
        code: 'invalid_content_length',
        message:
          'The request has an invalid Content-Length or Transfer-Encoding, or both Content-Length and Transfer-Encoding.',
      };
    case 'HPE_INVALID_HEADER_TOKEN':
    case 'HPE_INVALID_EOF_STATE':
    case 'HPE_LF_EXPECTED':
    case 'HPE_CR_EXPECTED':
      return {
        status: 400,
        reason: 'Bad Request',
        code: 'invalid_header',
        message: 'A request header contains characters HTTP does not allow (CR, LF or NUL) or is malformed.',
      };
    default:
      return {
        status: 400,
        reason: 'Bad Request',
        code: 'malformed_request',
        message: 'The request is not valid HTTP/1.1.',
      };
  }
}

/**
 * Connections cut because their request was not received in time. Node cuts a trickled body while
 * the gateway's handler is already reading it; the handler looks here to record the cut as the
 * timeout it was rather than as a failure of its own.
 */
const timedOut = new WeakSet<object>();

export function cutForTimeout(socket: object | null): boolean {
  return socket !== null && timedOut.has(socket);
}

/**
 * Answers a request Node's HTTP parser refused (it never reaches the gateway's handler) with an
 * OpenAI-shaped JSON error, as every other failure is answered, then closes the connection.
 */
export function answerClientError(err: ParserError, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const failure = classify(err);
  if (failure.code === 'request_timeout') timedOut.add(socket);
  const body = JSON.stringify({
    error: { message: failure.message, type: 'invalid_request_error', code: failure.code, param: null },
  });
  socket.end(
    `HTTP/1.1 ${failure.status} ${failure.reason}\r\n` +
      'content-type: application/json\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      'connection: close\r\n\r\n' +
      body,
  );
}
