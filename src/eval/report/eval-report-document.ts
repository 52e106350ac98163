import { formatUsd } from '../run/format-money.js';
import type { Block } from './document.js';
import type { EvalReport, ModelSummary, ScorerSummary, SpendSummary } from './eval-report.js';
import { int, interval, pValue, score3, share, signed3 } from './format-figures.js';

function money(s: SpendSummary): string {
  if (s.calls === 0) return '—';
  const unpriced = `${s.unpricedCalls} unpriced call${s.unpricedCalls > 1 ? 's' : ''}`;
  // Nothing known but failed calls (which cost nothing): the total is unknown, not $0.
  if (s.unpricedCalls > 0 && s.pricedUsd === 0) return `unknown (${unpriced})`;
  return `${formatUsd(s.pricedUsd)}${s.unpricedCalls ? ` + ${unpriced}` : ''}`;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 3)}...` : s);

function modelRow(role: string, m: ModelSummary): string[] {
  return [
    role,
    m.model,
    int(m.calls),
    int(m.failed),
    m.latencyMs ? Math.round(m.latencyMs.p50).toString() : '—',
    m.latencyMs ? Math.round(m.latencyMs.p95).toString() : '—',
    `${int(m.tokens.input)} / ${int(m.tokens.output)}`,
    money(m.cost),
    m.cost.perCaseUsd === null ? '—' : formatUsd(m.cost.perCaseUsd),
  ];
}

function verdict(d: { low: number; high: number; estimate: number }): string {
  if (d.low > 0) return `the candidate scores higher by ${d.estimate.toFixed(3)} (95% interval excludes 0)`;
  if (d.high < 0)
    return `the candidate scores lower by ${Math.abs(d.estimate).toFixed(3)} (95% interval excludes 0)`;
  return 'no difference detected: the 95% interval includes 0';
}

function scorerBlocks(s: ScorerSummary, report: EvalReport): Block[] {
  const blocks: Block[] = [];
  const judge =
    s.needs === 'pair' || s.scorer.startsWith('judge') ? ` (judge ${report.run.judge ?? '?'})` : '';
  blocks.push({ kind: 'heading', text: `Scorer ${s.scorer}${judge}` });
  if (s.comparison) {
    const c = s.comparison;
    const ref = s.needs === 'reference' ? 'against expected answers' : 'each answer on its own';
    blocks.push({
      kind: 'paragraph',
      text: `${int(c.n)} case${c.n === 1 ? '' : 's'} scored for both models, ${ref}: ${verdict(c.difference)}.`,
    });
    blocks.push({
      kind: 'table',
      headers: ['', 'mean', '95% interval', 'paired test'],
      alignRight: [1],
      rows: [
        ['baseline', score3(c.baseline.estimate), interval(c.baseline), ''],
        ['candidate', score3(c.candidate.estimate), interval(c.candidate), ''],
        [
          'difference (candidate − baseline)',
          signed3(c.difference.estimate),
          interval(c.difference, true),
          `permutation p = ${pValue(c.permutation.pValue)}; Wilcoxon p = ${pValue(c.wilcoxon.pValue)}`,
        ],
        [
          'win / tie / loss (candidate)',
          `${c.winTieLoss.wins} / ${c.winTieLoss.ties} / ${c.winTieLoss.losses}`,
          '',
          `sign test p = ${pValue(c.signTest.pValue)}`,
        ],
      ],
    });
  }
  if (s.agreement) {
    blocks.push({
      kind: 'paragraph',
      text: `${int(s.agreement.n)} case${s.agreement.n === 1 ? '' : 's'} without an expected answer: the candidate's agreement with the baseline's answer is ${score3(s.agreement.candidate.estimate)} ${interval(s.agreement.candidate)} (1 = same answer).`,
    });
  }
  if (s.pairwise) {
    const p = s.pairwise;
    const bias = p.positionBias;
    blocks.push({
      kind: 'table',
      headers: ['', 'value', '95% interval', 'test'],
      alignRight: [1],
      rows: [
        [
          'candidate preferred (1 always, 0.5 even)',
          score3(p.candidatePreferred.estimate),
          interval(p.candidatePreferred),
          '',
        ],
        [
          'win / tie / loss (candidate)',
          `${p.winTieLoss.wins} / ${p.winTieLoss.ties} / ${p.winTieLoss.losses}`,
          '',
          `sign test p = ${pValue(p.signTest.pValue)}`,
        ],
        [
          'position disagreement',
          bias.rate === null ? '—' : share(bias.rate),
          '',
          `${bias.disagreements} of ${bias.judgedBothOrders} cases judged in both orders (counted as ties)`,
        ],
      ],
    });
  }
  if (!s.comparison && !s.agreement && !s.pairwise)
    blocks.push({ kind: 'paragraph', text: 'No case could be scored.' });
  if (s.fields.length) {
    const shown = s.fields.slice(0, 20);
    blocks.push({
      kind: 'table',
      headers: ['field', 'baseline', 'candidate', 'cases'],
      alignRight: [1, 2, 3],
      rows: shown.map((f) => [f.field, score3(f.baseline), score3(f.candidate), int(f.n)]),
    });
    if (s.fields.length > shown.length)
      blocks.push({
        kind: 'paragraph',
        text: `... and ${s.fields.length - shown.length} more fields (JSON format).`,
      });
  }
  if (s.notScored)
    blocks.push({
      kind: 'paragraph',
      text: `${int(s.notScored)} score${s.notScored > 1 ? 's' : ''} not given: ${s.notScoredReasons.map((r) => `${r.reason} (${r.count})`).join('; ')}.`,
    });
  if (s.worst.length)
    blocks.push({
      kind: 'table',
      headers: ['worst cases', 'baseline', 'candidate', 'why', "candidate's answer"],
      alignRight: [1, 2],
      rows: s.worst.map((w) => [
        w.caseId,
        score3(w.baseline),
        score3(w.candidate),
        clip(w.explanation ?? '', 100),
        clip(w.candidateAnswer, 80),
      ]),
    });
  return blocks;
}

export function evalReportBlocks(report: EvalReport): Block[] {
  const r = report.run;
  const blocks: Block[] = [
    { kind: 'title', text: `Eval ${r.id}: ${r.candidate} (candidate) against ${r.baseline} (baseline)` },
    {
      kind: 'paragraph',
      text: `${r.status === 'finished' ? 'Finished' : `Incomplete (${r.casesComplete} of ${r.cases} cases answered by both models; resume with --resume ${r.id})`}. ${int(r.cases)} cases from ${r.dataset} (sha256 ${r.datasetSha256.slice(0, 12)}), started ${r.createdAt} through ${r.gateway}. Intervals: ${Math.round(report.statistics.confidence * 100)}% ${report.statistics.method.split(';')[0]}, ${int(report.statistics.resamples)} resamples, seed ${report.statistics.seed}.`,
    },
  ];
  for (const s of report.scorers) blocks.push(...scorerBlocks(s, report));

  const m = report.models;
  blocks.push({ kind: 'heading', text: 'Cost and latency' });
  const spend = report.evaluationSpend;
  blocks.push({
    kind: 'table',
    headers: ['', 'model', 'calls', 'failed', 'p50 ms', 'p95 ms', 'tokens in / out', 'cost', 'per call'],
    alignRight: [2, 3, 4, 5, 6, 7, 8],
    rows: [
      modelRow('baseline', m.baseline),
      modelRow('candidate', m.candidate),
      ...(spend.calls
        ? [['judges and embeddings', r.judge ?? '', int(spend.calls), '', '', '', '', money(spend), '']]
        : []),
    ],
  });
  const sources = [
    ...m.baseline.cost.sources.map((s) => `baseline ${m.baseline.model}: ${s}`),
    ...m.candidate.cost.sources.map((s) => `candidate ${m.candidate.model}: ${s}`),
  ];
  if (sources.length) blocks.push({ kind: 'list', items: sources.map((s) => `prices: ${s}`) });

  if (report.failures.length) {
    blocks.push({ kind: 'heading', text: `Failed calls (${report.failures.length}, after retries)` });
    blocks.push({
      kind: 'table',
      headers: ['case', 'model', 'status', 'code', 'attempts', 'message'],
      alignRight: [2, 4],
      rows: report.failures
        .slice(0, 20)
        .map((f) => [
          f.caseId,
          `${f.role} ${f.model}`,
          f.status === null ? '—' : String(f.status),
          f.code ?? '',
          String(f.attempts),
          f.message.slice(0, 120),
        ]),
    });
  }
  return blocks;
}
