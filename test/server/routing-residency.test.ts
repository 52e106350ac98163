import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type FaultMode, type Simulator } from '../../src/simulate/index.js';
import type { StoredRecord } from '../../src/spec/request-record.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * Data residency through the real gateway: restricted data is never received by an external
 * upstream, whatever fails and whatever the route says. The external simulator's own request count
 * is the evidence.
 */

let internalA: Simulator;
let internalB: Simulator;
let external: Simulator;
let gw: TestGateway;
let client: OpenAI;

const FREE = { inputPerMillionUsd: 0, outputPerMillionUsd: 0 };
const EMAIL = 'jane.doe@example.com';
// A Visa test number: passes the Luhn check.
const CARD = '4111 1111 1111 1111';
const RETRIES = { max: 1, baseDelayMs: 0, maxDelayMs: 10, deadlineMs: 5000 };

beforeAll(async () => {
  [internalA, internalB, external] = await Promise.all([
    startSimulator({ model: 'internal-a', outputTokens: 10, slowFirstTokenMs: 5000, retryAfterSeconds: 0 }),
    startSimulator({ model: 'internal-b', outputTokens: 10, slowFirstTokenMs: 5000, retryAfterSeconds: 0 }),
    startSimulator({ model: 'external-x', outputTokens: 10 }),
  ]);
  const timeouts = { connectMs: 2000, firstTokenMs: 250, idleMs: 250, totalMs: 300 };
  gw = await startTestGateway({
    breaker: { consecutiveFailures: 1000, minRequests: 1000 },
    deployments: [
      {
        id: 'in-a',
        baseUrl: internalA.url,
        model: 'internal-a',
        location: 'internal',
        timeouts,
        prices: FREE,
      },
      {
        id: 'in-b',
        baseUrl: internalB.url,
        model: 'internal-b',
        location: 'internal',
        timeouts,
        prices: FREE,
      },
      {
        id: 'in-small',
        baseUrl: internalB.url,
        model: 'internal-b',
        location: 'internal',
        maxConcurrency: 1,
        prices: FREE,
      },
      { id: 'ext', baseUrl: external.url, model: 'external-x', location: 'external', timeouts, prices: FREE },
    ],
    models: [{ name: 'external-model', deployments: ['ext'] }],
    routes: [
      {
        id: 'chain',
        match: { model: 'chain' },
        target: { fallback: ['in-a', 'ext'] },
        fallbackOn: ['connection', '5xx', '429', 'timeout', 'first_token_timeout', 'context_length'],
        retries: RETRIES,
      },
      {
        id: 'deep-chain',
        match: { model: 'deep-chain' },
        target: { fallback: ['in-a', 'in-b', 'ext'] },
        fallbackOn: ['connection', '5xx', '429', 'timeout', 'first_token_timeout', 'context_length'],
        retries: RETRIES,
      },
      {
        id: 'split',
        match: { model: 'split' },
        target: {
          split: [
            { deployment: 'ext', weight: 90 },
            { deployment: 'in-a', weight: 10 },
          ],
        },
        fallbackOn: ['connection', '5xx', '429', 'timeout', 'first_token_timeout', 'context_length'],
        retries: RETRIES,
      },
      {
        id: 'auto',
        match: { model: 'auto' },
        // Threshold 0: every scored request is "hard" and goes to the strong, external side.
        target: { auto: { weak: { deployment: 'in-a' }, strong: { deployment: 'ext' }, threshold: 0 } },
        fallbackOn: ['connection', '5xx', '429', 'timeout', 'first_token_timeout', 'context_length'],
        retries: RETRIES,
      },
      {
        id: 'spill',
        match: { model: 'spill' },
        target: { deployment: 'in-a' },
        spillover: { tiers: [['ext']] },
        retries: RETRIES,
      },
      {
        id: 'hybrid',
        match: { model: 'hybrid' },
        target: { deployment: 'in-small' },
        spillover: { tiers: [['ext']] },
      },
      { id: 'outside', match: { model: 'outside' }, target: { deployment: 'external-model' } },
      { id: 'redacting', match: { model: 'redacting' }, target: { deployment: 'ext' }, redact: true },
    ],
  });
  client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gw?.close();
  await Promise.all([internalA?.close(), internalB?.close(), external?.close()]);
});

beforeEach(() => {
  for (const sim of [internalA, internalB, external]) {
    sim.setBehaviour({ errorRate: 0, ttftMs: 0, contextWindow: 131_072 });
    sim.stats.reset();
  }
});

type Restriction = 'header' | 'email' | 'card';

function messageFor(restriction: Restriction): string {
  if (restriction === 'email') return `Please draft a reply to ${EMAIL} about the refund.`;
  if (restriction === 'card') return `The customer paid with card ${CARD}; why was it declined?`;
  return 'Summarise the quarterly figures for the board.';
}

interface Outcome {
  text: string | null;
  status: number;
  code: string | null | undefined;
  requestId: string | null;
}

/** Sends one request and reports what the client noticed, whether it succeeded or not. */
async function send(
  model: string,
  restriction: Restriction | null,
  stream: boolean,
  content = restriction ? messageFor(restriction) : 'Summarise the quarterly figures.',
): Promise<Outcome> {
  const headers: Record<string, string> =
    restriction === 'header' ? { 'x-switchyard-data-class': 'restricted' } : {};
  const messages = [{ role: 'user' as const, content }];
  try {
    if (stream) {
      const { data, response } = await client.chat.completions
        .create({ model, messages, stream: true }, { headers })
        .withResponse();
      let text = '';
      const requestId = response.headers.get('x-request-id');
      try {
        for await (const chunk of data) text += chunk.choices[0]?.delta?.content ?? '';
      } catch (err) {
        const e = err as InstanceType<typeof OpenAI.APIError>;
        return { text, status: 200, code: e.code ?? 'stream_error', requestId };
      }
      return { text, status: 200, code: null, requestId };
    }
    const { data, response } = await client.chat.completions
      .create({ model, messages }, { headers })
      .withResponse();
    return {
      text: data.choices[0].message.content,
      status: 200,
      code: null,
      requestId: response.headers.get('x-request-id'),
    };
  } catch (err) {
    if (!(err instanceof OpenAI.APIError)) throw err;
    return {
      text: null,
      status: err.status ?? 0,
      code: err.code,
      requestId: err.headers?.get('x-request-id') ?? null,
    };
  }
}

/** The API error a request ended with; a success fails the test. */
const rejection = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
  );

async function recordOf(requestId: string | null): Promise<StoredRecord> {
  const record = (await gw.records()).find((r) => r.id === requestId);
  expect(record).toBeDefined();
  return record!;
}

const FAULTS: { mode: FaultMode; stream: boolean }[] = [
  { mode: 'reset', stream: false },
  { mode: 'http500', stream: false },
  { mode: 'http429', stream: false },
  { mode: 'hang', stream: false },
  { mode: 'slowFirstToken', stream: true },
  { mode: 'dieMidStream', stream: true },
  { mode: 'http400_context_length', stream: false },
];
const RESTRICTIONS: Restriction[] = ['header', 'email', 'card'];

describe('restricted data never reaches an external upstream', () => {
  // Restriction sources rotate over the fault modes so every pairing of route, fault and source
  // is covered across the routes without multiplying the run time.
  const combos = ['chain', 'split', 'auto', 'spill'].flatMap((model, r) =>
    FAULTS.map((fault, f) => ({ model, ...fault, restriction: RESTRICTIONS[(r + f) % RESTRICTIONS.length] })),
  );

  it.each(combos)(
    '$model route, internal primary fails with $mode, restricted by $restriction',
    async ({ model, mode, stream, restriction }) => {
      internalA.setBehaviour({ errorRate: 1, errorMode: mode });
      const outcome = await send(model, restriction, stream);

      expect(internalA.stats.requests).toBeGreaterThanOrEqual(1);
      expect(external.stats.requests).toBe(0);
      // The client is told the truth: an error, or (for a stream cut mid-answer) an error event.
      expect(outcome.code).toBeTruthy();
      const record = await recordOf(outcome.requestId);
      expect(record.route!.residency?.dataClass).toBe('restricted');
      expect(record.route!.attempts.every((a) => a.deployment === 'in-a')).toBe(true);
      expect(record.deploymentId === null || record.deploymentId === 'in-a').toBe(true);
    },
  );

  it.each(RESTRICTIONS)(
    'restricted by %s: a second internal deployment takes over, never the external one',
    async (restriction) => {
      internalA.setBehaviour({ errorRate: 1, errorMode: 'http500' });
      const outcome = await send('deep-chain', restriction, false);
      expect(outcome.status).toBe(200);
      expect(outcome.text).toContain('[simulated internal-b]');
      expect(external.stats.requests).toBe(0);
    },
  );

  it('both internal deployments failing still sends nothing out', async () => {
    internalA.setBehaviour({ errorRate: 1, errorMode: 'reset' });
    internalB.setBehaviour({ errorRate: 1, errorMode: 'http500' });
    const outcome = await send('deep-chain', 'email', false);
    expect(outcome.status).toBe(502);
    expect(internalB.stats.requests).toBeGreaterThanOrEqual(1);
    expect(external.stats.requests).toBe(0);
  });

  it.each(['split', 'auto'])('a healthy %s route serves restricted data internally', async (model) => {
    const outcome = await send(model, 'card', false);
    expect(outcome.text).toContain('[simulated internal-a]');
    expect(external.stats.requests).toBe(0);
    const record = await recordOf(outcome.requestId);
    expect(record.route!.residency).toMatchObject({ dataClass: 'restricted', reason: 'detected(card)' });
  });

  it('a client declaring its data normal cannot send a detected email out', async () => {
    internalA.setBehaviour({ errorRate: 1, errorMode: 'http500' });
    const outcome = await client.chat.completions
      .create(
        { model: 'chain', messages: [{ role: 'user', content: messageFor('email') }] },
        { headers: { 'x-switchyard-data-class': 'normal' } },
      )
      .then(
        () => 200,
        (e: unknown) => (e as InstanceType<typeof OpenAI.APIError>).status,
      );
    expect(outcome).toBe(502);
    expect(external.stats.requests).toBe(0);
  });

  it('an auto route sends normal data to its strong, external side and says so', async () => {
    const { data, response } = await client.chat.completions
      .create({
        model: 'auto',
        messages: [{ role: 'user', content: 'Prove that there are infinitely many primes.' }],
      })
      .withResponse();
    expect(data.choices[0].message.content).toContain('[simulated external-x]');
    const header = response.headers.get('x-switchyard-route')!;
    expect(header).toContain('kind=auto');
    expect(header).toContain('choice=strong');
    expect(header).toMatch(/score=\d\.\d\d; threshold=0\.00/);
  });

  it('the same failures with normal data do reach the external fallback (the guard is what stops them)', async () => {
    internalA.setBehaviour({ errorRate: 1, errorMode: 'http500' });
    const outcome = await send('chain', null, false);
    expect(outcome.text).toContain('[simulated external-x]');
    expect(external.stats.requests).toBe(1);
  });

  it.each(RESTRICTIONS)(
    'restricted by %s with only an external deployment on the route: 403 residency_violation, nothing sent',
    async (restriction) => {
      const outcome = await send('outside', restriction, false);
      expect(outcome.status).toBe(403);
      expect(outcome.code).toBe('residency_violation');
      expect(external.stats.requests).toBe(0);
      const record = await recordOf(outcome.requestId);
      expect(record).toMatchObject({ status: 403, errorCode: 'residency_violation', deploymentId: null });
    },
  );

  it('a residency refusal is recorded and explained like any other routing decision', async () => {
    const err = await rejection(
      client.chat.completions.create({
        model: 'outside',
        messages: [{ role: 'user', content: messageFor('email') }],
      }),
    );
    expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(err.headers?.get('x-switchyard-route') ?? '').toContain('residency=restricted(email)');
    const record = await recordOf(err.headers?.get('x-request-id') ?? null);
    expect(record.route).toMatchObject({
      routeId: 'outside',
      residency: { dataClass: 'restricted', reason: 'detected(email)' },
      attempts: [],
    });
  });

  it('the route header states the residency verdict and why', async () => {
    const { response } = await client.chat.completions
      .create(
        { model: 'chain', messages: [{ role: 'user', content: messageFor('email') }] },
        { headers: { 'x-switchyard-data-class': 'restricted' } },
      )
      .withResponse();
    const header = response.headers.get('x-switchyard-route')!;
    expect(header).toContain('route=chain');
    expect(header).toMatch(/residency=restricted\(/);
  });
});

describe('restricted data on the other endpoints', () => {
  it('embeddings of restricted text are not computed by an external deployment', async () => {
    const outcome = await client.embeddings
      .create(
        { model: 'external-model', input: ['Quarterly figures for the board'] },
        { headers: { 'x-switchyard-data-class': 'restricted' } },
      )
      .then(
        () => ({ status: 200, code: null as string | null | undefined }),
        (e: unknown) => {
          const err = e as InstanceType<typeof OpenAI.APIError>;
          return { status: err.status, code: err.code };
        },
      );
    expect(external.stats.requests).toBe(0);
    expect(outcome).toEqual({ status: 403, code: 'residency_violation' });
  });

  it('the Responses API is held to the same rule', async () => {
    internalA.setBehaviour({ errorRate: 1, errorMode: 'http500' });
    const failed = await client.responses.create({ model: 'chain', input: messageFor('email') }).then(
      () => 200,
      (e: unknown) => (e as InstanceType<typeof OpenAI.APIError>).status,
    );
    expect(failed).toBe(502);
    const refused = await client.responses.create({ model: 'outside', input: messageFor('card') }).then(
      () => 200,
      (e: unknown) => (e as InstanceType<typeof OpenAI.APIError>).status,
    );
    expect(refused).toBe(403);
    expect(external.stats.requests).toBe(0);
  });

  it('a legacy completion whose prompt holds a card number does not leave the network', async () => {
    const outcome = await client.completions
      .create({ model: 'external-model', prompt: messageFor('card'), max_tokens: 8 })
      .then(
        () => ({ status: 200, code: null as string | null | undefined }),
        (e: unknown) => {
          const err = e as InstanceType<typeof OpenAI.APIError>;
          return { status: err.status, code: err.code };
        },
      );
    expect(external.stats.requests).toBe(0);
    expect(outcome).toEqual({ status: 403, code: 'residency_violation' });
  });
});

describe('capacity spill-over', () => {
  it('overflows normal traffic to the external tier when the internal pool is full, never restricted data', async () => {
    internalB.setBehaviour({ ttftMs: 1000 });
    // One slow request fills the internal deployment (maxConcurrency 1).
    const filling = send('hybrid', null, false);
    for (let i = 0; i < 200 && internalB.stats.requests < 1; i++) await new Promise((r) => setTimeout(r, 10));

    const spilled = await client.chat.completions
      .create({ model: 'hybrid', messages: [{ role: 'user', content: 'Quick question' }] })
      .withResponse();
    expect(spilled.data.choices[0].message.content).toContain('[simulated external-x]');
    expect(spilled.response.headers.get('x-switchyard-route')).toContain('spilled=1');
    expect(external.stats.requests).toBe(1);

    const restricted = send('hybrid', 'email', false);
    const [first, kept] = await Promise.all([filling, restricted]);
    expect(first.text).toContain('[simulated internal-b]');
    expect(kept.text).toContain('[simulated internal-b]');
    expect(external.stats.requests).toBe(1);

    const res = await fetch(`${gw.url}/admin/backends`, {
      headers: { authorization: `Bearer ${MASTER_KEY}` },
    });
    const body = (await res.json()) as { deployments: { id: string; spilled: number }[] };
    expect(body.deployments.find((d) => d.id === 'in-small')?.spilled).toBe(1);
  });
});

describe('redaction mode', () => {
  it('the external upstream receives placeholders, never the email or the card number', async () => {
    const outcome = await send('redacting', null, false, `Write to ${EMAIL} that card ${CARD} was refunded.`);
    expect(outcome.status).toBe(200);
    expect(external.stats.requests).toBe(1);
    const sent = JSON.stringify(external.stats.last!.body);
    expect(sent).not.toContain(EMAIL);
    expect(sent).not.toContain('4111');
    expect(sent).toContain('[EMAIL_1]');
    expect(sent).toContain('[CARD_1]');
    const record = await recordOf(outcome.requestId);
    expect(record.route!.residency?.redacted).toBe(2);
  });

  // The simulator fills a JSON schema's `const`, which makes it echo the placeholder back.
  const echoPlaceholder = {
    type: 'json_schema' as const,
    json_schema: {
      name: 'reply',
      schema: {
        type: 'object',
        properties: { to: { type: 'string', const: '[EMAIL_1]' } },
        required: ['to'],
      },
    },
  };

  it('an echoed placeholder comes back to the client as the original email', async () => {
    const completion = await client.chat.completions.create({
      model: 'redacting',
      messages: [{ role: 'user', content: `Who should I write to? It is ${EMAIL}.` }],
      response_format: echoPlaceholder,
    });
    expect(JSON.parse(completion.choices[0].message.content!)).toEqual({ to: EMAIL });
    expect(JSON.stringify(external.stats.last!.body)).not.toContain(EMAIL);
  });

  it('an echoed placeholder is restored in a stream too, even when split across chunks', async () => {
    const stream = await client.chat.completions.create({
      model: 'redacting',
      messages: [{ role: 'user', content: `Who should I write to? It is ${EMAIL}.` }],
      response_format: echoPlaceholder,
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(JSON.parse(text)).toEqual({ to: EMAIL });
    expect(JSON.stringify(external.stats.last!.body)).not.toContain(EMAIL);
  });

  it('an explicitly restricted request on a redacting route still never leaves', async () => {
    const outcome = await send('redacting', 'header', false, `Write to ${EMAIL}.`);
    expect(outcome.status).toBe(403);
    expect(outcome.code).toBe('residency_violation');
    expect(external.stats.requests).toBe(0);
  });
});
