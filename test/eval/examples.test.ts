import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCases } from '../../src/eval/case/read-cases.js';
import { DEFAULT_PAIRWISE_PROMPT } from '../../src/eval/judge/pairwise-prompt.js';
import { DEFAULT_RUBRIC, parseRubric } from '../../src/eval/judge/rubric.js';
import { resolveScorers } from '../../src/eval/scorers/registry.js';
import { evalCase, score, text } from './scorers/scorer-fixtures.js';

describe('examples/eval', () => {
  it('cases.jsonl is a valid dataset using every kind of expectation', () => {
    const cases = parseCases(readFileSync('examples/eval/cases.jsonl', 'utf8'));
    expect(cases.map((c) => c.id)).toEqual([
      'capital-fr',
      'gsm-clips',
      'invoice-1',
      'weather-tool',
      'date-format',
      'support-refund',
    ]);
  });

  it('prompts/pairwise.md and rubric.yaml are the built-in defaults, ready to edit', () => {
    expect(readFileSync('examples/eval/prompts/pairwise.md', 'utf8')).toBe(DEFAULT_PAIRWISE_PROMPT);
    const rubric = parseRubric(readFileSync('examples/eval/rubric.yaml', 'utf8'));
    expect(rubric).toEqual(DEFAULT_RUBRIC);
  });

  it('the custom scorer loads and scores', async () => {
    const [scorer] = await resolveScorers(
      ['examples/eval/scorers/mentions-order-number.mjs'],
      {},
      process.cwd(),
    );
    const c = evalCase({ messages: [{ role: 'user', content: 'My order 5521 arrived broken.' }] });
    expect((await score(scorer, { case: c, output: text('Sorry about order 5521!') })).value).toBe(1);
    expect((await score(scorer, { case: c, output: text('Sorry!') })).value).toBe(0);
  });
});
