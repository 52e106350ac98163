import {
  bootstrapMean,
  comparePaired,
  quantileSorted,
  signTest,
  type BootstrapOptions,
} from '../../stats/index.js';
import type { EvalCase } from '../case/eval-case.js';
import { describeOutput } from '../output/model-output.js';
import type { Scorer } from '../scorers/scorer.js';
import type {
  ModelRole,
  RecordCost,
  RunEvent,
  StoredCall,
  StoredRun,
  StoredScore,
} from '../store/eval-store.js';
import type {
  EvalReport,
  FailureRow,
  ModelSummary,
  ScorerSummary,
  SpendSummary,
  WorstCase,
} from './eval-report.js';

export interface ReportInput {
  run: StoredRun;
  cases: readonly EvalCase[];
  calls: readonly StoredCall[];
  scores: readonly StoredScore[];
  recordCosts?: readonly RecordCost[];
  events?: readonly RunEvent[];
  /** What each scorer needs, by name; scorers no longer loadable are inferred from their rows. */
  scorers?: ReadonlyArray<Pick<Scorer, 'name' | 'needs'>>;
  statistics?: BootstrapOptions;
  worstCases?: number;
}

const excerpt = (s: string, n = 160) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > n ? `${flat.slice(0, n - 3)}...` : flat;
};

function modelSummary(
  model: string,
  calls: StoredCall[],
  recordCosts: Map<string, RecordCost>,
): ModelSummary {
  const ok = calls.filter((c) => c.output !== null);
  const latencies = ok.map((c) => c.latencyMs).sort((a, b) => a - b);
  const servedBy: Record<string, number> = {};
  for (const c of ok) if (c.servedBy) servedBy[c.servedBy] = (servedBy[c.servedBy] ?? 0) + 1;
  let pricedUsd = 0;
  let unpricedCalls = 0;
  const sources = new Set<string>();
  for (const c of calls) {
    const fromRecord = recordCosts.get(`${c.caseId}\u0000${c.role}`);
    const cost = fromRecord ? fromRecord.costUsd : c.costUsd;
    const source = fromRecord ? fromRecord.source : c.priceSource;
    if (c.output !== null) sources.add(source);
    if (cost === null) unpricedCalls++;
    else pricedUsd += cost;
  }
  return {
    model,
    calls: calls.length,
    succeeded: ok.length,
    failed: calls.length - ok.length,
    servedBy,
    latencyMs: latencies.length
      ? {
          mean: latencies.reduce((a, b) => a + b, 0) / latencies.length,
          p50: quantileSorted(latencies, 0.5),
          p95: quantileSorted(latencies, 0.95),
        }
      : null,
    tokens: {
      input: calls.reduce((s, c) => s + (c.inputTokens ?? 0), 0),
      output: calls.reduce((s, c) => s + (c.outputTokens ?? 0), 0),
    },
    cost: {
      pricedUsd,
      calls: calls.length,
      unpricedCalls,
      perCaseUsd: calls.length && unpricedCalls === 0 ? pricedUsd / calls.length : null,
      sources: [...sources].sort(),
    },
  };
}

function fieldMeans(
  rows: readonly StoredScore[],
  role: 'baseline' | 'candidate',
): Map<string, { sum: number; n: number }> {
  const out = new Map<string, { sum: number; n: number }>();
  for (const r of rows) {
    if (r.role !== role || !r.fields) continue;
    for (const [field, v] of Object.entries(r.fields)) {
      const acc = out.get(field) ?? { sum: 0, n: 0 };
      acc.sum += v;
      acc.n++;
      out.set(field, acc);
    }
  }
  return out;
}

function scorerSummary(
  name: string,
  needs: ScorerSummary['needs'],
  rows: readonly StoredScore[],
  answers: Map<string, string>,
  stats: BootstrapOptions,
  worstCount: number,
): ScorerSummary {
  const byCase = new Map<string, Partial<Record<'baseline' | 'candidate' | 'pair', StoredScore>>>();
  for (const r of rows) byCase.set(r.caseId, { ...byCase.get(r.caseId), [r.role]: r });
  const summary: ScorerSummary = {
    scorer: name,
    needs,
    fields: [],
    notScored: 0,
    notScoredReasons: [],
    worst: [],
  };
  const reasons = new Map<string, number>();
  for (const r of rows)
    if (r.value === null) {
      summary.notScored++;
      const reason = r.explanation ?? 'no reason given';
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
  summary.notScoredReasons = [...reasons]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count)
    .slice(0, 3);

  const worst: Array<WorstCase & { key: number }> = [];
  const answer = (caseId: string) => excerpt(answers.get(caseId) ?? '');

  // Both models scored on the same case: the paired comparison.
  const paired: Array<{ caseId: string; b: StoredScore; c: StoredScore }> = [];
  const agreement: StoredScore[] = [];
  const pairs: StoredScore[] = [];
  for (const [caseId, r] of byCase) {
    if (r.pair && r.pair.value !== null) pairs.push(r.pair);
    if (r.baseline && r.candidate && r.baseline.value !== null && r.candidate.value !== null)
      paired.push({ caseId, b: r.baseline, c: r.candidate });
    else if (r.candidate && r.candidate.reference === 'baseline' && r.candidate.value !== null)
      agreement.push(r.candidate);
  }
  if (paired.length) {
    const cmp = comparePaired(
      paired.map((p) => p.b.value!),
      paired.map((p) => p.c.value!),
      stats,
    );
    summary.comparison = {
      n: cmp.n,
      baseline: pick(cmp.baseline),
      candidate: pick(cmp.candidate),
      difference: pick(cmp.difference),
      permutation: { pValue: cmp.permutation.pValue, method: cmp.permutation.method },
      wilcoxon: {
        pValue: cmp.wilcoxon.pValue,
        method: cmp.wilcoxon.method,
        statistic: cmp.wilcoxon.statistic,
      },
      winTieLoss: cmp.winTieLoss,
      signTest: { pValue: cmp.signTest.pValue },
    };
    for (const p of paired) {
      const d = p.c.value! - p.b.value!;
      if (d < 0 || p.c.value! < 1)
        worst.push({
          key: d * 2 + p.c.value!,
          caseId: p.caseId,
          baseline: p.b.value,
          candidate: p.c.value,
          explanation: p.c.explanation,
          candidateAnswer: answer(p.caseId),
        });
    }
  }
  if (agreement.length) {
    summary.agreement = {
      n: agreement.length,
      candidate: pick(
        bootstrapMean(
          agreement.map((a) => a.value!),
          stats,
        ),
      ),
    };
    for (const a of agreement)
      if (a.value! < 1)
        worst.push({
          key: a.value! - 1,
          caseId: a.caseId,
          baseline: null,
          candidate: a.value,
          explanation: a.explanation,
          candidateAnswer: answer(a.caseId),
        });
  }
  if (pairs.length) {
    const values = pairs.map((p) => p.value!);
    const wtl = {
      wins: values.filter((v) => v > 0.5).length,
      ties: values.filter((v) => v === 0.5).length,
      losses: values.filter((v) => v < 0.5).length,
    };
    const twice = pairs.filter(
      (p) => p.details?.bothOrders === true && typeof p.details.positionDisagreement === 'boolean',
    );
    const disagreements = twice.filter((p) => p.details?.positionDisagreement === true).length;
    summary.pairwise = {
      n: pairs.length,
      candidatePreferred: pick(bootstrapMean(values, stats)),
      winTieLoss: wtl,
      signTest: { pValue: signTest(wtl).pValue },
      positionBias: {
        judgedBothOrders: twice.length,
        disagreements,
        rate: twice.length ? disagreements / twice.length : null,
      },
    };
    for (const p of pairs)
      if (p.value! < 0.5)
        worst.push({
          key: p.value! - 1,
          caseId: p.caseId,
          baseline: null,
          candidate: p.value,
          explanation: p.explanation,
          candidateAnswer: answer(p.caseId),
        });
  }
  const b = fieldMeans(rows, 'baseline');
  const c = fieldMeans(rows, 'candidate');
  for (const field of new Set([...b.keys(), ...c.keys()])) {
    const bb = b.get(field);
    const cc = c.get(field);
    summary.fields.push({
      field,
      baseline: bb ? bb.sum / bb.n : null,
      candidate: cc ? cc.sum / cc.n : null,
      n: Math.max(bb?.n ?? 0, cc?.n ?? 0),
    });
  }
  summary.worst = worst
    .sort((x, y) => x.key - y.key || x.caseId.localeCompare(y.caseId))
    .slice(0, worstCount)
    .map(({ key: _key, ...w }) => w);
  return summary;
}

function pick(i: { estimate: number; low: number; high: number; confidence: number }) {
  return { estimate: i.estimate, low: i.low, high: i.high, confidence: i.confidence };
}

function spendOf(rows: readonly StoredScore[]): SpendSummary {
  return {
    pricedUsd: rows.reduce((s, r) => s + (r.spendUsd ?? 0), 0),
    calls: rows.reduce((s, r) => s + r.spendCalls, 0),
    unpricedCalls: rows.reduce((s, r) => s + r.spendUnpricedCalls, 0),
  };
}

/**
 * The report of a run, computed from its stored rows alone (so `eval report` on an old run prints
 * what `eval run` printed): per scorer, the means with 95% bootstrap intervals, the paired
 * difference and paired tests, win/tie/loss and the worst cases; cost and latency per model;
 * what the judges cost; and the calls that failed.
 */
export function buildEvalReport(input: ReportInput): EvalReport {
  const { run, cases, calls, scores } = input;
  const settings = run.settings;
  const stats: BootstrapOptions = { resamples: 10_000, seed: settings.seed, ...input.statistics };
  const recordCosts = new Map((input.recordCosts ?? []).map((r) => [`${r.caseId}\u0000${r.role}`, r]));
  const callsOf = (role: ModelRole) => calls.filter((c) => c.role === role);
  const answers = new Map<string, string>();
  for (const c of callsOf('candidate'))
    answers.set(
      c.caseId,
      c.output ? describeOutput(c.output) : `(failed: ${c.status ?? ''} ${c.errorMessage ?? ''})`,
    );

  const needsByName = new Map((input.scorers ?? []).map((s) => [s.name, s.needs]));
  const scorerNames = settings.scorerNames;
  const summaries = scorerNames.map((name) => {
    const rows = scores.filter((s) => s.scorer === name);
    const needs =
      needsByName.get(name) ??
      (rows.some((r) => r.role === 'pair') ? 'pair' : rows.some((r) => r.reference) ? 'reference' : 'output');
    return scorerSummary(name, needs, rows, answers, stats, input.worstCases ?? 5);
  });

  const complete = cases.filter((c) => {
    const roles = new Set(calls.filter((x) => x.caseId === c.id).map((x) => x.role));
    return roles.has('baseline') && roles.has('candidate');
  }).length;
  const finished = (input.events ?? []).some((e) => e.event === 'finished');

  const failures: FailureRow[] = calls
    .filter((c) => c.output === null)
    .sort((a, b) => (a.role === b.role ? 0 : a.role === 'candidate' ? -1 : 1))
    .map((c) => ({
      caseId: c.caseId,
      role: c.role,
      model: c.model,
      status: c.status,
      code: c.errorCode,
      message: c.errorMessage ?? '',
      attempts: c.attempts,
    }));

  const byScorer: Record<string, SpendSummary> = {};
  for (const name of scorerNames) {
    const s = spendOf(scores.filter((r) => r.scorer === name));
    if (s.calls) byScorer[name] = s;
  }
  return {
    run: {
      id: run.id,
      createdAt: new Date(run.createdAtMs).toISOString(),
      status: finished && complete === cases.length ? 'finished' : 'incomplete',
      dataset: settings.dataset,
      datasetSha256: settings.datasetSha256,
      cases: cases.length,
      casesComplete: complete,
      baseline: settings.baseline,
      candidate: settings.candidate,
      scorers: scorerNames,
      judge: settings.judge ?? null,
      seed: settings.seed,
      gateway: settings.gateway,
    },
    statistics: {
      method:
        'percentile bootstrap over cases (pairs resampled together); paired permutation test of the mean difference; Wilcoxon signed-rank; exact sign test on wins and losses',
      confidence: stats.confidence ?? 0.95,
      resamples: stats.resamples ?? 10_000,
      seed: stats.seed ?? settings.seed,
    },
    models: {
      baseline: modelSummary(settings.baseline, callsOf('baseline'), recordCosts),
      candidate: modelSummary(settings.candidate, callsOf('candidate'), recordCosts),
    },
    evaluationSpend: { ...spendOf(scores), byScorer },
    scorers: summaries,
    failures,
  };
}
