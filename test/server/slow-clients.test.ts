import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openConnection, type RawConnection } from '../support/raw-http.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * Clients that hold connections without completing requests: a header or a body sent a byte at a
 * time, connections that never say anything, more connections than the gateway takes. Each holds a
 * socket and memory; without limits a few thousand of them exhaust a gateway no request ever reached.
 */

const HEADERS_TIMEOUT_MS = 500;
const REQUEST_TIMEOUT_MS = 1000;
const KEEP_ALIVE_TIMEOUT_MS = 500;
// Node checks the header and request timeouts once a second, so a cut comes up to that much late.
const CHECK_INTERVAL_MS = 1000;
// Node 20.20 closes an idle kept-alive socket a second after the keep-alive timeout it advertises,
// so that a client reusing the connection right at the deadline does not race the close.
const KEEP_ALIVE_MARGIN_MS = 1000;
const LEEWAY_MS = 500;
// One byte every 100 ms: a whole header would take tens of seconds.
const TRICKLE_MS = 100;

let gw: TestGateway;
const opened: RawConnection[] = [];

async function connect(url: string): Promise<RawConnection> {
  const conn = await openConnection(url);
  opened.push(conn);
  return conn;
}

/** When the server closed the connection, relative to `fromMs`, or Infinity if it kept it open past `waitMs`. */
async function closedAfter(conn: RawConnection, fromMs: number, waitMs: number): Promise<number> {
  const at = await Promise.race([conn.closed, sleep(waitMs).then(() => Infinity)]);
  return at - fromMs;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  gw = await startTestGateway({
    server: {
      headersTimeoutMs: HEADERS_TIMEOUT_MS,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: KEEP_ALIVE_TIMEOUT_MS,
    },
  });
});

afterEach(() => {
  for (const conn of opened.splice(0)) conn.destroy();
});

afterAll(async () => {
  await gw?.close();
});

describe('slow clients', () => {
  it('a header trickled a byte at a time is cut at headersTimeoutMs with a 408 JSON error', async () => {
    const conn = await connect(gw.url);
    const started = performance.now();
    const header = `GET /healthz HTTP/1.1\r\nHost: gateway\r\nX-Padding: ${'a'.repeat(200)}\r\n\r\n`;
    const sent = conn.trickle(header, TRICKLE_MS);

    const closedMs = await closedAfter(conn, started, HEADERS_TIMEOUT_MS + CHECK_INTERVAL_MS + 2 * LEEWAY_MS);
    expect(closedMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(closedMs).toBeLessThan(HEADERS_TIMEOUT_MS + CHECK_INTERVAL_MS + LEEWAY_MS);
    expect(await sent).toBeLessThan(header.length);
    const res = await conn.response();
    expect(res.status).toBe(408);
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(res.body)).toMatchObject({
      error: { type: 'invalid_request_error', code: 'request_timeout', param: null },
    });
  });

  it('a body trickled a byte at a time is cut at requestTimeoutMs, and recorded as that timeout', async () => {
    const conn = await connect(gw.url);
    const started = performance.now();
    const body = JSON.stringify({ model: 'any', messages: [{ role: 'user', content: 'x'.repeat(500) }] });
    // The headers arrive at once; only the body is slow.
    conn.write(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer ${MASTER_KEY}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    const sent = conn.trickle(body, TRICKLE_MS);

    const closedMs = await closedAfter(conn, started, REQUEST_TIMEOUT_MS + CHECK_INTERVAL_MS + 2 * LEEWAY_MS);
    expect(closedMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(closedMs).toBeLessThan(REQUEST_TIMEOUT_MS + CHECK_INTERVAL_MS + LEEWAY_MS);
    expect(await sent).toBeLessThan(body.length);
    const res = await conn.response();
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'request_timeout' } });

    // The record says the client was too slow, not that the gateway failed (a 500 would page someone).
    const [record] = (await gw.records()).filter((r) => r.endpoint === 'chat');
    expect(record).toMatchObject({ status: 408, errorCode: 'request_timeout' });
  });

  it('a connection that never sends anything is closed', async () => {
    const conn = await connect(gw.url);
    const started = performance.now();
    const closedMs = await closedAfter(conn, started, HEADERS_TIMEOUT_MS + CHECK_INTERVAL_MS + 2 * LEEWAY_MS);
    expect(closedMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(closedMs).toBeLessThan(HEADERS_TIMEOUT_MS + CHECK_INTERVAL_MS + LEEWAY_MS);
    expect((await conn.response()).status).toBe(408);
  });

  it('a kept-alive connection left idle after its answer is closed at keepAliveTimeoutMs', async () => {
    const conn = await connect(gw.url);
    conn.write('GET /healthz HTTP/1.1\r\nHost: gateway\r\n\r\n');
    expect((await conn.response()).status).toBe(200);
    const answered = performance.now();
    const closedMs = await closedAfter(
      conn,
      answered,
      KEEP_ALIVE_TIMEOUT_MS + KEEP_ALIVE_MARGIN_MS + 2 * LEEWAY_MS,
    );
    expect(closedMs).toBeGreaterThanOrEqual(KEEP_ALIVE_TIMEOUT_MS - 50);
    expect(closedMs).toBeLessThan(KEEP_ALIVE_TIMEOUT_MS + KEEP_ALIVE_MARGIN_MS + LEEWAY_MS);
  });
});

describe('the connection cap', () => {
  const MAX_CONNECTIONS = 4;
  let capped: TestGateway;

  beforeAll(async () => {
    capped = await startTestGateway({ server: { maxConnections: MAX_CONNECTIONS } });
  });

  afterAll(async () => {
    await capped?.close();
  });

  it('closes connections beyond maxConnections at once, and takes new ones when a slot frees up', async () => {
    const held = await Promise.all(Array.from({ length: MAX_CONNECTIONS }, () => connect(capped.url)));
    const extra = await connect(capped.url);
    const started = performance.now();
    expect(await closedAfter(extra, started, 1000)).toBeLessThan(500);
    expect(extra.received).toBe('');
    expect(held.map((c) => c.isClosed)).toEqual(held.map(() => false));

    // The held connections still work.
    held[0].write('GET /healthz HTTP/1.1\r\nHost: gateway\r\n\r\n');
    expect((await held[0].response()).status).toBe(200);

    held[1].destroy();
    await held[1].closed;
    let served = false;
    for (let attempt = 0; attempt < 20 && !served; attempt++) {
      const next = await connect(capped.url);
      next.write('GET /healthz HTTP/1.1\r\nHost: gateway\r\n\r\n');
      served = await next.response().then(
        (res) => res.status === 200,
        () => false,
      );
      if (!served) await sleep(25);
    }
    expect(served).toBe(true);
  });
});
