import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const ask = (s: Simulator) =>
  new OpenAI({ baseURL: s.url, apiKey: 'x', maxRetries: 0 }).chat.completions
    .create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
    .withResponse();

describe('server profiles', () => {
  it('openai: request id, processing time and rate-limit headers, OpenAI-style ids and usage details', async () => {
    sim = await startSimulator({ profile: 'openai', model: 'gpt-4o' });
    const { data, response } = await ask(sim);
    expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    expect(Number(response.headers.get('openai-processing-ms'))).toBeGreaterThanOrEqual(0);
    for (const h of [
      'x-ratelimit-limit-requests',
      'x-ratelimit-remaining-tokens',
      'x-ratelimit-reset-requests',
    ])
      expect(response.headers.get(h)).not.toBeNull();
    expect(data.id).toMatch(/^chatcmpl-[A-Za-z0-9]{29}$/);
    expect(data.service_tier).toBe('default');
    expect(data.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(data.choices[0].message.refusal).toBeNull();
    expect((await fetch(`${sim.origin}/metrics`)).status).toBe(404);
  });

  it('vllm: hex ids, an empty /health, a /metrics page, and 503 when marked unhealthy', async () => {
    sim = await startSimulator({ profile: 'vllm' });
    const { data, response } = await ask(sim);
    expect(data.id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
    expect(response.headers.get('x-request-id')).toBeNull();
    const health = await fetch(`${sim.origin}/health`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('');
    expect(await (await fetch(`${sim.origin}/metrics`)).text()).toContain('vllm:num_requests_running');
    sim.setBehaviour({ healthy: false });
    expect((await fetch(`${sim.origin}/health`)).status).toBe(503);
  });

  it('tgi: empty completion ids and queue gauges', async () => {
    sim = await startSimulator({ profile: 'tgi' });
    const { data } = await ask(sim);
    expect(data.id).toBe('');
    expect(await (await fetch(`${sim.origin}/metrics`)).text()).toContain('tgi_queue_size 0');
    expect(await (await fetch(`${sim.origin}/info`)).json()).toMatchObject({ model_id: 'simulated-model' });
  });

  it('ollama: short numeric ids and its root banner', async () => {
    sim = await startSimulator({ profile: 'ollama', model: 'llama3.2' });
    const { data } = await ask(sim);
    expect(data.id).toMatch(/^chatcmpl-\d{1,3}$/);
    expect(await (await fetch(`${sim.origin}/`)).text()).toMatch(/Ollama is running/);
    expect(await (await fetch(`${sim.origin}/api/tags`)).json()).toMatchObject({
      models: [{ name: 'llama3.2' }],
    });
  });

  it('switches protocol and profile at run time', async () => {
    sim = await startSimulator({ profile: 'vllm' });
    sim.setBehaviour({ profile: 'openai' });
    expect((await ask(sim)).response.headers.get('x-request-id')).not.toBeNull();
    sim.setBehaviour({ protocol: 'anthropic' });
    expect((await fetch(`${sim.url}/chat/completions`, { method: 'POST', body: '{}' })).status).toBe(404);
    const res = await fetch(`${sim.url}/messages`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(await res.json()).toMatchObject({ type: 'message', stop_reason: 'max_tokens' });
  });
});
