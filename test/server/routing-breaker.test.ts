import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * Circuit breakers through the real gateway: repeated failures open a deployment's breaker (seen in
 * GET /admin/backends), traffic then skips it or fails fast, and after the cool-down one probe decides
 * whether it closes again.
 */

const FREE = { inputPerMillionUsd: 0, outputPerMillionUsd: 0 };
// Long enough that a busy machine cannot let it pass between two steps of one test.
const COOLDOWN_MS = 1000;
const NO_RETRY = { max: 0, baseDelayMs: 0, maxDelayMs: 0, deadlineMs: 10_000 };

let flaky: Simulator;
let steady: Simulator;
let gw: TestGateway;
let client: OpenAI;

interface BackendView {
  id: string;
  breaker: string;
  breakerOpens: number;
  inFlight: number;
  requests: number;
  failures: number;
}

beforeEach(async () => {
  [flaky, steady] = await Promise.all([
    startSimulator({ model: 'flaky-sim', outputTokens: 8 }),
    startSimulator({ model: 'steady-sim', outputTokens: 8 }),
  ]);
  const timeouts = { connectMs: 2000, firstTokenMs: 2000, idleMs: 1000, totalMs: 3000 };
  gw = await startTestGateway({
    breaker: {
      consecutiveFailures: 2,
      cooldownMs: COOLDOWN_MS,
      minRequests: 1000,
      halfOpenProbes: 1,
    },
    deployments: [
      { id: 'flaky', baseUrl: flaky.url, model: 'flaky-sim', location: 'internal', timeouts, prices: FREE },
      {
        id: 'steady',
        baseUrl: steady.url,
        model: 'steady-sim',
        location: 'internal',
        timeouts,
        prices: FREE,
      },
    ],
    routes: [
      { id: 'solo', match: { model: 'solo' }, target: { deployment: 'flaky' }, retries: NO_RETRY },
      {
        id: 'pair',
        match: { model: 'pair' },
        target: { fallback: ['flaky', 'steady'] },
        retries: NO_RETRY,
      },
    ],
  });
  client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
});

afterEach(async () => {
  await gw?.close();
  await Promise.all([flaky?.close(), steady?.close()]);
});

async function backend(id: string): Promise<BackendView> {
  const res = await fetch(`${gw.url}/admin/backends`, { headers: { authorization: `Bearer ${MASTER_KEY}` } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { generatedAt: number; deployments: BackendView[] };
  const found = body.deployments.find((d) => d.id === id);
  expect(found).toBeDefined();
  return found!;
}

async function waitForBreaker(id: string, state: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await backend(id)).breaker === state) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`breaker of ${id} never became ${state}`);
}

const ask = (model: string) =>
  client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Status report, please' }] });

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
  );

/** Two 500s in a row: the breaker's threshold. */
async function openFlakyBreaker(): Promise<void> {
  flaky.setBehaviour({ errorRate: 1, errorMode: 'http500' });
  for (let i = 0; i < 2; i++) expect((await failure(ask('solo'))).status).toBe(502);
}

describe('circuit breaker', () => {
  it('opens after consecutive failures, shows as open, and fails fast with 503 while open', async () => {
    expect((await backend('flaky')).breaker).toBe('closed');
    await openFlakyBreaker();

    const view = await backend('flaky');
    expect(view).toMatchObject({ breaker: 'open', breakerOpens: 1, failures: 2 });
    const err = await failure(ask('solo'));
    expect(err.status).toBe(503);
    expect(err.code).toBe('no_backend_available');
    expect(Number(err.headers?.get('retry-after'))).toBeGreaterThan(0);
    // Failing fast means the sick backend was not even asked.
    expect(flaky.stats.requests).toBe(2);
  });

  it('while open, a fallback route goes straight to the next deployment', async () => {
    await openFlakyBreaker();
    const { data, response } = await client.chat.completions
      .create({ model: 'pair', messages: [{ role: 'user', content: 'Status report, please' }] })
      .withResponse();

    expect(data.choices[0].message.content).toContain('[simulated steady-sim]');
    expect(flaky.stats.requests).toBe(2);
    const header = response.headers.get('x-switchyard-route')!;
    expect(header).toContain('target=steady');
    expect(header).not.toContain('fallbacks=');
    const record = (await gw.records()).find((r) => r.id === response.headers.get('x-request-id'));
    expect(record!.route!.attempts.map((a) => a.deployment)).toEqual(['steady']);
  });

  it('a failing backend behind a fallback never fails the application, and is then skipped', async () => {
    flaky.setBehaviour({ errorRate: 1, errorMode: 'http500' });
    for (let i = 0; i < 3; i++) {
      const completion = await ask('pair');
      expect(completion.choices[0].message.content).toContain('[simulated steady-sim]');
    }
    // Two failures opened the breaker; the third request did not wait on the sick backend.
    expect(flaky.stats.requests).toBe(2);
    expect(await backend('flaky')).toMatchObject({ breaker: 'open', failures: 2 });
    expect(await backend('steady')).toMatchObject({ breaker: 'closed', requests: 3, failures: 0 });
  });

  it('GET /admin/backends needs the master key', async () => {
    const res = await fetch(`${gw.url}/admin/backends`, {
      headers: { authorization: 'Bearer sk-someone-else' },
    });
    expect([401, 403]).toContain(res.status);
  });

  it('after the cool-down a half-open probe goes through, and its success closes the breaker', async () => {
    await openFlakyBreaker();
    flaky.setBehaviour({ errorRate: 0 });
    await waitForBreaker('flaky', 'half_open');

    const completion = await ask('solo');
    expect(completion.choices[0].message.content).toContain('[simulated flaky-sim]');
    expect(flaky.stats.requests).toBe(3);
    expect((await backend('flaky')).breaker).toBe('closed');
    // Closed again: ordinary traffic flows.
    await ask('solo');
    expect(flaky.stats.requests).toBe(4);
  });

  it('a failed probe re-opens the breaker for another cool-down', async () => {
    await openFlakyBreaker();
    await waitForBreaker('flaky', 'half_open');

    expect((await failure(ask('solo'))).status).toBe(502);
    expect(flaky.stats.requests).toBe(3);
    expect(await backend('flaky')).toMatchObject({ breaker: 'open', breakerOpens: 2 });
    expect((await failure(ask('solo'))).code).toBe('no_backend_available');
    expect(flaky.stats.requests).toBe(3);
  });

  it('half-open lets one probe through at a time; the others fail fast', async () => {
    await openFlakyBreaker();
    // A slow, healthy backend keeps the probe in flight while the second request arrives.
    flaky.setBehaviour({ errorRate: 0, ttftMs: 1500 });
    await waitForBreaker('flaky', 'half_open');

    const probe = ask('solo');
    // Wait until the probe has reached the backend, so it certainly holds the only slot.
    for (let i = 0; i < 100 && flaky.stats.requests < 3; i++) await new Promise((r) => setTimeout(r, 10));
    const second = await failure(ask('solo'));
    expect(second.status).toBe(503);
    expect((await probe).choices[0].message.content).toContain('[simulated flaky-sim]');
    expect(flaky.stats.requests).toBe(3);
    expect((await backend('flaky')).breaker).toBe('closed');
  });

  it.each([false, true])('a probe whose client leaves gives its slot back (stream: %s)', async (stream) => {
    await openFlakyBreaker();
    flaky.setBehaviour({ errorRate: 0, ttftMs: 1500 });
    await waitForBreaker('flaky', 'half_open');

    const leaving = new AbortController();
    const probe = client.chat.completions
      .create(
        { model: 'solo', messages: [{ role: 'user', content: 'Never mind' }], stream },
        { signal: leaving.signal },
      )
      .catch(() => undefined);
    for (let i = 0; i < 100 && flaky.stats.requests < 3; i++) await new Promise((r) => setTimeout(r, 10));
    leaving.abort();
    await probe;
    for (let i = 0; i < 100 && flaky.stats.abortedByClient < 1; i++)
      await new Promise((r) => setTimeout(r, 10));

    // The abandoned probe said nothing about the backend; the next caller may probe.
    flaky.setBehaviour({ ttftMs: 0 });
    const completion = await ask('solo');
    expect(completion.choices[0].message.content).toContain('[simulated flaky-sim]');
    expect((await backend('flaky')).breaker).toBe('closed');
  });

  it('opens when the error share over the window reaches errorRate', async () => {
    await gw.close();
    gw = await startTestGateway({
      breaker: {
        consecutiveFailures: 1000,
        errorRate: 0.5,
        minRequests: 4,
        windowMs: 60_000,
        cooldownMs: 60_000,
      },
      deployments: [
        { id: 'flaky', baseUrl: flaky.url, model: 'flaky-sim', location: 'internal', prices: FREE },
      ],
      routes: [{ id: 'solo', match: { model: 'solo' }, target: { deployment: 'flaky' }, retries: NO_RETRY }],
    });
    client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });

    for (const fails of [false, true, false]) {
      flaky.setBehaviour({ errorRate: fails ? 1 : 0, errorMode: 'http500' });
      await ask('solo').catch(() => undefined);
    }
    // Three calls are fewer than minRequests: one failure in three does not open it.
    expect((await backend('flaky')).breaker).toBe('closed');
    flaky.setBehaviour({ errorRate: 1 });
    expect((await failure(ask('solo'))).status).toBe(502);
    expect(await backend('flaky')).toMatchObject({ breaker: 'open', requests: 4, failures: 2 });
    expect((await failure(ask('solo'))).code).toBe('no_backend_available');
    expect(flaky.stats.requests).toBe(4);
  });

  it('errors that say nothing about the backend (context length) do not open it', async () => {
    flaky.setBehaviour({ errorRate: 1, errorMode: 'http400_context_length' });
    for (let i = 0; i < 3; i++) expect((await failure(ask('solo'))).status).toBe(400);
    expect((await backend('flaky')).breaker).toBe('closed');
  });
});
