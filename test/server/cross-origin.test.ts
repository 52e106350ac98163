import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * The keyless quick-start gateway holds the upstream's key: a web page the operator happens to visit
 * must not be able to spend through it. Browsers send `Origin` on cross-site requests; the gateway
 * refuses those unless CORS lists the origin, and takes JSON bodies only.
 */

let sim: Simulator;
let open: TestGateway;
let withCors: TestGateway;

const passthrough = (sim: Simulator) => ({
  deployments: [{ id: 'u', baseUrl: sim.url, model: 'passthrough', location: 'internal' as const }],
  passthroughDeployment: 'u',
});

beforeAll(async () => {
  sim = await startSimulator({ model: 'sim' });
  open = await startTestGateway(
    { server: { requireApiKey: false }, ...passthrough(sim) },
    {},
    { masterKey: undefined },
  );
  withCors = await startTestGateway(
    {
      server: { requireApiKey: false, cors: { allowedOrigins: ['https://app.example.com'] } },
      ...passthrough(sim),
    },
    {},
    { masterKey: undefined },
  );
});

afterAll(async () => {
  await open?.close();
  await withCors?.close();
  await sim?.close();
});

const body = JSON.stringify({ model: 'sim', messages: [{ role: 'user', content: 'spend my money' }] });
const chats = () => sim.stats.recent.filter((r) => r.path === '/v1/chat/completions').length;

function post(gw: TestGateway, headers: Record<string, string>, payload = body) {
  return fetch(`${gw.openaiBaseURL}/chat/completions`, { method: 'POST', headers, body: payload });
}

describe('requests from web pages', () => {
  it.each([
    ['a text/plain form post', { 'content-type': 'text/plain', origin: 'https://evil.example' }],
    ['a JSON post', { 'content-type': 'application/json', origin: 'https://evil.example' }],
    ['a sandboxed page', { 'content-type': 'application/json', origin: 'null' }],
  ])('refuses %s from a foreign origin, sending nothing upstream', async (_name, headers) => {
    const before = chats();
    const res = await post(open, headers);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('cross_origin_refused');
    expect(chats()).toBe(before);
  });

  it('refuses a body that is not JSON even without an origin', async () => {
    const res = await post(open, { 'content-type': 'text/plain' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unsupported_content_type');
  });

  it('serves SDKs and servers (no origin) and pages of the gateway itself', async () => {
    expect((await post(open, { 'content-type': 'application/json' })).status).toBe(200);
    const self = new URL(open.url).origin;
    expect((await post(open, { 'content-type': 'application/json', origin: self })).status).toBe(200);
  });

  it('serves a listed origin, preflight included, with the headers a browser needs', async () => {
    const preflight = await fetch(`${withCors.openaiBaseURL}/chat/completions`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type, authorization');

    const res = await post(withCors, {
      'content-type': 'application/json',
      origin: 'https://app.example.com',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('access-control-expose-headers')).toContain('x-switchyard-route');

    const other = await fetch(`${withCors.openaiBaseURL}/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(other.status).toBe(403);
  });
});
