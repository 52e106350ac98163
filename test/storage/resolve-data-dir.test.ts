import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveDataDir } from '../../src/storage/resolve-data-dir.js';
import { tempDataDir } from './temp-data-dir.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

describe('resolveDataDir', () => {
  it('defaults to .switchyard in the working directory', () => {
    expect(resolveDataDir({ cwd: '/srv/app' })).toBe('/srv/app/.switchyard');
  });

  it('prefers --data-dir over a config file', () => {
    expect(resolveDataDir({ cwd: '/srv/app', dataDir: 'data', configPath: '/nowhere.yaml' })).toBe(
      '/srv/app/data',
    );
  });

  it("reads server.dataDir from a config without needing the upstreams' API keys", () => {
    const t = tempDataDir();
    cleanups.push(t.remove);
    const file = join(t.dir, 'switchyard.yaml');
    writeFileSync(
      file,
      [
        'server:',
        '  dataDir: /var/lib/switchyard',
        'deployments:',
        '  - id: openai',
        '    provider: openai-compatible',
        '    baseUrl: https://api.openai.com/v1',
        '    model: gpt-4o',
        '    apiKeyEnv: UNSET_KEY_FOR_TEST',
      ].join('\n'),
    );
    expect(resolveDataDir({ cwd: t.dir, configPath: 'switchyard.yaml' })).toBe('/var/lib/switchyard');
  });

  it('names the key when server.dataDir is wrong', () => {
    const t = tempDataDir();
    cleanups.push(t.remove);
    writeFileSync(join(t.dir, 'c.yaml'), 'server:\n  dataDir: 42\n');
    expect(() => resolveDataDir({ cwd: t.dir, configPath: 'c.yaml' })).toThrow(/server\.dataDir/);
  });
});
