import { comparePaired, type BootstrapOptions } from '../../stats/index.js';
import { formatUsd } from '../run/format-money.js';
import type { ModelRole, StoredCall, StoredRun, StoredScore } from '../store/eval-store.js';
import type { Block } from './document.js';
import type { PairedSummary } from './eval-report.js';
import { int, interval, pValue, score3, signed3 } from './format-figures.js';

export interface RunRows {
  run: StoredRun;
  calls: readonly StoredCall[];
  scores: readonly StoredScore[];
}

export interface RunComparison {
  a: { id: string; model: string; dataset: string };
  b: { id: string; model: string; dataset: string };
  role: ModelRole;
  /** Case ids both runs hold. */
  commonCases: number;
  sameDataset: boolean;
  scorers: Array<{ scorer: string; n: number; comparison: PairedSummary | null }>;
  cost: {
    a: { usd: number; unpricedCalls: number; calls: number };
    b: { usd: number; unpricedCalls: number; calls: number };
  };
  latencyP50Ms: { a: number | null; b: number | null };
}

/** Per case, the value a run gives one role on one scorer (pairwise verdicts for `pair` scorers). */
function valuesOf(rows: RunRows, scorer: string, role: ModelRole): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of rows.scores) {
    if (s.scorer !== scorer || s.value === null) continue;
    if (s.role === role || s.role === 'pair') out.set(s.caseId, s.value);
  }
  return out;
}

function costOf(calls: readonly StoredCall[]) {
  let usd = 0;
  let unpricedCalls = 0;
  for (const c of calls) {
    if (c.costUsd === null) unpricedCalls++;
    else usd += c.costUsd;
  }
  return { usd, unpricedCalls, calls: calls.length };
}

function p50(calls: readonly StoredCall[]): number | null {
  const l = calls
    .filter((c) => c.output)
    .map((c) => c.latencyMs)
    .sort((x, y) => x - y);
  return l.length ? l[Math.floor((l.length - 1) / 2)] : null;
}

/**
 * Two runs compared case by case on the cases both hold, for one role (the candidate by default):
 * run B's scores against run A's, paired on the case, with the same statistics as a single run's
 * report. For two candidates evaluated against the same baseline, or one candidate before and
 * after a prompt change.
 */
export function compareRuns(
  a: RunRows,
  b: RunRows,
  role: ModelRole,
  stats: BootstrapOptions = {},
): RunComparison {
  const idsA = new Set(a.calls.map((c) => c.caseId));
  const common = new Set(b.calls.map((c) => c.caseId).filter((id) => idsA.has(id)));
  const scorers = a.run.settings.scorerNames.filter((n) => b.run.settings.scorerNames.includes(n));
  const modelOf = (r: RunRows) => (role === 'baseline' ? r.run.settings.baseline : r.run.settings.candidate);
  return {
    a: { id: a.run.id, model: modelOf(a), dataset: a.run.settings.dataset },
    b: { id: b.run.id, model: modelOf(b), dataset: b.run.settings.dataset },
    role,
    commonCases: common.size,
    sameDataset: a.run.settings.datasetSha256 === b.run.settings.datasetSha256,
    scorers: scorers.map((scorer) => {
      const va = valuesOf(a, scorer, role);
      const vb = valuesOf(b, scorer, role);
      const ids = [...va.keys()].filter((id) => vb.has(id) && common.has(id)).sort();
      if (!ids.length) return { scorer, n: 0, comparison: null };
      const cmp = comparePaired(
        ids.map((id) => va.get(id)!),
        ids.map((id) => vb.get(id)!),
        { seed: a.run.settings.seed, ...stats },
      );
      return {
        scorer,
        n: ids.length,
        comparison: {
          n: cmp.n,
          baseline: cmp.baseline,
          candidate: cmp.candidate,
          difference: cmp.difference,
          permutation: { pValue: cmp.permutation.pValue, method: cmp.permutation.method },
          wilcoxon: {
            pValue: cmp.wilcoxon.pValue,
            method: cmp.wilcoxon.method,
            statistic: cmp.wilcoxon.statistic,
          },
          winTieLoss: cmp.winTieLoss,
          signTest: { pValue: cmp.signTest.pValue },
        },
      };
    }),
    cost: {
      a: costOf(a.calls.filter((c) => c.role === role && common.has(c.caseId))),
      b: costOf(b.calls.filter((c) => c.role === role && common.has(c.caseId))),
    },
    latencyP50Ms: {
      a: p50(a.calls.filter((c) => c.role === role)),
      b: p50(b.calls.filter((c) => c.role === role)),
    },
  };
}

export function comparisonBlocks(c: RunComparison): Block[] {
  const money = (x: { usd: number; unpricedCalls: number }) =>
    `${formatUsd(x.usd)}${x.unpricedCalls ? ` + ${x.unpricedCalls} unpriced` : ''}`;
  const blocks: Block[] = [
    { kind: 'title', text: `Run ${c.b.id} (B) against run ${c.a.id} (A), ${c.role} scores` },
    {
      kind: 'paragraph',
      text: `A: ${c.a.model} on ${c.a.dataset}; B: ${c.b.model} on ${c.b.dataset}. ${int(c.commonCases)} cases in both runs${c.sameDataset ? ' (same dataset file)' : ' (the dataset files differ: only cases with the same id are compared)'}. Differences are B − A, paired on the case.`,
    },
    {
      kind: 'table',
      headers: [
        'scorer',
        'cases',
        'A',
        'B',
        'B − A',
        '95% interval',
        'permutation p',
        'win / tie / loss (B)',
      ],
      alignRight: [1, 2, 3, 4, 6],
      rows: c.scorers.map((s) =>
        s.comparison
          ? [
              s.scorer,
              int(s.n),
              score3(s.comparison.baseline.estimate),
              score3(s.comparison.candidate.estimate),
              signed3(s.comparison.difference.estimate),
              interval(s.comparison.difference, true),
              pValue(s.comparison.permutation.pValue),
              `${s.comparison.winTieLoss.wins} / ${s.comparison.winTieLoss.ties} / ${s.comparison.winTieLoss.losses}`,
            ]
          : [s.scorer, '0', '—', '—', '—', '', '', ''],
      ),
    },
    {
      kind: 'table',
      headers: ['', 'calls', 'cost', 'p50 latency ms'],
      alignRight: [1, 2, 3],
      rows: [
        [
          'A',
          int(c.cost.a.calls),
          money(c.cost.a),
          c.latencyP50Ms.a === null ? '—' : String(Math.round(c.latencyP50Ms.a)),
        ],
        [
          'B',
          int(c.cost.b.calls),
          money(c.cost.b),
          c.latencyP50Ms.b === null ? '—' : String(Math.round(c.latencyP50Ms.b)),
        ],
      ],
    },
  ];
  return blocks;
}
