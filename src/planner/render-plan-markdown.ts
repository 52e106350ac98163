import { describeSpan, type PlanReport } from './build-plan.js';
import { describeSaving, formatUsd } from './format-usd.js';
import { round2 } from './monthly-cost.js';
import { optionRows } from './plan-options.js';
import { reconciliationRows } from './reconciliation-rows.js';
import { PARETO_UNPRICED_NOTE, anyUnpriced, paretoCells } from './pareto-cells.js';
import { formatVolume } from './parse-volume.js';

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
  const out: string[] = ['# Migration plan', '', `**${r.verdict.text}**`, ''];
  for (const w of r.warnings) out.push(`> **Warning:** ${w}`, '>');
  if (r.warnings.length) out.splice(out.length - 1, 1, '');
  out.push(
    `${a.rows.toLocaleString('en-US')} usage rows (${r.problemCount} malformed, skipped and listed below), ${describeSpan(a.spanDays)}. ` +
      `Spend ${formatUsd(a.total.costUsd)} for ${formatVolume(a.total.pricedTokens)} priced tokens → **${formatUsd(a.costPerMonthUsd)}/month** for ${formatVolume(a.tokensPerMonth)} tokens/month` +
      `${a.total.unpricedTokens > 0 ? `; ${formatVolume(a.total.unpricedTokens)} tokens have no price` : ''}.`,
    '',
    '## Options per month',
    '',
  );
  out.push(
    ...mdTable(
      ['option', 'monthly', 'against the current API', 'what it is'],
      optionRows(r).map((o) => [
        o.cheapest ? `**${o.label}** (cheapest)` : o.label,
        formatUsd(o.monthlyUsd),
        o.versusCurrent || '-',
        o.detail,
      ]),
    ),
    '',
  );
  out.push(
    `Break-even: ${t.breakevenTokensPerMonth === null ? 'never at this mix' : `${formatVolume(t.breakevenTokensPerMonth)} tokens/month (now ${formatVolume(t.tokensPerMonth)})`}.` +
      (t.paybackMonths !== null ? ` Payback: ${round2(t.paybackMonths)} months.` : ''),
    '',
  );
  const rec = a.reconciliation;
  if (rec) {
    out.push('## Billed vs computed', '');
    out.push(...mdTable(['', 'USD'], reconciliationRows(rec)), '');
  }
  out.push(
    ...mdTable(
      ['growth', 'tokens/month', 'API', 'self-hosted', 'self-hosting against the API'],
      t.growth.map((g) => [
        `${g.factor}x`,
        formatVolume(g.tokensPerMonth),
        formatUsd(g.apiUsd),
        formatUsd(g.selfHostedUsd),
        describeSaving(g.savingsUsd),
      ]),
    ),
    '',
  );
  for (const st of t.sensitivity) {
    out.push(
      `Savings per month by ${st.axis === 'gpu-price' ? 'GPU $/hour' : 'planned utilisation'} (rows) and volume (columns); a negative figure is what self-hosting costs on top of the API:`,
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
  const unpricedColumn = anyUnpriced(r.workloads.map((w) => w.summary));
  out.push(
    ...mdTable(
      [
        'workload',
        'spend',
        'share',
        'cumulative',
        'tokens/month',
        '$/month',
        ...(unpricedColumn ? ['unpriced'] : []),
        'peak/mean',
        'self-hosting against the API',
        'recommendation',
      ],
      r.workloads.map((w) => {
        const c = paretoCells(w.summary);
        return [
          w.summary.name,
          c.spend,
          c.share,
          c.cumulative,
          formatVolume(w.summary.tokensPerMonth),
          c.perMonth,
          ...(unpricedColumn ? [c.unpriced] : []),
          w.summary.profile.peakToMean.toFixed(2),
          w.breakeven ? describeSaving(w.breakeven.savingsUsd) : 'no price',
          w.decision.recommendation,
        ];
      }),
    ),
    '',
    ...(unpricedColumn ? [PARETO_UNPRICED_NOTE, ''] : []),
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
    if (w.decision.override)
      out.push(
        `**${w.decision.override.reason}: overrides cost by ${formatUsd(w.decision.override.extraCostUsd)}/month.**`,
        '',
      );
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
  out.push('## Prices used', '', ...a.priceSources.map((s) => `- ${s}`), '');
  out.push('## Assumptions', '', ...r.assumptions.map((s) => `- ${s}`), '');
  return out.join('\n');
}
