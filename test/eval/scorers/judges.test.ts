import { describe, expect, it } from 'vitest';
import { parsePairVerdict } from '../../../src/eval/judge/pairwise-prompt.js';
import { parseRubric, parseRubricVerdict, DEFAULT_RUBRIC } from '../../../src/eval/judge/rubric.js';
import { pairwiseJudge } from '../../../src/eval/scorers/judge-pairwise.js';
import { rubricJudge } from '../../../src/eval/scorers/judge-rubric.js';
import { evalCase, fakeContext, text } from './scorer-fixtures.js';

const GOOD = text('Paris is the capital of France.');
const BAD = text('Lyon.');

/** A fair judge: prefers whichever answer mentions Paris, wherever it is shown. */
const fairJudge = (prompt: string) => {
  const a = prompt.slice(prompt.indexOf('[Answer A]'), prompt.indexOf('[Answer B]'));
  const b = prompt.slice(prompt.indexOf('[Answer B]'));
  const ga = a.includes('Paris');
  const gb = b.slice(0, b.indexOf('Judge correctness')).includes('Paris');
  return ga === gb ? 'Same. [[C]]' : ga ? 'A is right. [[A]]' : 'B is right. [[B]]';
};

describe('pairwise judge', () => {
  it('reads the last [[A]]/[[B]]/[[C]] of the reply', () => {
    expect(parsePairVerdict('maybe [[B]]... final: [[A]]')).toBe('A');
    expect(parsePairVerdict('[[C]]')).toBe('tie');
    expect(parsePairVerdict('A is better')).toBeNull();
  });

  it('is blind: shows A and B, never model names, in an order drawn from the seed', async () => {
    const judge = pairwiseJudge({ model: 'judge-model', bothOrdersShare: 0 });
    const shownFirst: string[] = [];
    for (let seed = 1; seed <= 40; seed++) {
      const ctx = fakeContext((r) => fairJudge(String(r.messages[0].content)), { seed });
      const s = await judge.score({ case: evalCase(), output: GOOD, baseline: BAD }, ctx);
      expect(s.value).toBe(1);
      expect(ctx.prompts[0]).not.toMatch(/candidate|baseline/i);
      shownFirst.push(String(s.details!.candidateShownAs));
      // The same seed shows the same order again (a resumed run).
      const again = await judge.score(
        { case: evalCase(), output: GOOD, baseline: BAD },
        fakeContext(() => '[[C]]', { seed }),
      );
      expect(again.details!.candidateShownAs).toBe(s.details!.candidateShownAs);
    }
    const asA = shownFirst.filter((x) => x === 'A').length;
    expect(asA).toBeGreaterThan(10);
    expect(asA).toBeLessThan(30);
  });

  it('judges a share in both orders and turns a position-swayed verdict into a tie', async () => {
    const judge = pairwiseJudge({ model: 'judge-model', bothOrdersShare: 1 });
    const biased = fakeContext(() => 'The first one. [[A]]');
    const s = await judge.score({ case: evalCase(), output: GOOD, baseline: BAD }, biased);
    expect(biased.prompts).toHaveLength(2);
    expect(s.value).toBe(0.5);
    expect(s.details).toMatchObject({ bothOrders: true, positionDisagreement: true, preferred: 'tie' });
    const fair = fakeContext((r) => fairJudge(String(r.messages[0].content)));
    const f = await judge.score({ case: evalCase(), output: BAD, baseline: GOOD }, fair);
    expect(f).toMatchObject({
      value: 0,
      details: { bothOrders: true, positionDisagreement: false, preferred: 'baseline' },
    });
  });

  it('reports an unreadable verdict as no score rather than a guess', async () => {
    const judge = pairwiseJudge({ model: 'judge-model', bothOrdersShare: 0 });
    const s = await judge.score(
      { case: evalCase(), output: GOOD, baseline: BAD },
      fakeContext(() => 'Both fine.'),
    );
    expect(s.value).toBeNull();
    expect(s.explanation).toMatch(/unreadable/);
  });

  it('refuses a prompt file with a misspelt placeholder, and a missing judge model', () => {
    expect(() => pairwiseJudge({ model: 'j', prompt: '{{conversation}} {{answer_a}} {{answr_b}}' })).toThrow(
      /unknown placeholder \{\{answr_b\}\}/,
    );
    expect(() => pairwiseJudge({ model: undefined })).toThrow(/--judge MODEL/);
  });
});

describe('rubric judge', () => {
  it('rescales 1..N per criterion and averages', async () => {
    const judge = rubricJudge({ model: 'judge-model' });
    const ctx = fakeContext(
      () =>
        '{"scores": {"correctness": 5, "instruction_following": 3, "helpfulness": 1}, "explanation": "ok"}',
    );
    const s = await judge.score({ case: evalCase({ expected: 'Paris' }), output: GOOD }, ctx);
    // (4/4 + 2/4 + 0/4) / 3 = 0.5
    expect(s.value).toBeCloseTo(0.5, 12);
    expect(s.fields).toEqual({ correctness: 1, instruction_following: 0.5, helpfulness: 0 });
    expect(s.explanation).toBe('ok');
    expect(ctx.prompts[0]).toContain('Paris is the capital of France.');
    expect(ctx.prompts[0]).toContain('from 1 (worst) to 5 (best)');
  });

  it('loads a rubric file and rejects out-of-range scores', () => {
    const rubric = parseRubric('scale: 3\ncriteria:\n  - name: tone\n    description: Polite and calm.\n');
    expect(rubric.criteria).toEqual([{ name: 'tone', description: 'Polite and calm.' }]);
    expect(parseRubricVerdict('{"scores": {"tone": 4}}', rubric)).toMatchObject({ ok: false });
    expect(parseRubricVerdict('Sure! {"scores": {"tone": 3}}', rubric)).toMatchObject({
      ok: true,
      scores: { tone: 3 },
    });
    expect(() => parseRubric('criteria: []')).toThrow(/criteria/);
    expect(DEFAULT_RUBRIC.criteria.map((c) => c.name)).toEqual([
      'correctness',
      'instruction_following',
      'helpfulness',
    ]);
  });
});
