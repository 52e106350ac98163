import { describe, expect, it } from 'vitest';
import { embeddingSimilarity, cosineSimilarity } from '../../../src/eval/scorers/embedding-similarity.js';
import { resolveScorers, SCORERS } from '../../../src/eval/scorers/registry.js';
import { scoreCase, type CallOutcome } from '../../../src/eval/scorers/score-case.js';
import { exactMatch } from '../../../src/eval/scorers/exact-match.js';
import { jsonValid } from '../../../src/eval/scorers/json-valid.js';
import { pairwiseJudge } from '../../../src/eval/scorers/judge-pairwise.js';
import { evalCase, expectedRef, fakeContext, score, text } from './scorer-fixtures.js';

const ok = (t: string): CallOutcome => ({ ok: true, output: text(t) });
const failed: CallOutcome = {
  ok: false,
  error: { status: 503, code: 'upstream_unavailable', message: 'down' },
};

describe('scorer registry', () => {
  it('resolves built-in names, aliases and custom modules (JavaScript and TypeScript)', async () => {
    const scorers = await resolveScorers(
      [
        'exact',
        'normalised',
        'test/eval/fixtures/length-scorer.mjs',
        './test/eval/fixtures/politeness-scorer.ts',
      ],
      {},
      process.cwd(),
    );
    expect(scorers.map((s) => s.name)).toEqual(['exact', 'normalized', 'short-answer', 'polite']);
    expect((await score(scorers[2], { case: evalCase(), output: text('Paris') })).value).toBe(1);
  });

  it('says what is wrong with a bad spec', async () => {
    await expect(resolveScorers(['exactly'], {}, process.cwd())).rejects.toThrow(
      /unknown scorer 'exactly'; use one of exact/,
    );
    await expect(resolveScorers(['exact', 'exact'], {}, process.cwd())).rejects.toThrow(/given twice/);
    await expect(resolveScorers(['./missing.mjs'], {}, process.cwd())).rejects.toThrow(/no such file/);
    await expect(resolveScorers(['judge'], {}, process.cwd())).rejects.toThrow(/--judge MODEL/);
    await expect(
      resolveScorers(['test/eval/fixtures/published-nothing.mjs'], {}, process.cwd()),
    ).rejects.toThrow(/must export/);
    expect(Object.keys(SCORERS)).toHaveLength(13);
  });
});

describe('scoreCase', () => {
  it('scores both models against an expected answer, and a failed call as 0', async () => {
    const rows = await scoreCase(
      exactMatch,
      evalCase({ expected: 'Paris' }),
      { baseline: ok('Paris'), candidate: failed },
      () => fakeContext(),
    );
    expect(rows).toEqual([
      { role: 'baseline', reference: 'expected', score: { value: 1 } },
      {
        role: 'candidate',
        reference: 'expected',
        score: { value: 0, explanation: 'the call failed: 503 upstream_unavailable down' },
      },
    ]);
  });

  it('without an expected answer, scores only the candidate, against the baseline', async () => {
    const rows = await scoreCase(
      exactMatch,
      evalCase(),
      { baseline: ok('Paris'), candidate: ok('Paris') },
      () => fakeContext(),
    );
    expect(rows).toEqual([{ role: 'candidate', reference: 'baseline', score: { value: 1 } }]);
    const noRef = await scoreCase(exactMatch, evalCase(), { baseline: failed, candidate: ok('Paris') }, () =>
      fakeContext(),
    );
    expect(noRef[0]).toMatchObject({ role: 'candidate', reference: null, score: { value: null } });
  });

  it('scores output-only scorers per model and pair scorers once, skipping roles already done', async () => {
    const both = await scoreCase(jsonValid, evalCase(), { baseline: ok('{}'), candidate: ok('nope') }, () =>
      fakeContext(),
    );
    expect(both.map((r) => [r.role, r.score.value])).toEqual([
      ['baseline', 1],
      ['candidate', 0],
    ]);
    const resumed = await scoreCase(
      jsonValid,
      evalCase(),
      { baseline: ok('{}'), candidate: ok('nope') },
      () => fakeContext(),
      new Set(['baseline']),
    );
    expect(resumed.map((r) => r.role)).toEqual(['candidate']);
    const judge = pairwiseJudge({ model: 'j', bothOrdersShare: 0 });
    const lost = await scoreCase(judge, evalCase(), { baseline: ok('Paris'), candidate: failed }, () =>
      fakeContext(),
    );
    expect(lost).toMatchObject([{ role: 'pair', score: { value: 0 } }]);
    const won = await scoreCase(judge, evalCase(), { baseline: failed, candidate: ok('Paris') }, () =>
      fakeContext(),
    );
    expect(won).toMatchObject([
      { role: 'pair', score: { value: 1, explanation: 'the baseline call failed' } },
    ]);
  });
});

describe('embedding similarity', () => {
  it('is the cosine of the two embeddings, clipped to [0, 1]', async () => {
    expect(cosineSimilarity([1, 0], [1, 1])).toBeCloseTo(Math.SQRT1_2, 12);
    const scorer = embeddingSimilarity('text-embedding-3-small');
    const ctx = fakeContext(undefined, {
      embed: (input) => input.map((t) => (t === 'Paris' ? [1, 0] : [1, 1])),
    });
    const s = await scorer.score(
      { case: evalCase(), output: text('Paris!'), reference: expectedRef('Paris') },
      ctx,
    );
    expect(s.value).toBeCloseTo(Math.SQRT1_2, 12);
    expect(ctx.embedded).toEqual([['Paris!', 'Paris']]);
    const opposite = fakeContext(undefined, {
      embed: () => [
        [1, 0],
        [-1, 0],
      ],
    });
    expect(
      (await scorer.score({ case: evalCase(), output: text('x'), reference: expectedRef('y') }, opposite))
        .value,
    ).toBe(0);
    expect(() => embeddingSimilarity(undefined)).toThrow(/--embedding-model/);
  });
});
