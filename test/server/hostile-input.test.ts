import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import { exportRecords, startChildGateway, type ChildGateway } from '../support/child-gateway.js';
import { fixtureJson, startRecordedUpstream, type RecordedUpstream } from '../support/recorded-upstream.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * Request bodies built to hurt: nesting deep enough to exhaust a stack, a prompt that makes
 * tokenizers quadratic, bytes that are not UTF-8, bodies that are not JSON. Each is refused (or
 * served) without costing other users anything: no stalled event loop, no breaker opened on an
 * upstream that never saw the request.
 */

let sim: Simulator;
let gw: TestGateway;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  sim = await startSimulator({ model: 'llama-sim', outputTokens: 4 });
  gw = await startTestGateway({
    // As in production a couple of failures open a breaker, so a request the gateway itself
    // cannot handle would take the deployment away from everyone if it were charged to it.
    breaker: { consecutiveFailures: 2, minRequests: 1000, cooldownMs: 30_000 },
    deployments: [{ id: 'llama', baseUrl: sim.url, model: 'llama-sim', location: 'internal' }],
    models: [{ name: 'llama', deployments: ['llama'] }],
  });
  openai = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: gw.url, apiKey: MASTER_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gw?.close();
  await sim?.close();
});

/** The SDK's error for a call expected to fail. */
async function refusal<E>(call: Promise<unknown>): Promise<E> {
  return call.then(
    () => {
      throw new Error('expected the request to be refused');
    },
    (err: unknown) => err as E,
  );
}

type OpenAIError = InstanceType<typeof OpenAI.APIError>;
type AnthropicError = InstanceType<typeof Anthropic.APIError> & {
  error: { type: string; error: { type: string; message: string } };
};

/** Sends raw body bytes through the SDK, as a client with its own serializer would. */
const rawChat = (body: string | Uint8Array, contentType: string | null = 'application/json') =>
  openai.post('/chat/completions', { body, headers: { 'content-type': contentType } });
const rawMessages = (body: string | Uint8Array, contentType: string | null = 'application/json') =>
  anthropic.post('/v1/messages', { body, headers: { 'content-type': contentType } });

/** An object nested `depth` levels deep, written out as JSON text (JSON.stringify itself overflows). */
const nestedJson = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

const chatWithToolSchema = (schema: string) =>
  `{"model":"llama","messages":[{"role":"user","content":"Look it up"}],` +
  `"tools":[{"type":"function","function":{"name":"lookup","parameters":${schema}}}]}`;
const messagesWithToolSchema = (schema: string) =>
  `{"model":"llama","max_tokens":16,"messages":[{"role":"user","content":"Look it up"}],` +
  `"tools":[{"name":"lookup","input_schema":${schema}}]}`;

async function breakerOf(id: string): Promise<{ breaker: string; failures: number }> {
  const res = await fetch(`${gw.url}/admin/backends`, { headers: { authorization: `Bearer ${MASTER_KEY}` } });
  const body = (await res.json()) as {
    deployments: Array<{ id: string; breaker: string; failures: number }>;
  };
  return body.deployments.find((d) => d.id === id)!;
}

describe('deeply nested JSON', () => {
  const DEPTH = 100_000;

  it('is refused with 400 json_too_deep in the caller’s shape, and the deployment stays up for everyone', async () => {
    const before = sim.stats.requests;
    // Twice each: two failures charged to the deployment would open its breaker.
    for (let i = 0; i < 2; i++) {
      const chat = await refusal<OpenAIError>(rawChat(chatWithToolSchema(nestedJson(DEPTH))));
      expect(chat).toBeInstanceOf(OpenAI.BadRequestError);
      expect(chat.code).toBe('json_too_deep');
      expect(chat.type).toBe('invalid_request_error');
      expect(chat.message).toMatch(/levels deep/);

      const messages = await refusal<AnthropicError>(rawMessages(messagesWithToolSchema(nestedJson(DEPTH))));
      expect(messages).toBeInstanceOf(Anthropic.BadRequestError);
      expect(messages.error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
      expect(messages.error.error.message).toMatch(/levels deep/);
    }

    // Nothing reached the upstream and nothing was held against it.
    expect(sim.stats.requests).toBe(before);
    expect(await breakerOf('llama')).toMatchObject({ breaker: 'closed', failures: 0 });
    const answer = await openai.chat.completions.create({
      model: 'llama',
      messages: [{ role: 'user', content: 'Still there?' }],
    });
    expect(answer.choices[0].message.content).toBeTruthy();
  });
});

describe('bodies that are not UTF-8 JSON', () => {
  // "café" with the é's first byte followed by "(" instead of its second: a decoder would silently
  // turn it into U+FFFD and the upstream would answer a prompt the client never sent.
  const invalidUtf8 = (json: string) => {
    const [head, tail] = json.split('CAFE');
    return Buffer.concat([Buffer.from(`${head}caf`), Buffer.from([0xc3, 0x28]), Buffer.from(tail)]);
  };
  const chatJson = JSON.stringify({ model: 'llama', messages: [{ role: 'user', content: 'CAFE' }] });
  const messagesJson = JSON.stringify({
    model: 'llama',
    max_tokens: 16,
    messages: [{ role: 'user', content: 'CAFE' }],
  });

  it('invalid UTF-8 on chat is 400 invalid_encoding, not a prompt with U+FFFD in it', async () => {
    const before = sim.stats.requests;
    const err = await refusal<OpenAIError>(rawChat(invalidUtf8(chatJson)));
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.code).toBe('invalid_encoding');
    expect(sim.stats.requests).toBe(before);
  });

  it('invalid UTF-8 on /v1/messages is 400 in Anthropic’s shape', async () => {
    const before = sim.stats.requests;
    const err = await refusal<AnthropicError>(rawMessages(invalidUtf8(messagesJson)));
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect(err.error.error).toMatchObject({ type: 'invalid_request_error' });
    expect(err.error.error.message).toMatch(/UTF-8/);
    expect(sim.stats.requests).toBe(before);
  });

  it('a body not sent as JSON (text/plain, form-encoded, no content type) is 400 unsupported_content_type, as OpenAI answers', async () => {
    const before = sim.stats.requests;
    const body = Buffer.from(chatJson.replace('CAFE', 'hi'));
    for (const contentType of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', null]) {
      const err = await refusal<OpenAIError>(rawChat(body, contentType));
      expect(err, String(contentType)).toBeInstanceOf(OpenAI.BadRequestError);
      expect(err.code, String(contentType)).toBe('unsupported_content_type');
    }
    expect(sim.stats.requests).toBe(before);
    // JSON with parameters, or a +json type, is JSON.
    for (const contentType of ['application/json; charset=utf-8', 'application/vnd.api+json'])
      expect(await rawChat(body, contentType), contentType).toMatchObject({ object: 'chat.completion' });
  });

  it('a text/plain body on /v1/messages is 400 in Anthropic’s shape', async () => {
    const err = await refusal<AnthropicError>(rawMessages(messagesJson.replace('CAFE', 'hi'), 'text/plain'));
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect(err.error.error.message).toMatch(/application\/json/);
  });
});

describe('a 2M-letter prompt without whitespace', () => {
  let upstream: RecordedUpstream;
  let child: ChildGateway;

  beforeAll(async () => {
    upstream = await startRecordedUpstream({
      'POST /v1/chat/completions': { json: fixtureJson('openai/chat-completion.json') },
    });
    // In its own process, so that a gateway stalled by the prompt cannot also stall this test's clock.
    // A budget makes admission estimate the prompt; a baseline makes pricing count its tokens.
    child = await startChildGateway({
      deployments: [
        {
          id: 'llama',
          baseUrl: `${upstream.url}/v1`,
          model: 'llama-sim',
          location: 'internal',
          prices: { inputPerMillionUsd: 0.1, outputPerMillionUsd: 0.2 },
        },
      ],
      models: [{ name: 'llama', deployments: ['llama'] }],
      cost: {
        baseline: { model: 'gpt-4o' },
        budgets: [{ id: 'everyone', scope: 'global', window: 'daily', limitUsd: 1000, mode: 'hard' }],
      },
    });
  });

  afterAll(async () => {
    await child?.dispose();
    await upstream?.close();
  });

  it('does not stall the gateway: /healthz answers within 200 ms while it is served and priced', async () => {
    // Letters in a varied order, so that no tokenizer cache or repeated-run shortcut can help.
    let seed = 7;
    const letters = Array.from({ length: 2_000_000 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return String.fromCharCode(97 + (seed % 26));
    }).join('');
    const client = new OpenAI({ baseURL: child.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });

    // Health probes one after another while the request is served; each one's time to answer.
    let probing = true;
    const probes = (async () => {
      const answeredMs: number[] = [];
      while (probing) {
        const started = performance.now();
        const res = await fetch(`${child.url}/healthz`, { signal: AbortSignal.timeout(2000) }).catch(
          () => null,
        );
        answeredMs.push(res?.status === 200 ? performance.now() - started : Infinity);
        await res?.arrayBuffer();
        await new Promise((r) => setTimeout(r, 20));
      }
      return answeredMs;
    })();

    const answer = await client.chat.completions.create({
      model: 'llama',
      messages: [{ role: 'user', content: letters }],
    });
    expect(answer.choices[0].message.content).toBe('Hello! How can I assist you today?');
    expect((upstream.requests[0].body as { messages: Array<{ content: string }> }).messages[0].content).toBe(
      letters,
    );
    // Keep probing until the record has been priced: the baseline counts the prompt's tokens, which
    // took about an hour when counting was quadratic.
    const pricingDeadline = performance.now() + 5000;
    let priced = false;
    while (!priced && performance.now() < pricingDeadline) {
      const metrics = await (await fetch(`${child.url}/metrics`)).text();
      const baseline = /^switchyard_baseline_cost_usd_total(?:\{[^}]*\})? (\S+)$/m.exec(metrics);
      priced = Number(baseline?.[1] ?? 0) > 0;
      if (!priced) await new Promise((r) => setTimeout(r, 50));
    }
    probing = false;
    const answeredMs = await probes;
    expect(priced, 'the record was priced within 5 s').toBe(true);
    expect(answeredMs.length).toBeGreaterThan(5);
    expect(Math.max(...answeredMs)).toBeLessThan(200);

    child.terminate();
    await child.exited;
    const [record] = await exportRecords(child.dataDir);
    expect(record).toMatchObject({ status: 200, modelRequested: 'llama' });
    // gpt-4o's input price on about 2M/4 tokens: the whole prompt was counted, not a part of it.
    expect(record.baselineCostUsd).toBeGreaterThan(0.5);
  });
});
