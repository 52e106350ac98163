import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { ConfigInput } from '../../src/config/schema/config-schema.js';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import { aggregateUsage } from '../../src/usage/aggregate-usage.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

/** The YAML block of the README's worked example, exactly as a reader copies it. */
function workedExample(): ConfigInput {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## A worked example'));
  const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1];
  return parseYaml(yaml) as ConfigInput;
}

let llama: Simulator;
let openai: Simulator;
let claude: Simulator;
let gw: TestGateway;

beforeAll(async () => {
  llama = await startSimulator({ model: 'meta-llama/Llama-3.1-8B-Instruct', profile: 'vllm', ttftMs: 20 });
  openai = await startSimulator({ model: 'gpt-4o', profile: 'openai' });
  claude = await startSimulator({ model: 'claude-sonnet-4-5', protocol: 'anthropic' });
  const config = workedExample();
  const urls: Record<string, string> = {
    'llama-local': llama.url,
    'openai-gpt-4o': openai.url,
    claude: claude.url,
  };
  for (const d of config.deployments!) d.baseUrl = urls[d.id];
  gw = await startTestGateway(config, { OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: 'sk-ant-test' });
});

afterAll(async () => {
  await gw?.close();
  await Promise.all([llama?.close(), openai?.close(), claude?.close()]);
});

describe("README's worked example", () => {
  it('serves gpt-4o on the local Llama while it is healthy, with its cost, the baseline and the savings', async () => {
    const client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
    await Promise.all(
      Array.from({ length: 14 }, (_, i) =>
        client.chat.completions.create({
          model: 'gpt-4o',
          messages: [{ role: 'user', content: `Summarise ticket ${i} in one line.` }],
        }),
      ),
    );
    const chats = (sim: Simulator) =>
      sim.stats.recent.filter((r) => r.path === '/v1/chat/completions').length;
    expect(chats(llama)).toBe(14);
    expect(chats(openai)).toBe(0);

    const records = await gw.records();
    expect(records).toHaveLength(14);
    for (const r of records) {
      expect(r.deploymentId).toBe('llama-local');
      expect(r.costUsd).toBeGreaterThan(0);
      expect(r.baselineCostUsd).toBeGreaterThan(0);
    }
    const report = await aggregateUsage(
      (async function* () {
        yield* records;
      })(),
      { groupBy: ['model'] },
    );
    const { baselineCostUsd, costUsd, savingsUsd } = report.rows[0];
    expect(baselineCostUsd).toBeGreaterThan(costUsd!);
    expect(savingsUsd).toBeCloseTo(baselineCostUsd! - costUsd!, 9);

    const res = await fetch(`${gw.url}/admin/self-hosted`, {
      headers: { authorization: `Bearer ${MASTER_KEY}` },
    });
    const selfHosted = (await res.json()) as { deployments: Array<Record<string, number | string>> };
    const local = selfHosted.deployments.find((d) => d.id === 'llama-local')!;
    expect(local.requests).toBe(14);
    expect(local.effectiveUsdPerMillionTokens).toBeGreaterThan(0);
  });

  it('falls over to OpenAI when the local Llama fails', async () => {
    await llama.close();
    const client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });
    const { response } = await client.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello' }] })
      .withResponse();
    expect(response.headers.get('x-switchyard-route')).toMatch(
      /target=openai-gpt-4o.*failed=llama-local:connection/,
    );
    expect(openai.stats.recent.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(1);
  });
});
