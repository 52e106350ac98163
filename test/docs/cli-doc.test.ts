import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { COMMANDS, main } from '../../src/cli/main.js';
import { configSchema } from '../../src/config/schema/config-schema.js';
import { fakeIO } from '../support/fake-io.js';

const CLI_DOC = readFileSync('docs/cli.md', 'utf8');
const DEPLOYMENT_DOC = readFileSync('docs/deployment.md', 'utf8');

async function helpOf(argv: string[]): Promise<string> {
  const io = fakeIO();
  expect(await main([...argv, '--help'], io)).toBe(0);
  return io.out();
}

describe('docs/cli.md', () => {
  it.each(Object.keys(COMMANDS))(
    'has a section for `%s` naming every flag its --help lists',
    async (name) => {
      expect(CLI_DOC).toMatch(new RegExp(`^## ${name}$`, 'm'));
      const help = await helpOf([name]);
      const flags = new Set([...help.matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)].map((m) => m[0]));
      flags.delete('--help');
      const undocumented = [...flags].filter((flag) => !new RegExp(`\`${flag}\\b`).test(CLI_DOC));
      expect(undocumented).toEqual([]);
    },
  );
});

describe('docs/deployment.md', () => {
  it('shows only configuration that the schema accepts', () => {
    const blocks = [...DEPLOYMENT_DOC.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => parseYaml(m[1]) as unknown)
      .filter(
        (doc): doc is Record<string, unknown> => typeof doc === 'object' && doc !== null && 'server' in doc,
      );
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(configSchema.safeParse(block).error).toBeUndefined();
  });
});
