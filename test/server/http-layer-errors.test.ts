import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import { openConnection } from '../support/raw-http.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * Requests Node's HTTP parser refuses before the gateway's handler sees them. Clients parse every
 * error body as OpenAI's JSON error (docs/errors.md, "HTTP-layer errors"); Node's own answer is a
 * bare status line, which SDKs and proxies report as an unparseable response.
 */

let sim: Simulator;
let gw: TestGateway;

beforeAll(async () => {
  sim = await startSimulator({ model: 'llama-sim', outputTokens: 4 });
  gw = await startTestGateway({
    deployments: [{ id: 'llama', baseUrl: sim.url, model: 'llama-sim', location: 'internal' }],
    models: [{ name: 'llama', deployments: ['llama'] }],
  });
});

afterAll(async () => {
  await gw?.close();
  await sim?.close();
});

const GET = 'GET /healthz HTTP/1.1\r\nHost: gateway\r\n';
const POST = `POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer ${MASTER_KEY}\r\nContent-Type: application/json\r\n`;

const cases: Array<[what: string, status: number, code: string, request: string | Uint8Array]> = [
  ['a CR inside a header value', 400, 'invalid_header', `${GET}X-Note: one\rtwo\r\n\r\n`],
  ['a bare LF inside a header value', 400, 'invalid_header', `${GET}X-Note: one\ntwo\r\n\r\n`],
  ['a NUL inside a header value', 400, 'invalid_header', `${GET}X-Note: one\0two\r\n\r\n`],
  [
    'Content-Length, then Transfer-Encoding',
    400,
    'invalid_content_length',
    `${POST}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
  ],
  [
    'Transfer-Encoding, then Content-Length',
    400,
    'invalid_content_length',
    `${POST}Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n`,
  ],
  ['Content-Length: -1', 400, 'invalid_content_length', `${POST}Content-Length: -1\r\n\r\n{}`],
  ['32 KB of headers', 431, 'headers_too_large', `${GET}X-Padding: ${'a'.repeat(32 * 1024)}\r\n\r\n`],
  [
    'an unknown method',
    501,
    'method_not_supported',
    'BREW /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\n\r\n',
  ],
  ['a garbage request line', 400, 'malformed_request', 'hello gateway\r\n\r\n'],
  ['an unknown protocol version', 400, 'malformed_request', 'GET /healthz HTTX/1.1\r\nHost: gateway\r\n\r\n'],
  // What a client speaking TLS to the plain-HTTP port sends first.
  [
    'a TLS ClientHello',
    400,
    'malformed_request',
    Uint8Array.of(0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03),
  ],
];

describe('HTTP-layer errors', () => {
  it.each(cases)(
    '%s: %i %s as an OpenAI-shaped JSON error, then the connection is closed',
    async (_, status, code, request) => {
      const conn = await openConnection(gw.url);
      conn.write(typeof request === 'string' ? Buffer.from(request, 'latin1') : request);
      const res = await conn.response();
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.headers.connection).toBe('close');
      const body = JSON.parse(res.body) as { error: Record<string, unknown> };
      expect(body).toEqual({
        error: { message: expect.any(String), type: 'invalid_request_error', code, param: null },
      });
      await conn.closed;
    },
  );
});

describe('a method the path does not take', () => {
  const client = () => new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
  const failure = (call: Promise<unknown>) =>
    call.then(
      () => {
        throw new Error('expected the request to be refused');
      },
      (err: unknown) => err as InstanceType<typeof OpenAI.APIError>,
    );

  it('is 405 method_not_allowed with Allow, on the model list and on the API endpoints', async () => {
    const sdk = client();
    const cases = [
      ['POST /v1/models', () => sdk.post('/models', { body: {} }), 'GET'],
      ['DELETE /v1/models/llama', () => sdk.delete('/models/llama'), 'GET'],
      ['DELETE /v1/chat/completions', () => sdk.delete('/chat/completions'), 'POST'],
      ['GET /v1/embeddings', () => sdk.get('/embeddings'), 'POST'],
    ] as const;
    for (const [what, call, allow] of cases) {
      const err = await failure(call());
      expect(err.status, what).toBe(405);
      expect(err.code, what).toBe('method_not_allowed');
      expect(err.type, what).toBe('invalid_request_error');
      expect(err.headers?.get('allow'), what).toBe(allow);
    }
  });

  it('is 405 with Allow: GET on health, readiness and metrics', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const res = await fetch(`${gw.url}${path}`, { method: 'POST' });
      expect(res.status, path).toBe(405);
      expect(res.headers.get('allow'), path).toBe('GET');
      expect(((await res.json()) as { error: { code: string } }).error.code, path).toBe('method_not_allowed');
    }
  });
});
