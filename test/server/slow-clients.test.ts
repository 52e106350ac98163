import { afterAll, beforeAll, describe, it } from 'vitest';
import { openConnection } from '../support/raw-http.js';
import { startTestGateway, MASTER_KEY, type TestGateway } from '../support/test-gateway.js';

let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway({
    server: { headersTimeoutMs: 500, requestTimeoutMs: 1000, keepAliveTimeoutMs: 500, maxConnections: 3 },
  });
});
afterAll(async () => {
  await gw?.close();
});

describe('explore', () => {
  it('idle', async () => {
    const t0 = performance.now();
    const conn = await openConnection(gw.url);
    const at = await Promise.race([conn.closed, new Promise<number>((r) => setTimeout(() => r(-1), 4000))]);
    console.log('idle closed', at - t0, JSON.stringify(conn.received));
    conn.destroy();
  });
  it('header trickle', async () => {
    const t0 = performance.now();
    const conn = await openConnection(gw.url);
    const sent = await conn.trickle('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ' + 'a'.repeat(100) + '\r\n\r\n', 100);
    const at = await conn.closed;
    console.log('header closed', at - t0, sent, JSON.stringify(conn.received));
  });
  it('body trickle', async () => {
    const t0 = performance.now();
    const conn = await openConnection(gw.url);
    conn.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${MASTER_KEY}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`);
    const sent = await conn.trickle('{"model":"x","messages":[' + ' '.repeat(900), 100);
    const at = await conn.closed;
    console.log('body closed', at - t0, sent, JSON.stringify(conn.received));
    console.log((await gw.records()).map((r) => [r.status, r.errorCode]));
  });
  it('max connections', async () => {
    const conns = await Promise.all([1, 2, 3, 4].map(() => openConnection(gw.url)));
    const t0 = performance.now();
    const at = await Promise.race([conns[3].closed, new Promise<number>((r) => setTimeout(() => r(-1), 400))]);
    console.log('4th closed', at - t0, conns.map((c) => c.isClosed), JSON.stringify(conns[3].received));
    for (const c of conns) c.destroy();
  });
});
