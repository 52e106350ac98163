import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseChatRequest } from '../../src/protocols/chat/parse-chat-request.js';
import { anthropicErrorType } from '../../src/protocols/messages/to-anthropic-error-body.js';
import { GatewayError } from '../../src/spec/gateway-error.js';

const DOC = readFileSync('docs/errors.md', 'utf8');

/** Rows of every Markdown table whose header has a cell equal to `header`, as cell arrays. */
function tableColumn(markdown: string, header: RegExp): { row: string[]; col: number }[] {
  const rows: { row: string[]; col: number }[] = [];
  let col = -1;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      col = -1;
      continue;
    }
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (col === -1) {
      col = cells.findIndex((c) => header.test(c));
      if (col === -1) col = -2;
      continue;
    }
    if (col < 0 || /^-+$/.test(cells[0])) continue;
    rows.push({ row: cells, col });
  }
  return rows;
}

function sourceText(dir: string): string {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

/** Codes the validator composes from the kind of number and the side of the bound. */
const COMPOSED: Record<string, unknown> = {
  integer_below_min_value: { n: 0 },
  integer_above_max_value: { temperature: 5 },
  decimal_below_min_value: { top_p: -0.5 },
  decimal_above_max_value: { temperature: 2.5 },
};

function codeFor(extra: unknown): string {
  try {
    parseChatRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...(extra as object) });
  } catch (err) {
    if (err instanceof GatewayError) return err.code;
    throw err;
  }
  return 'accepted';
}

describe('docs/errors.md', () => {
  const documented = new Set(
    tableColumn(DOC, /^`code`$/).flatMap(({ row, col }) =>
      [...row[col].matchAll(/`([a-z0-9_]+)`/g)].map((m) => m[1]),
    ),
  );

  it('documents the validation, routing and cost codes', () => {
    for (const code of [
      'invalid_body',
      'empty_array',
      'unsupported_parameter',
      'unsupported_value',
      'invalid_data_class',
      'no_backend_available',
      'budget_exceeded',
      'rate_limit_exceeded',
      ...Object.keys(COMPOSED),
    ])
      expect(documented, code).toContain(code);
  });

  it('lists only codes the gateway really returns', () => {
    const src = sourceText('src');
    const missing = [...documented].filter(
      (code) => !(code in COMPOSED) && !src.includes(`'${code}'`) && !src.includes(`"${code}"`),
    );
    expect(missing).toEqual([]);
  });

  it('documents every code the request path can answer with', () => {
    // Codes given to GatewayError (and its helpers) in the folders a request passes through.
    const folders = ['server', 'limits', 'routing', 'spec', 'residency', 'providers', 'rollout', 'secrets'];
    const src = folders.map((f) => sourceText(`src/${f}`)).join('\n');
    const thrown = new Set(
      [...src.matchAll(/\bcode: '([a-z_]+)'/g)].map((m) => m[1]).filter((code) => code !== 'custom'),
    );
    const undocumented = [...thrown].filter((code) => !documented.has(code));
    expect(undocumented).toEqual([]);
  });

  it.each(Object.entries(COMPOSED))('the validator answers %s for %j', (code, extra) => {
    expect(codeFor(extra)).toBe(code);
  });

  it("maps statuses to Anthropic's error types as the table says", () => {
    const rows = tableColumn(DOC, /^Anthropic `error\.type`$/);
    expect(rows.length).toBeGreaterThan(8);
    for (const { row, col } of rows) {
      const type = /`([a-z_]+)`/.exec(row[col])?.[1];
      const statuses = [...row[0].matchAll(/\d{3}/g)].map((m) => Number(m[0]));
      const examples =
        row[0] === 'other 4xx' ? [405, 409, 422] : row[0] === 'other 5xx' ? [500, 502] : statuses;
      for (const status of examples) expect(anthropicErrorType(status), `${status}`).toBe(type);
    }
  });
});
