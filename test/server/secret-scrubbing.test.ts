import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fakeIO } from '../support/fake-io.js';
import { startRecordedUpstream, type RecordedUpstream } from '../support/recorded-upstream.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * An upstream that echoes the key it was sent (some do, in 401s and validation errors) must not
 * hand it to clients or to the records: upstream errors are re-shaped by the gateway and known
 * secrets scrubbed from everything that leaves the process or is stored.
 */

const UPSTREAM_KEY = 'sk-proj-UpstreamSecretKey0123456789abcdef';
const ANTHROPIC_KEY = 'sk-ant-api03-AnthropicSecret0123456789abcdef';

let upstream: RecordedUpstream;
let gw: TestGateway;
let openai: OpenAI;
let anthropic: Anthropic;

const echoKey = (status: number) => (req: { headers: Record<string, string> }) => ({
  status,
  json: {
    error: {
      message: `Request refused for key ${req.headers.authorization ?? req.headers['x-api-key']}`,
      type: 'invalid_request_error',
    },
  },
});

beforeAll(async () => {
  upstream = await startRecordedUpstream();
  gw = await startTestGateway(
    {
      records: { logBodies: true },
      breaker: { consecutiveFailures: 1000, minRequests: 1000 },
      deployments: [
        { id: 'openai', baseUrl: `${upstream.url}/v1`, model: 'gpt-4o', apiKeyEnv: 'UPSTREAM_KEY' },
        {
          id: 'claude',
          provider: 'anthropic',
          baseUrl: `${upstream.url}/v1`,
          model: 'claude-sonnet-4-5',
          apiKeyEnv: 'ANTHROPIC_KEY',
        },
      ],
      models: [
        { name: 'gpt-4o', deployments: ['openai'] },
        { name: 'claude', deployments: ['claude'] },
      ],
      routes: [
        { id: 'no-retry', match: { model: 'gpt-4o' }, target: { deployment: 'gpt-4o' }, retries: { max: 0 } },
      ],
    },
    { UPSTREAM_KEY, ANTHROPIC_KEY },
  );
  openai = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: gw.url, apiKey: MASTER_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gw?.close();
  await upstream?.close();
});

const hello = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'Hello' }] };

async function caught(promise: Promise<unknown>): Promise<{ status: number; text: string }> {
  const err = (await promise.catch((e: unknown) => e)) as { status: number; error: unknown; message: string };
  return { status: err.status, text: JSON.stringify(err.error) + err.message };
}

describe('upstream errors that echo the upstream key', () => {
  it('a 401 of the upstream is the gateway configuration failing: a 502, without the key', async () => {
    upstream.route('POST /v1/chat/completions', echoKey(401));
    const err = await caught(openai.chat.completions.create(hello));
    expect(err.status).toBe(502);
    expect(err.text).toContain('upstream_auth_failed');
    expect(err.text).not.toContain(UPSTREAM_KEY);
  });

  it.each([400, 500])('a %s keeps its meaning and loses the key', async (status) => {
    upstream.route('POST /v1/chat/completions', echoKey(status));
    const err = await caught(openai.chat.completions.create(hello));
    expect(err.status).toBe(status === 400 ? 400 : 502);
    expect(err.text).toContain('Request refused for key');
    expect(err.text).toContain('[redacted]');
    expect(err.text).not.toContain(UPSTREAM_KEY);
  });

  it('on the Messages API too', async () => {
    upstream.route('POST /v1/messages', echoKey(400));
    const err = await caught(anthropic.messages.create({ ...hello, model: 'claude', max_tokens: 16 }));
    expect(err.status).toBe(400);
    expect(err.text).not.toContain(ANTHROPIC_KEY);
  });

  it('in an error event inside a stream', async () => {
    upstream.route('POST /v1/chat/completions', (req) => ({
      chunks: [
        'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}\n\n',
        `data: {"error":{"message":"stream failed for ${req.headers.authorization}","type":"server_error","code":500}}\n\n`,
      ],
    }));
    const res = await fetch(`${gw.openaiBaseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...hello, stream: true }),
    });
    const text = await res.text();
    expect(text).toContain('stream failed for');
    expect(text).not.toContain(UPSTREAM_KEY);
  });

  it('never reaches the records or their export', async () => {
    upstream.route('POST /v1/chat/completions', () => ({
      json: {
        id: 'c2',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4o',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: `Your key is ${UPSTREAM_KEY}` },
            finish_reason: 'stop',
          },
        ],
      },
    }));
    await openai.chat.completions.create(hello);
    const records = await gw.records();
    expect(records.some((r) => r.responseBody?.includes('[redacted]'))).toBe(true);
    expect(JSON.stringify(records)).not.toContain(UPSTREAM_KEY);
    const io = fakeIO({ cwd: gw.dataDir });
    expect(await main(['records', 'export', '--format', 'jsonl', '--data-dir', gw.dataDir], io)).toBe(0);
    expect(io.out()).not.toContain(UPSTREAM_KEY);
    expect(io.out()).not.toContain(MASTER_KEY);
  });
});
