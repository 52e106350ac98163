import type { PlanReport } from './build-plan.js';
import { round2 } from './monthly-cost.js';
import { formatUsd, formatVolume } from './parse-volume.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const esc = (s: string) => s.replace(/\|/g, '\\|');

function mdTable(head: string[], rows: string[][]): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ];
}

/** The plan as a Markdown document. */
export function renderPlanMarkdown(r: PlanReport): string {
  const a = r.audit;
  const t = r.total;
  const out: string[] = ['# Migration plan', ''];
  out.push(
    `${a.rows.toLocaleString('en-US')} usage rows (${r.problemCount} malformed, skipped and listed below), ${a.spanDays.toFixed(1)} days. ` +
      `Spend ${formatUsd(a.total.costUsd)} → **${formatUsd(a.costPerMonthUsd)}/month** for ${formatVolume(a.tokensPerMonth)} tokens/month.`,
    '',
    '## Options per month',
    '',
  );
  const rows: string[][] = [['Current API', formatUsd(t.apiMonthlyUsd)]];
  if (t.openModelApiMonthlyUsd !== null)
    rows.push([`Open-model API (${r.openModelApi?.name ?? ''})`, formatUsd(t.openModelApiMonthlyUsd)]);
  rows.push([
    `Self-hosted (${t.selfHosted.replicas} × ${r.capacity.gpusNeeded} ${r.capacity.gpu.id})`,
    formatUsd(t.selfHosted.totalUsd),
  ]);
  if (t.hybrid) rows.push([`Hybrid (${pct(t.hybrid.strongShare)} on API)`, formatUsd(t.hybrid.totalUsd)]);
  rows.push(['Savings vs API', `${formatUsd(t.savingsUsd)} (${round2(t.savingsPct)}%)`]);
  rows.push([
    'Break-even volume',
    t.breakevenTokensPerMonth === null ? 'never' : `${formatVolume(t.breakevenTokensPerMonth)} tokens/month`,
  ]);
  if (t.paybackMonths !== null) rows.push(['Payback', `${round2(t.paybackMonths)} months`]);
  out.push(...mdTable(['option', 'monthly'], rows), '');
  out.push(
    ...mdTable(
      ['growth', 'tokens/month', 'API', 'self-hosted', 'savings'],
      t.growth.map((g) => [
        `${g.factor}x`,
        formatVolume(g.tokensPerMonth),
        formatUsd(g.apiUsd),
        formatUsd(g.selfHostedUsd),
        formatUsd(g.savingsUsd),
      ]),
    ),
    '',
  );
  for (const st of t.sensitivity) {
    out.push(
      `Savings per month by ${st.axis === 'gpu-price' ? 'GPU $/hour' : 'planned utilisation'} (rows) and volume (columns):`,
      '',
    );
    out.push(
      ...mdTable(
        [st.axis, ...st.volumeFactors.map((v) => `${v}x`)],
        st.rowValues.map((rv, i) => [String(rv), ...st.savingsUsd[i].map((s) => formatUsd(s))]),
      ),
      '',
    );
  }
  out.push('Formulas:', '', ...t.formulas.map((f) => `- ${f}`), '');
  out.push('## Workloads (Pareto by spend)', '');
  out.push(
    ...mdTable(
      [
        'workload',
        'spend',
        'share',
        'cumulative',
        'tokens/month',
        '$/month',
        'peak/mean',
        'self-hosted saves',
        'recommendation',
      ],
      r.workloads.map((w) => [
        w.summary.name,
        formatUsd(w.summary.total.costUsd),
        pct(w.summary.spendShare),
        pct(w.summary.cumulativeSpendShare),
        formatVolume(w.summary.tokensPerMonth),
        formatUsd(w.summary.costPerMonthUsd),
        w.summary.profile.peakToMean.toFixed(2),
        formatUsd(w.breakeven.savingsUsd),
        w.decision.recommendation,
      ]),
    ),
    '',
  );
  out.push('## Spend by model', '');
  out.push(
    ...mdTable(
      ['model', 'requests', 'input', 'cached input', 'output', 'spend'],
      a.models.map((m) => [
        m.model,
        m.requests.toLocaleString('en-US'),
        formatVolume(m.inputTokens),
        formatVolume(m.cachedInputTokens),
        formatVolume(m.outputTokens),
        formatUsd(m.costUsd),
      ]),
    ),
    '',
  );
  out.push('## Spend by month', '');
  out.push(
    ...mdTable(
      ['month', 'requests', 'tokens', 'spend'],
      a.months.map((m) => [
        m.month,
        m.requests.toLocaleString('en-US'),
        formatVolume(m.inputTokens + m.outputTokens),
        formatUsd(m.costUsd),
      ]),
    ),
    '',
  );
  out.push(
    `Traffic profile: peak ${a.profile.peakOutputTokensPerSecond.toFixed(2)} vs mean ${a.profile.meanOutputTokensPerSecond.toFixed(2)} output tokens/s per ${a.profile.resolution} (peak/mean ${a.profile.peakToMean.toFixed(2)}).`,
    '',
  );
  out.push('## Capacity', '');
  const c = r.capacity;
  out.push(
    ...mdTable(
      ['GPUs', 'TP', 'PP', 'weights/GPU', 'KV room/GPU', 'max concurrency'],
      c.options.map((o) => [
        String(o.gpus),
        String(o.tensorParallel),
        String(o.pipelineParallel),
        `${round2(o.weightsPerGpuGb)} GB`,
        `${round2(o.kvAvailablePerGpuGb)} GB`,
        String(o.maxConcurrency),
      ]),
    ),
    '',
    ...c.formulas.map((f) => `- ${f}`),
    '',
  );
  out.push('## Decision matrix', '');
  for (const w of r.workloads) {
    out.push(`### ${w.summary.name}: ${w.decision.recommendation}`, '');
    out.push(
      ...mdTable(
        ['factor', 'leaning', 'evidence', 'source'],
        w.decision.factors.map((f) => [f.factor, f.leaning, f.evidence, f.source]),
      ),
      '',
    );
    out.push(...w.decision.reasons.map((x) => `- ${x}`), '');
  }
  if (r.problems.length) {
    out.push(
      '## Malformed rows',
      '',
      ...r.problems.map((p) => `- \`${p.file}:${p.where}\`: ${p.message}`),
      '',
    );
  }
  out.push(
    '## Assumptions',
    '',
    ...r.assumptions.map((s) => `- ${s}`),
    ...a.priceSources.map((s) => `- price ${s}`),
    '',
  );
  return out.join('\n');
}
