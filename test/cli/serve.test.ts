import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import { fakeIO } from '../support/fake-io.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ model: 'qwen-sim' });
});
afterAll(async () => sim?.close());

async function serve(args: string[], env: Record<string, string> = {}) {
  const cwd = mkdtempSync(join(tmpdir(), 'switchyard-serve-'));
  const io = fakeIO({ env, cwd });
  const exit = main(['serve', ...args, '--port', '0'], io);
  await expect.poll(() => io.out(), { timeout: 5000 }).toMatch(/listening on (http:\/\/\S+)/);
  const url = /listening on (http:\/\/\S+)/.exec(io.out())![1];
  return { url, io, exit, cwd };
}

describe('switchyard serve --upstream', () => {
  it('passes every model name through to one upstream, with no config file, and records requests', async () => {
    const { url, io, exit, cwd } = await serve(['--upstream', sim.url, '--data-dir', 'data']);
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const reply = await client.chat.completions.create({
      model: 'any-model-name',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(reply.choices[0].message.content).toContain('simulated');
    expect((sim.stats.recent.at(-1)!.body as { model: string }).model).toBe('any-model-name');
    io.stop();
    expect(await exit).toBe(0);
    const out = fakeIO({ cwd });
    expect(await main(['records', 'export', '--format', 'jsonl', '--data-dir', 'data'], out)).toBe(0);
    const lines = out
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ modelRequested: 'any-model-name', status: 200 });
  });

  it('requires a key once a master key is set', async () => {
    const { url, io, exit } = await serve(['--upstream', sim.url], {
      SWITCHYARD_MASTER_KEY: 'sk-master-123',
    });
    const anonymous = await fetch(`${url}/v1/models`);
    expect(anonymous.status).toBe(401);
    const ok = await fetch(`${url}/v1/models`, { headers: { authorization: 'Bearer sk-master-123' } });
    expect(ok.status).toBe(200);
    io.stop();
    expect(await exit).toBe(0);
  });

  it('refuses an --upstream without a scheme, saying what to write', async () => {
    const io = fakeIO({ cwd: mkdtempSync(join(tmpdir(), 'switchyard-serve-')) });
    expect(await main(['serve', '--upstream', 'localhost:8000', '--port', '0'], io)).toBe(2);
    expect(io.err()).toContain('must start with http:// or https://');
  });

  it('refuses an --upstream missing its /v1 prefix, naming the URL that works', async () => {
    const origin = sim.url.replace(/\/v1$/, '');
    const io = fakeIO({ cwd: mkdtempSync(join(tmpdir(), 'switchyard-serve-')) });
    expect(await main(['serve', '--upstream', origin, '--port', '0'], io)).toBe(2);
    expect(io.err()).toContain(`use --upstream ${origin}/v1`);
  });

  it('starts with a warning when nothing answers at --upstream yet', async () => {
    const { io, exit } = await serve(['--upstream', 'http://127.0.0.1:9/v1']);
    expect(io.err()).toMatch(/warning: nothing answers at http:\/\/127\.0\.0\.1:9\/v1 yet/);
    io.stop();
    expect(await exit).toBe(0);
  });

  it('refuses to start without --config or --upstream', async () => {
    const io = fakeIO();
    expect(await main(['serve'], io)).toBe(2);
    expect(io.err()).toMatch(/--config FILE or --upstream URL/);
  });
});
