import type { Duplex } from 'node:stream';

interface ParserFailure {
  status: number;
  reason: string;
  code: string;
  message: string;
}

/** What Node's HTTP parser refused, in the terms docs/errors.md uses. https://github.com/nodejs/llhttp */
function classify(code: string | undefined): ParserFailure {
  switch (code) {
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
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return {
        status: 400,
        reason: 'Bad Request',
        code: 'invalid_content_length',
        message: 'The request has an invalid Content-Length, or both Content-Length and Transfer-Encoding.',
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
 * Answers a request Node's HTTP parser refused (it never reaches the gateway's handler) with an
 * OpenAI-shaped JSON error, as every other failure is answered, then closes the connection.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const failure = classify(err.code);
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
