import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import {
  fixtureJson,
  readFixture,
  sseChunks,
  startRecordedUpstream,
  type RecordedUpstream,
} from '../support/recorded-upstream.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * Timeouts as a user configures them: `connectMs` is the TCP/TLS connect only; a whole answer is
 * bounded by `totalMs`, a stream's wait for its first token by `firstTokenMs`; and an attempt that
 * timed out (which the upstream may still be generating, and billing) is asked again only where
 * the route says so, and is shown when it is.
 */

let upstream: RecordedUpstream;
let gw: TestGateway;
let client: OpenAI;

const completion = fixtureJson('openai/chat-completion.json');
const timeouts = { connectMs: 200, firstTokenMs: 3000, idleMs: 3000, totalMs: 1500 };

beforeAll(async () => {
  upstream = await startRecordedUpstream();
  gw = await startTestGateway({
    breaker: { consecutiveFailures: 1000, minRequests: 1000 },
    deployments: [
      { id: 'slow', baseUrl: `${upstream.url}/v1`, model: 'gpt-4o', location: 'internal', timeouts },
      {
        id: 'backup',
        baseUrl: `${upstream.url}/backup/v1`,
        model: 'gpt-4o',
        location: 'internal',
        timeouts,
      },
    ],
    models: [{ name: 'slow', deployments: ['slow'] }],
    routes: [
      {
        id: 'retry-timeouts',
        match: { model: 'retry-timeouts' },
        target: { deployment: 'slow' },
        fallbackOn: ['timeout'],
        retries: { max: 1, on: ['timeout'], baseDelayMs: 0, maxDelayMs: 0 },
      },
      {
        id: 'fall-over-on-timeout',
        match: { model: 'fall-over' },
        target: { fallback: ['slow', 'backup'] },
      },
    ],
  });
  client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gw?.close();
  await upstream?.close();
});

afterEach(() => {
  upstream.requests.length = 0;
});

/** `switchyard_unfinished_attempts_total` for a deployment's timeouts. */
async function unfinishedCount(deployment: string): Promise<number> {
  const families = parsePrometheusTextFormat(await (await fetch(`${gw.url}/metrics`)).text());
  const family = families.find((m) => m.name === 'switchyard_unfinished_attempts_total');
  const sample = family?.metrics.find(
    (m) => 'labels' in m && m.labels?.deployment === deployment && m.labels?.reason === 'timeout',
  );
  return sample && 'value' in sample ? Number(sample.value) : 0;
}

const hello = { messages: [{ role: 'user' as const, content: 'Hello' }] };
const chatPath = 'POST /v1/chat/completions';

describe('timeouts', () => {
  it('serves a non-streamed answer slower than the connect timeout, paying for it once', async () => {
    upstream.route(chatPath, { json: completion, headersDelayMs: 700 });
    const reply = await client.chat.completions.create({ model: 'slow', ...hello });
    expect(reply.choices[0].message.content).toBe('Hello! How can I assist you today?');
    expect(upstream.requests).toHaveLength(1);
  });

  it('bounds a non-streamed answer by totalMs, and does not ask a timed-out upstream again', async () => {
    upstream.route(chatPath, { hang: true });
    const started = performance.now();
    const err = await client.chat.completions.create({ model: 'slow', ...hello }).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_timeout');
    expect(elapsed).toBeGreaterThanOrEqual(timeouts.totalMs - 50);
    expect(elapsed).toBeLessThan(timeouts.totalMs * 3);
    expect(upstream.requests).toHaveLength(1);
    // The abandoned call was closed, so the upstream can stop generating it.
    expect(await upstream.requests[0].closed).toEqual({ aborted: true });
  });

  it('waits past the connect timeout for a stream whose headers come with its first token', async () => {
    upstream.route(chatPath, {
      chunks: sseChunks(readFixture('openai/chat-stream.sse')),
      headersDelayMs: 700,
    });
    const stream = await client.chat.completions.create({ model: 'slow', ...hello, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text.length).toBeGreaterThan(0);
    expect(upstream.requests).toHaveLength(1);
  });

  it('asks a timed-out upstream again when the route lists timeout under retries.on, and counts it', async () => {
    upstream.route(chatPath, [{ hang: true }, { json: completion }]);
    const before = await unfinishedCount('slow');
    const { response } = await client.chat.completions
      .create({ model: 'retry-timeouts', ...hello })
      .withResponse();
    expect(upstream.requests).toHaveLength(2);
    const route = response.headers.get('x-switchyard-route')!;
    expect(route).toContain('failed=slow:timeout');
    expect(route).toContain('unfinished=1');
    const record = (await gw.records()).find((r) => r.id === response.headers.get('x-request-id'))!;
    expect(record.route?.attempts[0]).toMatchObject({
      deployment: 'slow',
      outcome: 'timeout',
      unfinished: true,
    });
    expect((await unfinishedCount('slow')) - before).toBe(1);
  });

  it('falls over after a timeout to the next deployment without asking the first again', async () => {
    upstream.route(chatPath, { hang: true });
    upstream.route('POST /backup/v1/chat/completions', { json: completion });
    const { response } = await client.chat.completions
      .create({ model: 'fall-over', ...hello })
      .withResponse();
    expect(response.headers.get('x-switchyard-route')).toMatch(
      /target=backup.*failed=slow:timeout; unfinished=1/,
    );
    expect(upstream.requests.map((r) => r.pathname)).toEqual([
      '/v1/chat/completions',
      '/backup/v1/chat/completions',
    ]);
  });
});
