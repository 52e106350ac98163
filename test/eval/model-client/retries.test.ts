import { describe, expect, it } from 'vitest';
import { servedByFromRouteHeader } from '../../../src/eval/model-client/gateway-model-client.js';
import { ModelCallError } from '../../../src/eval/model-client/model-client.js';
import { backoffMs, withRetries } from '../../../src/eval/model-client/retrying-model-client.js';
import { openaiBaseUrl } from '../../../src/eval/run/gateway-connection.js';
import { fakeClient } from '../run/fake-client.js';

const http = (status: number, retryAfterMs: number | null = null) =>
  new ModelCallError({ kind: 'http', status, message: `status ${status}`, retryAfterMs });

describe('withRetries', () => {
  it('retries 429, 5xx, timeouts and lost connections with growing, jittered delays', async () => {
    const errors = [http(429), http(502), new ModelCallError({ kind: 'timeout', message: 't' })];
    const slept: number[] = [];
    const client = withRetries(
      fakeClient(() => errors.shift() ?? 'ok'),
      { retries: 3, baseDelayMs: 100, sleep: async (ms) => void slept.push(ms), random: () => 1 },
    );
    const call = await client.chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    expect(call.attempts).toBe(4);
    // Equal jitter with random() = 1: the full exponential delay, 100, 200, 400 ms.
    expect(slept).toEqual([100, 200, 400]);
  });

  it('waits as long as Retry-After asks, up to the ceiling', () => {
    const policy = { retries: 3, baseDelayMs: 100, maxDelayMs: 5000 };
    expect(backoffMs(1, http(429, 2000), policy, () => 0)).toBe(2000);
    expect(backoffMs(1, http(429, 60_000), policy, () => 0)).toBe(5000);
    expect(backoffMs(1, http(500), policy, () => 0)).toBe(50);
  });

  it('returns other errors at once and gives up after the last retry', async () => {
    let calls = 0;
    const bad = withRetries(
      fakeClient(() => {
        calls++;
        return http(400);
      }),
      { retries: 5, sleep: async () => {} },
    );
    await expect(bad.chat({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
      status: 400,
      attempts: 1,
    });
    expect(calls).toBe(1);
    const down = withRetries(
      fakeClient(() => http(503)),
      { retries: 2, sleep: async () => {} },
    );
    await expect(down.chat({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject(
      {
        status: 503,
        attempts: 3,
      },
    );
  });
});

describe('gateway addresses', () => {
  it('reads the serving deployment from x-switchyard-route and normalises base URLs', () => {
    expect(servedByFromRouteHeader('route=default; target=llama-local; kind=deployment')).toBe('llama-local');
    expect(servedByFromRouteHeader(null)).toBeNull();
    expect(openaiBaseUrl('http://127.0.0.1:4000')).toBe('http://127.0.0.1:4000/v1');
    expect(openaiBaseUrl('http://127.0.0.1:4000/v1/')).toBe('http://127.0.0.1:4000/v1');
    expect(() => openaiBaseUrl('localhost 4000')).toThrow(/must be a URL/);
  });
});
