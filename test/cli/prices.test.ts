import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fakeIO } from '../support/fake-io.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-prices-'));
  dirs.push(dir);
  return dir;
}

async function prices(cwd: string, ...argv: string[]) {
  const io = fakeIO({ cwd });
  const code = await main(['prices', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

const litellm = JSON.stringify({
  sample_spec: { mode: 'chat' },
  'gpt-4o': {
    litellm_provider: 'openai',
    mode: 'chat',
    input_cost_per_token: 2.5e-6,
    output_cost_per_token: 1e-5,
  },
  'my-finetune': {
    litellm_provider: 'openai',
    mode: 'chat',
    input_cost_per_token: 3e-6,
    output_cost_per_token: 1.2e-5,
  },
  'text-embedding-3-large': { litellm_provider: 'openai', mode: 'embedding', input_cost_per_token: 1.3e-7 },
  'ollama/llama3': {
    litellm_provider: 'ollama',
    mode: 'chat',
    input_cost_per_token: 0,
    output_cost_per_token: 0,
  },
});

describe('switchyard prices show', () => {
  it('lists the catalogue with sources and dates', async () => {
    const { code, out } = await prices(workdir(), 'show');
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toMatch(
      /^model\s+provider\s+input\/M\s+output\/M\s+cached\/M\s+from\s+source\s+retrieved/,
    );
    expect(out).toMatch(
      /\ngpt-4o\s+openai\s+\$2\.5\s+\$10\s+\$1\.25\s+catalogue\s+https:\/\/github\.com\/BerriAI\/litellm\S+ \(July 2026 snapshot\)\s+\d{4}-\d{2}-\d{2}/,
    );
  });

  it('shows every provider’s price for a model and which one a name resolves to', async () => {
    const { out } = await prices(workdir(), 'show', 'llama-3.3-70b');
    expect(out).toMatch(/together\/meta-llama\/Llama-3\.3-70B-Instruct-Turbo\s+together\s+\$0\.88/);
    expect(out).toMatch(/groq\/llama-3\.3-70b-versatile\s+groq\s+\$0\.59\s+\$0\.79/);
    expect(out).toMatch(/sold by .*at different prices/);
    const snapshot = await prices(workdir(), 'show', 'gpt-4o-2024-08-06', '--json');
    expect(JSON.parse(snapshot.out)).toEqual([
      expect.objectContaining({ model: 'gpt-4o-2024-08-06', inputPerMillionUsd: 2.5, origin: 'catalogue' }),
    ]);
  });

  it('shows the rates usage is billed at beside the standard one', async () => {
    const { out } = await prices(workdir(), 'show', 'claude-sonnet-4-5');
    expect(out).toContain('cache writes: $3.75 (5 minutes) / $6 (1 hour)');
    expect(out).toContain('prompts over 200,000 tokens: $6 in / $22.5 out / $0.6 cached');
    const gpt4o = await prices(workdir(), 'show', 'gpt-4o');
    expect(gpt4o.out).toContain('batch: $1.25 in / $5 out');
    expect(gpt4o.out).toContain('priority: $4.25 in / $17 out / $2.125 cached');
  });

  it('fails for an unknown model', async () => {
    const { code, err } = await prices(workdir(), 'show', 'no-such-model');
    expect(code).toBe(1);
    expect(err).toMatch(/no price for 'no-such-model'/);
  });
});

describe('switchyard prices import', () => {
  it('imports a LiteLLM file, reports what it skipped, and the file works as cost.priceFiles', async () => {
    const cwd = workdir();
    writeFileSync(join(cwd, 'litellm.json'), litellm);
    const { code, out } = await prices(
      cwd,
      'import',
      'litellm.json',
      '--out',
      'imported.json',
      '--retrieved',
      '2026-11-20',
    );
    expect(code).toBe(0);
    expect(out).toContain('Imported 2 models from litellm.json (litellm format) into imported.json.');
    expect(out).toContain('Skipped 2:');
    expect(out).toMatch(/1 × not a text model \(mode embedding\) \(e\.g\. text-embedding-3-large\)/);
    expect(out).toMatch(/1 × self-hosted runtime \(ollama\)/);
    const written = JSON.parse(readFileSync(join(cwd, 'imported.json'), 'utf8')) as { prices: unknown[] };
    expect(written.prices).toHaveLength(2);

    writeFileSync(
      join(cwd, 'switchyard.yaml'),
      'cost:\n  priceFiles: [imported.json]\n  prices:\n    gpt-4o: { inputPerMillionUsd: 2, outputPerMillionUsd: 8 }\n',
    );
    const shown = await prices(cwd, 'show', 'my-finetune', '--config', 'switchyard.yaml');
    expect(shown.out).toMatch(/my-finetune\s+openai\s+\$3\s+\$12\s+-\s+file\s+litellm\.json\s+2026-11-20/);
    const overridden = await prices(cwd, 'show', 'gpt-4o', '--config', 'switchyard.yaml');
    expect(overridden.out).toMatch(/priced as gpt-4o \(\*, from config\)/);
  });

  it('imports an OpenRouter models list', async () => {
    const cwd = workdir();
    writeFileSync(
      join(cwd, 'models.json'),
      JSON.stringify({
        data: [{ id: 'qwen/qwen3-32b', pricing: { prompt: '0.0000001', completion: '0.0000003' } }],
      }),
    );
    const { code, out } = await prices(cwd, 'import', 'models.json');
    expect(code).toBe(0);
    expect(out).toContain('Imported 1 models from models.json (openrouter format) into prices.json.');
  });

  it('explains unreadable input', async () => {
    const cwd = workdir();
    writeFileSync(join(cwd, 'bad.json'), '[]');
    expect((await prices(cwd, 'import', 'bad.json')).err).toMatch(
      /neither a LiteLLM price map nor an OpenRouter/,
    );
    expect((await prices(cwd, 'import', 'missing.json')).err).toMatch(/cannot read missing\.json/);
    expect((await prices(cwd, 'import')).code).toBe(2);
  });
});
