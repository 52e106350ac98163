import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadConfigFile } from '../../src/config/load-config.js';
import { compileRoutingTable } from '../../src/routing/index.js';
import { fakeIO } from '../support/fake-io.js';

const EXAMPLE = 'examples/switchyard.yaml';

/** The variables examples/README.md tells readers to set before checking the example. */
const DUMMY_ENV = {
  OPENAI_API_KEY: 'sk-dummy',
  ANTHROPIC_API_KEY: 'sk-ant-dummy',
  TOGETHER_API_KEY: 'dummy',
};

describe('examples/switchyard.yaml', () => {
  it('passes `switchyard config check` with the documented variables set', async () => {
    const io = fakeIO({ env: DUMMY_ENV });
    const code = await main(['config', 'check', EXAMPLE], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect(io.out()).toContain(`${EXAMPLE}: OK (5 deployments, 4 models, 5 routes)`);
  });

  it('names every variable the README lists, and no other', async () => {
    const io = fakeIO({ env: {} });
    const code = await main(['config', 'check', EXAMPLE], io);
    expect(code).toBe(1);
    const named = [...io.err().matchAll(/environment variable (\w+) is not set/g)].map((m) => m[1]).sort();
    expect(named).toEqual(Object.keys(DUMMY_ENV).sort());
  });

  it('compiles into a routing table: every route target names a real deployment or model', () => {
    const config = loadConfigFile(EXAMPLE, DUMMY_ENV);
    expect(() => compileRoutingTable(config)).not.toThrow();
  });
});
