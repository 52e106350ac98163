import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

/** The gateway's overhead has one definition: the response header and the record show the same figure. */

let sim: Simulator;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSimulator({ model: 'sim', ttftMs: 40, outputTokens: 8 });
  gw = await startTestGateway({
    deployments: [{ id: 'sim', baseUrl: sim.url, model: 'sim', location: 'internal' }],
    models: [{ name: 'sim', deployments: ['sim'] }],
  });
  client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gw?.close();
  await sim?.close();
});

async function recordOf(response: Response) {
  const id = response.headers.get('x-request-id');
  return (await gw.records()).find((r) => r.id === id)!;
}

describe('x-switchyard-overhead-ms', () => {
  it('equals the record for a whole answer, a stream and an error, and leaves out the upstream wait', async () => {
    const hello = { model: 'sim', messages: [{ role: 'user' as const, content: 'Hello' }] };
    const whole = await client.chat.completions.create(hello).withResponse();
    const streamed = await client.chat.completions.create({ ...hello, stream: true }).withResponse();
    for await (const _ of streamed.data) void _;
    const failed = await fetch(`${gw.openaiBaseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'no-such-model', messages: hello.messages }),
    });
    expect(failed.status).toBe(404);
    for (const response of [whole.response, streamed.response, failed]) {
      const shown = Number(response.headers.get('x-switchyard-overhead-ms'));
      const record = await recordOf(response);
      expect(record.overheadMs).toBe(shown);
      // The simulated first token takes 40 ms; none of it is the gateway's.
      expect(shown).toBeLessThan(record.latencyMs);
    }
    expect((await recordOf(whole.response)).latencyMs).toBeGreaterThanOrEqual(40);
  });
});
