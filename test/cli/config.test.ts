import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fakeIO } from '../support/fake-io.js';

function configFile(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-config-'));
  writeFileSync(join(dir, 'switchyard.yaml'), text);
  return { dir, file: 'switchyard.yaml' };
}

describe('switchyard config check', () => {
  it('accepts a valid file and summarises it', async () => {
    const { dir, file } = configFile(`
deployments:
  - id: local
    baseUrl: http://localhost:8000/v1
    model: llama
    location: internal
  - id: openai
    baseUrl: https://api.openai.com/v1
    model: gpt-4o
    apiKeyEnv: OPENAI_API_KEY
models:
  - name: gpt-4o
    deployments: [local, openai]
`);
    const io = fakeIO({ cwd: dir, env: { OPENAI_API_KEY: 'sk-x' } });
    expect(await main(['config', 'check', file], io)).toBe(0);
    expect(io.out()).toContain('OK (2 deployments, 1 models');
  });

  it('names every bad key and its fix', async () => {
    const { dir, file } = configFile(`
deployments:
  - id: local
    baseUrl: not-a-url
    model: llama
    locaton: internal
  - id: openai
    baseUrl: https://api.openai.com/v1
    model: gpt-4o
    apiKeyEnv: OPENAI_API_KEY
models:
  - name: gpt-4o
    deployments: [openai, gpt4o]
`);
    const io = fakeIO({ cwd: dir });
    expect(await main(['config', 'check', file], io)).toBe(1);
    expect(io.err()).toContain('deployments[0].baseUrl');
    expect(io.err()).toContain("deployments[0]: unknown key(s) 'locaton'");
  });

  it('reports cross-reference problems: missing env vars and unknown deployments', async () => {
    const { dir, file } = configFile(`
deployments:
  - id: openai
    baseUrl: https://api.openai.com/v1
    model: gpt-4o
    apiKeyEnv: OPENAI_API_KEY
models:
  - name: gpt-4o
    deployments: [openai, gpt4o]
`);
    const io = fakeIO({ cwd: dir });
    expect(await main(['config', 'check', file], io)).toBe(1);
    expect(io.err()).toContain('deployments[0].apiKeyEnv: environment variable OPENAI_API_KEY is not set');
    expect(io.err()).toContain("models[0].deployments[1]: no deployment with id 'gpt4o'");
  });

  it('prints a JSON Schema for editors', async () => {
    const io = fakeIO();
    expect(await main(['config', 'schema'], io)).toBe(0);
    const schema = JSON.parse(io.out());
    expect(schema.properties.deployments.type).toBe('array');
    expect(schema.properties.deployments.items.properties.location.enum).toEqual(['internal', 'external']);
  });
});

describe('config check resolves route references', () => {
  it('names a route target that is neither a deployment nor a model', async () => {
    const { dir, file } = configFile(`
deployments:
  - { id: local, baseUrl: http://localhost:8000/v1, model: llama, location: internal }
models:
  - { name: llama, deployments: [local] }
routes:
  - id: bulk
    match: { workload: bulk }
    target: { fallback: [local, no-such-backend] }
`);
    const io = fakeIO({ cwd: dir });
    expect(await main(['config', 'check', file], io)).toBe(1);
    expect(io.err()).toContain('routes[0].target.fallback[1]');
  });

  it('treats an unknown flag as a usage error (exit 2)', async () => {
    const io = fakeIO();
    expect(await main(['config', 'check', '--bogus'], io)).toBe(2);
  });
});
