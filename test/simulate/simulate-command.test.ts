import { PassThrough, Readable } from 'node:stream';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/cli-io.js';
import { main } from '../../src/cli/main.js';

function fakeIO(env: Record<string, string> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const controller = new AbortController();
  const io: CliIO = {
    stdout,
    stderr,
    stdin: Readable.from([]),
    env,
    cwd: process.cwd(),
    isTTY: false,
    stopSignal: controller.signal,
  };
  return { io, stop: () => controller.abort(), out: () => out, err: () => err };
}

describe('switchyard simulate', () => {
  it('prints its URL and a simulated banner, serves until stopped', async () => {
    const f = fakeIO({ SIM_KEY: 'sk-local' });
    const exit = main(
      [
        'simulate',
        '--port',
        '0',
        '--profile',
        'openai',
        '--model',
        'a',
        '--model',
        'b',
        '--ttft-ms',
        '0',
        '--tokens-per-second',
        '0',
        '--output-tokens',
        '3-5',
        '--api-key-env',
        'SIM_KEY',
      ],
      f.io,
    );
    await expect.poll(() => f.out(), { timeout: 5000 }).toMatch(/base URL: (http:\S+\/v1)/);
    expect(f.out()).toMatch(/SIMULATED/);
    const url = /base URL: (http:\S+\/v1)/.exec(f.out())![1];
    const client = new OpenAI({ baseURL: url, apiKey: 'sk-local', maxRetries: 0 });
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['a', 'b']);
    const done = await client.chat.completions.create({
      model: 'b',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(done.usage!.completion_tokens).toBeGreaterThanOrEqual(3);
    expect(done.usage!.completion_tokens).toBeLessThanOrEqual(5);
    f.stop();
    expect(await exit).toBe(0);
    expect(f.out()).toMatch(/stopped after 2 requests/);
  });

  it('rejects bad flags with a usage error', async () => {
    for (const args of [
      ['--error-mode', 'meteor', '--error-rate', '0.1'],
      ['--capacity', 'lots'],
      ['--bogus'],
      ['--profile', 'x'],
    ]) {
      const f = fakeIO();
      expect(await main(['simulate', ...args], f.io)).toBe(2);
      expect(f.err()).toMatch(/switchyard simulate:/);
    }
  });

  it('explains itself with --help', async () => {
    const f = fakeIO();
    expect(await main(['simulate', '--help'], f.io)).toBe(0);
    expect(f.out()).toMatch(/x-simulate-fault/);
  });
});
