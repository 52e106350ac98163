import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import { openConnection } from '../support/raw-http.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

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

const cases: Array<[string, string]> = [
  ['cr', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Note: a\rb\r\n\r\n'],
  ['lf', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Note: a\nb\r\n\r\n'],
  ['nul', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Note: a\0b\r\n\r\n'],
  ['clte', 'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
  ['big', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(32 * 1024)}\r\n\r\n`],
  ['brew', 'BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['garbage', 'hello there\r\n\r\n'],
  ['tls', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03'],
  ['garbage2', 'GET / HTTX/1.1\r\n\r\n'],
  ['cl-1', 'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n'],
];

describe('explore', () => {
  it.each(cases)('%s', async (name, req) => {
    const conn = await openConnection(gw.url);
    conn.write(Buffer.from(req, 'latin1'));
    await conn.closed;
    console.log(name, JSON.stringify(conn.received));
  });
});
