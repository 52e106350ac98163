import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { rolloutSchema, rolloutsSchema } from '../../src/config/schema/rollouts-schema.js';

const ROLLOUTS_DOC = readFileSync('docs/rollouts.md', 'utf8');
const CONFIG_DOC = readFileSync('docs/config.md', 'utf8');

function yamlBlocks(markdown: string): unknown[] {
  return [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => parseYaml(m[1]) as unknown)
    .filter(
      (doc): doc is { rollouts: unknown } => typeof doc === 'object' && doc !== null && 'rollouts' in doc,
    )
    .map((doc) => doc.rollouts);
}

describe('docs/rollouts.md and the rollouts section of docs/config.md', () => {
  it('show only rollouts the schema accepts', () => {
    const blocks = [...yamlBlocks(ROLLOUTS_DOC), ...yamlBlocks(CONFIG_DOC)];
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const block of blocks) expect(rolloutsSchema.safeParse(block).error).toBeUndefined();
  });

  it('state the defaults the schema applies', () => {
    const defaults = rolloutSchema.parse({ route: 'r', baseline: 'a', candidate: 'b' }) as Record<
      string,
      unknown
    >;
    const rows = [...ROLLOUTS_DOC.matchAll(/^\| `([a-zA-Z.]+)` +\| `([^`]+)` +\|/gm)];
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const [, path, documented] of rows) {
      const value = path
        .split('.')
        .reduce<unknown>((v, key) => (v as Record<string, unknown>)[key], defaults);
      expect(JSON.stringify(value), path).toBe(JSON.stringify(parseYaml(documented)));
    }
  });
});
