import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { EvalCase } from '../../../src/eval/case/eval-case.js';
import { ModelCallError } from '../../../src/eval/model-client/model-client.js';
import { withRetries } from '../../../src/eval/model-client/retrying-model-client.js';
import type { CallPricer } from '../../../src/eval/pricing/call-pricer.js';
import { buildEvalReport } from '../../../src/eval/report/build-eval-report.js';
import { createProgress } from '../../../src/eval/run/progress.js';
import { GatewayUnreachableError, runEval } from '../../../src/eval/run/run-eval.js';
import { exactMatch } from '../../../src/eval/scorers/exact-match.js';
import { pairwiseJudge } from '../../../src/eval/scorers/judge-pairwise.js';
import type { Scorer } from '../../../src/eval/scorers/scorer.js';
import { EvalStore, type RunSettings, type StoredRun } from '../../../src/eval/store/eval-store.js';
import { fakeClient } from './fake-client.js';

const CASES: EvalCase[] = Array.from({ length: 12 }, (_, i) => ({
  id: `q${i}`,
  messages: [{ role: 'user', content: `question ${i}` }],
  expected: `answer ${i}`,
}));

/** $1 per call for the baseline, unknown for the candidate, $0.10 per judge call. */
const pricer: CallPricer = {
  price: ({ requestedModel }) =>
    requestedModel === 'base'
      ? { costUsd: 1, source: 'test price' }
      : requestedModel === 'judge'
        ? { costUsd: 0.1, source: 'test price' }
        : { costUsd: null, source: 'no price for cand' },
};

function setup(scorers: Scorer[], settings: Partial<RunSettings> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sy-run-eval-'));
  const store = EvalStore.open(dir);
  const run: StoredRun = {
    id: 'ev-test',
    createdAtMs: Date.now(),
    caseCount: CASES.length,
    settings: {
      dataset: 'cases.jsonl',
      datasetSha256: 'x'.repeat(64),
      baseline: 'base',
      candidate: 'cand',
      scorerSpecs: scorers.map((s) => s.name),
      scorerNames: scorers.map((s) => s.name),
      bothOrdersShare: 0,
      seed: 1,
      concurrency: 3,
      retries: 0,
      gateway: 'test',
      judge: 'judge',
      ...settings,
    },
  };
  store.createRun(run, CASES);
  return { dir, store, run };
}

// The candidate is right on even cases only.
const answer = (r: { model: string; messages: Array<{ content?: unknown }> }) => {
  const i = Number(String(r.messages[0].content).split(' ')[1]);
  if (r.model === 'judge') return '[[C]]';
  return r.model === 'base' || i % 2 === 0 ? `answer ${i}` : `wrong ${i}`;
};

describe('runEval', () => {
  it('calls each model once per case, at most `concurrency` at a time, and stores every row', async () => {
    const { store, run } = setup([exactMatch]);
    const client = fakeClient(answer, { delayMs: 5 });
    const result = await runEval({ store, run, cases: CASES, scorers: [exactMatch], client, pricer });
    expect(result).toMatchObject({ status: 'finished', callsMade: 24, scoresMade: 24, scoringErrors: [] });
    expect(client.maxInFlight).toBeLessThanOrEqual(3);
    expect(client.maxInFlight).toBeGreaterThan(1);
    expect(store.calls(run.id)).toHaveLength(24);
    const report = buildEvalReport({
      run,
      cases: CASES,
      calls: store.calls(run.id),
      scores: store.scores(run.id),
    });
    const exact = report.scorers[0].comparison!;
    expect(exact.baseline.estimate).toBe(1);
    expect(exact.candidate.estimate).toBe(0.5);
    expect(exact.winTieLoss).toEqual({ wins: 0, ties: 6, losses: 6 });
    // Six differences of −1 and six zeros: 2 of the 2^6 sign patterns are as extreme.
    expect(exact.permutation.pValue).toBeCloseTo(2 / 64, 12);
    expect(exact.signTest.pValue).toBeCloseTo(2 / 64, 12);
    // Unknown prices stay unknown: the candidate's cost is not $0.
    expect(report.models.baseline.cost).toMatchObject({ pricedUsd: 12, unpricedCalls: 0, perCaseUsd: 1 });
    expect(report.models.candidate.cost).toMatchObject({ pricedUsd: 0, unpricedCalls: 12, perCaseUsd: null });
    expect(report.scorers[0].worst.map((w) => w.caseId)).toEqual(['q1', 'q11', 'q3', 'q5', 'q7']);
    store.close();
  });

  it('resumes: only missing calls and scores are made, nothing twice', async () => {
    const { store, run } = setup([exactMatch]);
    const controller = new AbortController();
    let seen = 0;
    const first = fakeClient(
      (r) => {
        if (++seen === 9) controller.abort();
        return answer(r);
      },
      { delayMs: 2 },
    );
    const partial = await runEval({
      store,
      run,
      cases: CASES,
      scorers: [exactMatch],
      client: first,
      pricer,
      signal: controller.signal,
    });
    expect(partial.status).toBe('interrupted');
    const storedBefore = store.calls(run.id).map((c) => `${c.caseId}/${c.role}`);
    expect(storedBefore.length).toBeGreaterThan(0);
    expect(storedBefore.length).toBeLessThan(24);

    const second = fakeClient(answer);
    const rest = await runEval({ store, run, cases: CASES, scorers: [exactMatch], client: second, pricer });
    expect(rest.status).toBe('finished');
    const asked = second.requests.map((r) => `${r.messages[0].content}/${r.model}`);
    for (const done of storedBefore) {
      const [caseId, role] = done.split('/');
      expect(asked).not.toContain(`question ${caseId.slice(1)}/${role === 'baseline' ? 'base' : 'cand'}`);
    }
    expect(store.calls(run.id)).toHaveLength(24);
    expect(store.scores(run.id)).toHaveLength(24);
    expect(new Set(store.calls(run.id).map((c) => `${c.caseId}/${c.role}`)).size).toBe(24);
    store.close();
  });

  it('records a call that failed after its retries as a failure, and stops when the gateway is gone', async () => {
    const { store, run } = setup([exactMatch]);
    let attempts = 0;
    const flaky = withRetries(
      fakeClient((r) => {
        if (r.model === 'cand' && r.messages[0].content === 'question 3') {
          attempts++;
          return new ModelCallError({
            kind: 'http',
            status: 503,
            code: 'upstream_unavailable',
            message: 'down',
          });
        }
        return answer(r);
      }),
      { retries: 2, sleep: async () => {} },
    );
    await runEval({ store, run, cases: CASES, scorers: [exactMatch], client: flaky, pricer });
    expect(attempts).toBe(3);
    const failed = store.calls(run.id).find((c) => c.caseId === 'q3' && c.role === 'candidate')!;
    expect(failed).toMatchObject({
      status: 503,
      errorCode: 'upstream_unavailable',
      output: null,
      attempts: 3,
      costUsd: 0,
    });
    const score = store.scores(run.id).find((s) => s.caseId === 'q3' && s.role === 'candidate')!;
    expect(score).toMatchObject({ value: 0, explanation: 'the call failed: 503 upstream_unavailable down' });

    const gone = setup([exactMatch]);
    const refused = fakeClient(() => new ModelCallError({ kind: 'connection', message: 'ECONNREFUSED' }));
    await expect(
      runEval({
        store: gone.store,
        run: gone.run,
        cases: CASES,
        scorers: [exactMatch],
        client: refused,
        pricer,
      }),
    ).rejects.toBeInstanceOf(GatewayUnreachableError);
    expect(gone.store.calls(gone.run.id)).toHaveLength(0);
    store.close();
    gone.store.close();
  });

  it('meters judge calls apart from the models and shows spend in the progress lines', async () => {
    const judge = pairwiseJudge({ model: 'judge', bothOrdersShare: 0.5 });
    const { store, run } = setup([judge]);
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => (text += d));
    await runEval({
      store,
      run,
      cases: CASES,
      scorers: [judge],
      client: fakeClient(answer),
      pricer,
      progress: createProgress({ out, tty: false, label: 'eval ev-test', plainIntervalMs: 0 }),
    });
    const scores = store.scores(run.id);
    const calls = scores.reduce((s, r) => s + r.spendCalls, 0);
    const twice = scores.filter((s) => s.details?.bothOrders === true).length;
    expect(calls).toBe(12 + twice);
    expect(scores.reduce((s, r) => s + (r.spendUsd ?? 0), 0)).toBeCloseTo(0.1 * calls, 9);
    const report = buildEvalReport({ run, cases: CASES, calls: store.calls(run.id), scores });
    expect(report.evaluationSpend).toMatchObject({ calls, unpricedCalls: 0 });
    expect(report.scorers[0].pairwise).toMatchObject({ n: 12, winTieLoss: { wins: 0, ties: 12, losses: 0 } });
    expect(report.scorers[0].pairwise!.positionBias).toMatchObject({
      judgedBothOrders: twice,
      disagreements: 0,
    });
    const last = text.trim().split('\n').at(-1)!;
    expect(last).toMatch(
      /^eval ev-test: 12\/12 cases .* ETA 0s {2}spend \$\d+\.\d+ \(\+12 unpriced calls\)$/,
    );
    expect(last).toContain(`$${(12 + 0.1 * calls).toFixed(2)}`);
    store.close();
  });
});
