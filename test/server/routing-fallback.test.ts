import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type FaultMode, type Simulator } from '../../src/simulate/index.js';
import type { StoredRecord } from '../../src/spec/request-record.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * Fallback chains through the real gateway: the primary upstream fails in each way the routing docs
 * list, and the client sees the fallback's answer (or the clear error the route asks for).
 */

let primary: Simulator;
let backup: Simulator;
let longContext: Simulator;
let gw: TestGateway;
let client: OpenAI;

const FREE = { inputPerMillionUsd: 0, outputPerMillionUsd: 0 };
const SMALL_WINDOW = 120;
const FAST_FAIL = { max: 0, baseDelayMs: 0, maxDelayMs: 0, deadlineMs: 10_000 };

beforeAll(async () => {
  [primary, backup, longContext] = await Promise.all([
    startSimulator({ model: 'primary-sim', outputTokens: 12, slowFirstTokenMs: 5000 }),
    startSimulator({ model: 'backup-sim', outputTokens: 12 }),
    startSimulator({ model: 'long-sim', outputTokens: 12 }),
  ]);
  const timeouts = { connectMs: 2000, firstTokenMs: 2000, idleMs: 1000, totalMs: 600 };
  gw = await startTestGateway({
    // Every failure below is deliberate; an open breaker would change which backend is tried first.
    breaker: { consecutiveFailures: 1000, minRequests: 1000 },
    deployments: [
      {
        id: 'primary',
        baseUrl: primary.url,
        model: 'primary-sim',
        location: 'internal',
        contextWindow: SMALL_WINDOW,
        timeouts,
        prices: FREE,
      },
      {
        id: 'backup',
        baseUrl: backup.url,
        model: 'backup-sim',
        location: 'internal',
        contextWindow: SMALL_WINDOW,
        timeouts,
        prices: FREE,
      },
      {
        id: 'long',
        baseUrl: longContext.url,
        model: 'long-sim',
        location: 'internal',
        contextWindow: 131_072,
        timeouts,
        prices: FREE,
      },
    ],
    models: [{ name: 'long-model', deployments: ['long'] }],
    routes: [
      {
        id: 'resilient',
        match: { model: 'resilient' },
        target: { fallback: ['primary', 'backup'] },
        fallbackOn: ['connection', '5xx', '429', 'timeout', 'first_token_timeout'],
        retries: FAST_FAIL,
        firstTokenBudgetMs: 400,
      },
      {
        id: 'longer-context',
        match: { model: 'longer-context' },
        target: { fallback: ['primary', 'backup', 'long-model'] },
        fallbackOn: ['context_length'],
        retries: FAST_FAIL,
      },
      {
        id: 'connection-only',
        match: { model: 'connection-only' },
        target: { fallback: ['primary', 'backup'] },
        fallbackOn: ['connection'],
        retries: FAST_FAIL,
      },
      {
        id: 'filtered',
        match: { model: 'filtered' },
        target: { fallback: ['primary', 'backup'] },
        fallbackOn: ['content_filter'],
        retries: FAST_FAIL,
      },
      {
        id: 'persistent',
        match: { model: 'persistent' },
        target: { fallback: ['primary', 'backup'] },
        retries: { max: 2, baseDelayMs: 10, maxDelayMs: 20, deadlineMs: 5000 },
      },
      {
        id: 'patient',
        match: { model: 'patient' },
        target: { deployment: 'primary' },
        fallbackOn: ['429'],
        retries: { max: 1, baseDelayMs: 0, maxDelayMs: 0, deadlineMs: 8000 },
      },
      {
        id: 'impatient',
        match: { model: 'impatient' },
        target: { deployment: 'primary' },
        fallbackOn: ['429'],
        retries: { max: 1, baseDelayMs: 0, maxDelayMs: 0, deadlineMs: 1500 },
      },
    ],
  });
  client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gw?.close();
  await Promise.all([primary?.close(), backup?.close(), longContext?.close()]);
});

beforeEach(() => {
  for (const sim of [primary, backup, longContext]) {
    sim.setBehaviour({ errorRate: 0, retryAfterSeconds: 1, contextWindow: 131_072 });
    sim.stats.reset();
  }
});

const ask = (model: string, content = 'Where is my parcel?') =>
  client.chat.completions.create({ model, messages: [{ role: 'user', content }] }).withResponse();

/** The API error a request ended with; a success fails the test. */
const rejection = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
  );

async function recordOf(requestId: string | null): Promise<StoredRecord> {
  expect(requestId).toBeTruthy();
  const record = (await gw.records()).find((r) => r.id === requestId);
  expect(record).toBeDefined();
  return record!;
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!condition()) throw new Error(`gave up waiting for ${what}`);
}

function breakPrimary(mode: FaultMode): void {
  primary.setBehaviour({ errorRate: 1, errorMode: mode });
}

describe('a failing primary falls back to the next deployment in the chain', () => {
  const cases: { mode: FaultMode; outcome: string; status?: number }[] = [
    { mode: 'reset', outcome: 'connection' },
    { mode: 'http500', outcome: 'http_5xx', status: 500 },
    { mode: 'http429', outcome: 'rate_limited', status: 429 },
    { mode: 'hang', outcome: 'timeout' },
  ];

  it.each(cases)('primary answers $mode: the backup answers instead', async ({ mode, outcome, status }) => {
    breakPrimary(mode);
    const { data, response } = await ask('resilient');

    expect(data.choices[0].message.content).toContain('[simulated backup-sim]');
    expect(primary.stats.requests).toBe(1);
    expect(backup.stats.requests).toBe(1);
    const header = response.headers.get('x-switchyard-route')!;
    expect(header).toContain('route=resilient');
    expect(header).toContain('target=backup');
    expect(header).toContain('fallbacks=1');
    expect(header).toContain(`failed=primary:${outcome}`);

    const record = await recordOf(response.headers.get('x-request-id'));
    expect(record).toMatchObject({ status: 200, deploymentId: 'backup', upstreamModel: 'backup-sim' });
    expect(record.route!.routeId).toBe('resilient');
    expect(record.route!.targetKind).toBe('fallback');
    expect(record.route!.attempts).toHaveLength(2);
    expect(record.route!.attempts[0]).toMatchObject({ deployment: 'primary', outcome });
    if (status !== undefined) expect(record.route!.attempts[0].status).toBe(status);
    expect(record.route!.attempts[1]).toMatchObject({ deployment: 'backup', outcome: 'ok', status: 200 });
  });

  it('a primary that hangs is cancelled, not left running', async () => {
    breakPrimary('hang');
    const { data } = await ask('resilient');
    expect(data.choices[0].message.content).toContain('[simulated backup-sim]');
    await waitFor(
      () => primary.stats.recent[0]?.abortedByClient === true,
      'the hung primary call to be cancelled',
    );
  });

  it.each([
    { mode: 'reset' as const, outcome: 'connection' },
    { mode: 'http429' as const, outcome: 'rate_limited' },
    { mode: 'hang' as const, outcome: 'first_token_timeout' },
  ])(
    'a stream whose primary fails with $mode before any token fails over invisibly',
    async ({ mode, outcome }) => {
      breakPrimary(mode);
      const { data: stream, response } = await client.chat.completions
        .create({
          model: 'resilient',
          messages: [{ role: 'user', content: 'Stream me an answer' }],
          stream: true,
        })
        .withResponse();
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      expect(text.startsWith('[simulated backup-sim]')).toBe(true);
      expect(response.headers.get('x-switchyard-route')).toContain(`failed=primary:${outcome}`);
      const record = await recordOf(response.headers.get('x-request-id'));
      expect(record).toMatchObject({ status: 200, streamed: true, truncated: false, deploymentId: 'backup' });
    },
  );

  it('a stream whose first token is slower than firstTokenBudgetMs is served by the backup', async () => {
    breakPrimary('slowFirstToken');
    const { data: stream, response } = await client.chat.completions
      .create({
        model: 'resilient',
        messages: [{ role: 'user', content: 'Stream me an answer' }],
        stream: true,
      })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';

    // The client saw one clean stream: nothing of the abandoned primary attempt leaked into it.
    expect(text.startsWith('[simulated backup-sim]')).toBe(true);
    expect(text).not.toContain('primary-sim');
    expect(response.headers.get('x-switchyard-route')).toContain('failed=primary:first_token_timeout');
    const record = await recordOf(response.headers.get('x-request-id'));
    expect(record.route!.attempts.map((a) => [a.deployment, a.outcome])).toEqual([
      ['primary', 'first_token_timeout'],
      ['backup', 'ok'],
    ]);
    await waitFor(
      () => primary.stats.recent[0]?.abortedByClient === true,
      'the slow primary stream to be cancelled',
    );
  });

  it('a prompt too long for the primary goes to a deployment with a larger context window', async () => {
    primary.setBehaviour({ contextWindow: SMALL_WINDOW });
    backup.setBehaviour({ contextWindow: SMALL_WINDOW });
    const longPrompt = 'Please summarise this contract clause for me. '.repeat(40);
    const { data, response } = await ask('longer-context', longPrompt);

    expect(data.choices[0].message.content).toContain('[simulated long-sim]');
    // The backup's window is no larger than the primary's, so it is not worth asking.
    expect(backup.stats.requests).toBe(0);
    expect(primary.stats.requests).toBe(1);
    expect(response.headers.get('x-switchyard-route')).toContain('failed=primary:context_length');
    const record = await recordOf(response.headers.get('x-request-id'));
    expect(record.route!.attempts.map((a) => [a.deployment, a.outcome, a.status])).toEqual([
      ['primary', 'context_length', 400],
      ['long', 'ok', 200],
    ]);
  });
});

describe('content-filter refusals', () => {
  // A refusal arrives as a normal 200 whose choice finished with `content_filter` (OpenAI and Azure
  // OpenAI report filtered output this way), not only as an error status.
  it('a route that falls back on content_filter serves the answer from the next deployment', async () => {
    breakPrimary('content_filter');
    const { data, response } = await ask('filtered');

    expect(data.choices[0].finish_reason).toBe('stop');
    expect(data.choices[0].message.content).toContain('[simulated backup-sim]');
    expect(primary.stats.requests).toBe(1);
    expect(backup.stats.requests).toBe(1);
    expect(response.headers.get('x-switchyard-route')).toContain('failed=primary:content_filter');
  });

  it('a route that does not list content_filter passes the refusal through as it is', async () => {
    breakPrimary('content_filter');
    const { data } = await ask('resilient');
    expect(data.choices[0].finish_reason).toBe('content_filter');
    expect(backup.stats.requests).toBe(0);
  });
});

describe('failures the route does not fall back on', () => {
  it('a 500 on a route that only falls back on connection errors is a clear 502, the backup untouched', async () => {
    breakPrimary('http500');
    const err = await ask('connection-only').catch((e: unknown) => e);

    expect(err).toBeInstanceOf(OpenAI.APIError);
    const e = err as InstanceType<typeof OpenAI.APIError>;
    expect(e.status).toBe(502);
    expect(e.code).toBe('upstream_error');
    expect(backup.stats.requests).toBe(0);
    const header = e.headers?.get('x-switchyard-route') ?? '';
    expect(header).toContain('route=connection-only');
    expect(header).toContain('failed=primary:http_5xx');
    const record = await recordOf(e.headers?.get('x-request-id') ?? null);
    expect(record).toMatchObject({ status: 502, errorCode: 'upstream_error', deploymentId: null });
    expect(record.route!.attempts).toEqual([expect.objectContaining({ deployment: 'primary', status: 500 })]);
  });

  it('a context-length error without a larger window anywhere is passed back as the 400 it is', async () => {
    primary.setBehaviour({ contextWindow: SMALL_WINDOW });
    const err = await ask('resilient', 'Summarise this. '.repeat(80)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('context_length_exceeded');
    expect(backup.stats.requests).toBe(0);
  });
});

describe('retries', () => {
  it('go round the chain again a bounded number of times, then the client gets the error', async () => {
    breakPrimary('http500');
    backup.setBehaviour({ errorRate: 1, errorMode: 'http500' });
    const err = await rejection(ask('persistent'));

    expect(err.status).toBe(502);
    // Two fresh candidates, then retries.max = 2 more attempts.
    expect(primary.stats.requests + backup.stats.requests).toBe(4);
    expect(primary.stats.requests).toBeGreaterThanOrEqual(1);
    expect(backup.stats.requests).toBeGreaterThanOrEqual(1);
    const header = err.headers?.get('x-switchyard-route') ?? '';
    expect(header).toContain('fallbacks=4');
    const record = await recordOf(err.headers?.get('x-request-id') ?? null);
    expect(record.route!.attempts).toHaveLength(4);
    expect(record.route!.attempts.every((a) => a.outcome === 'http_5xx')).toBe(true);
  });
});

describe('429 with Retry-After', () => {
  it('the retry waits as long as the upstream asked, then succeeds', async () => {
    breakPrimary('http429');
    const pending = ask('patient');
    await waitFor(() => primary.stats.requests === 1, 'the first attempt');
    primary.setBehaviour({ errorRate: 0 });
    const { data, response } = await pending;

    expect(data.choices[0].message.content).toContain('[simulated primary-sim]');
    expect(primary.stats.requests).toBe(2);
    const [first, second] = primary.stats.recent;
    // Retry-After: 1 means the second call may not start before a second has passed.
    expect(second.receivedAtMs - first.receivedAtMs).toBeGreaterThanOrEqual(950);
    const record = await recordOf(response.headers.get('x-request-id'));
    expect(record.route!.attempts.map((a) => [a.deployment, a.outcome])).toEqual([
      ['primary', 'rate_limited'],
      ['primary', 'ok'],
    ]);
  });

  it('a backend asking to wait past the deadline is not retried; the client gets the 429', async () => {
    primary.setBehaviour({ errorRate: 1, errorMode: 'http429', retryAfterSeconds: 5 });
    const err = await ask('impatient').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const e = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.headers?.get('retry-after')).toBe('5');
    expect(primary.stats.requests).toBe(1);
  });
});

describe('a stream that dies after its first content token', () => {
  it('does not fall back: the SDK iterator throws and the record is truncated', async () => {
    primary.setBehaviour({ errorRate: 1, errorMode: 'dieMidStream', outputTokens: 24 });
    try {
      const { data: stream, response } = await client.chat.completions
        .create({
          model: 'resilient',
          messages: [{ role: 'user', content: 'Stream a long answer' }],
          stream: true,
        })
        .withResponse();
      let text = '';
      const err = await (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      })().catch((e: unknown) => e);

      expect(err).toBeInstanceOf(Error);
      expect(text.startsWith('[simulated primary-sim]')).toBe(true);
      // Switching backends mid-answer would splice two different answers together.
      expect(backup.stats.requests).toBe(0);
      const record = await recordOf(response.headers.get('x-request-id'));
      expect(record).toMatchObject({
        streamed: true,
        truncated: true,
        finishReason: 'error',
        deploymentId: 'primary',
      });
      expect(record.errorCode).not.toBeNull();
    } finally {
      primary.setBehaviour({ outputTokens: 12 });
    }
  });
});
