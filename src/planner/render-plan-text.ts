import { describeSpan, type PlanReport } from './build-plan.js';
import { describeSaving, formatUsd } from './format-usd.js';
import { round2 } from './monthly-cost.js';
import { PARETO_UNPRICED_NOTE, anyUnpriced, paretoCells } from './pareto-cells.js';
import { optionRows } from './plan-options.js';
import { formatVolume } from './parse-volume.js';

const BARS = ' ▁▂▃▄▅▆▇█';

/** 24 hourly shares as a one-line bar chart. */
export function sparkline(shares: number[]): string {
  const max = Math.max(...shares, 1e-12);
  return shares.map((s) => BARS[Math.round((s / max) * (BARS.length - 1))]).join('');
}

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `  ${cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd()}`;
  return [line(head), ...rows.map(line)];
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The plan as a terminal summary: the verdict and what to beware of first, the evidence after. */
export function renderPlanText(r: PlanReport): string {
  const a = r.audit;
  const out: string[] = [r.verdict.text, ''];
  if (r.warnings.length) {
    out.push('Warnings');
    for (const w of r.warnings) out.push(`  ! ${w}`);
    out.push('');
  }
  out.push(
    `Usage audit: ${a.rows.toLocaleString('en-US')} rows from ${r.files.length} file(s), ${day(a.firstMs)} to ${day(a.lastMs)} (${describeSpan(a.spanDays)})`,
  );
  if (r.problemCount > 0) {
    out.push(`  ${r.problemCount} malformed row(s) skipped and counted:`);
    for (const p of r.problems.slice(0, 10)) out.push(`    ${p.file}:${p.where}: ${p.message}`);
    if (r.problemCount > 10) out.push(`    ... ${r.problemCount - 10} more (see --json)`);
  }
  if (a.emptyBuckets > 0)
    out.push(`  ${a.emptyBuckets} bucket(s) with no usage: counted in the period, not as problems`);
  out.push(
    `  Spend ${formatUsd(a.total.costUsd)} for ${formatVolume(a.total.pricedTokens)} priced tokens ` +
      `(${formatVolume(a.total.inputTokens)} in, of which ${formatVolume(a.total.cachedInputTokens)} cached; ${formatVolume(a.total.outputTokens)} out)` +
      ` → ${formatUsd(a.costPerMonthUsd)}/month, ${formatVolume(a.tokensPerMonth)} tokens/month`,
  );
  if (a.total.unpricedTokens > 0)
    out.push(`  ${formatVolume(a.total.unpricedTokens)} more tokens have no price (see Warnings)`);
  const rec = a.reconciliation;
  if (rec) {
    out.push('');
    out.push('Billed vs computed');
    out.push(
      `  Billed (cost export)          ${formatUsd(rec.billedUsd)} over ${rec.days} day(s), ${day(rec.firstMs)} to ${day(rec.lastMs - 1)}`,
    );
    out.push(`  Computed from usage, same days ${formatUsd(rec.computedUsd)}`);
    out.push(
      `  Difference                    ${formatUsd(rec.differenceUsd)}${rec.differenceShare === null ? '' : ` (${(rec.differenceShare * 100).toFixed(1)}% of billed)`}` +
        (rec.unpricedTokens > 0
          ? `; ${formatVolume(rec.unpricedTokens)} tokens of those days have no price`
          : ''),
    );
    for (const item of rec.byLineItem.slice(0, 8)) out.push(`    ${item.lineItem}: ${formatUsd(item.usd)}`);
  }
  out.push('');
  out.push('Workloads by spend (Pareto)');
  const unpricedColumn = anyUnpriced(r.workloads.map((w) => w.summary));
  out.push(
    ...table(
      [
        'workload',
        'spend',
        'share',
        'cumulative',
        'tokens/month',
        '$/month',
        ...(unpricedColumn ? ['unpriced'] : []),
        'peak/mean',
        'top model',
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
          `${w.summary.profile.peakToMean.toFixed(2)} (${w.summary.profile.resolution})`,
          w.summary.models[0]?.model ?? '',
        ];
      }),
    ),
  );
  if (unpricedColumn) out.push(`  ${PARETO_UNPRICED_NOTE}`);
  out.push('');
  out.push('By model');
  out.push(
    ...table(
      ['model', 'requests', 'input', 'cached', 'output', 'spend', 'unpriced'],
      a.models.map((m) => [
        m.model,
        m.requests.toLocaleString('en-US'),
        formatVolume(m.inputTokens),
        formatVolume(m.cachedInputTokens),
        formatVolume(m.outputTokens),
        formatUsd(m.costUsd),
        m.unpricedTokens > 0 ? formatVolume(m.unpricedTokens) : '',
      ]),
    ),
  );
  out.push('');
  out.push('By month');
  out.push(
    ...table(
      ['month', 'requests', 'tokens', 'spend'],
      a.months.map((m) => [
        m.month,
        m.requests.toLocaleString('en-US'),
        formatVolume(m.inputTokens + m.outputTokens),
        formatUsd(m.costUsd),
      ]),
    ),
  );
  out.push('');
  out.push(
    `Traffic by UTC hour  ${sparkline(a.profile.hourOfDayShare)}  peak/mean ${a.profile.peakToMean.toFixed(2)} per ${a.profile.resolution}; ` +
      `mean ${round2(a.profile.meanOutputTokensPerSecond)}, peak ${round2(a.profile.peakOutputTokensPerSecond)} output tokens/s`,
  );
  out.push('');
  const t = r.total;
  out.push('Options per month (all workloads)');
  const options = optionRows(r);
  const amounts = options.map((o) => formatUsd(o.monthlyUsd));
  const versus = options.map((o) => o.versusCurrent);
  const amountWidth = Math.max(...amounts.map((x) => x.length));
  const versusWidth = Math.max(...versus.map((x) => x.length));
  options.forEach((o, i) =>
    out.push(
      `  ${o.label.padEnd(16)} ${amounts[i].padStart(amountWidth)}  ${versus[i].padEnd(versusWidth)}  ${o.cheapest ? '(cheapest) ' : ''}${o.detail}`.trimEnd(),
    ),
  );
  out.push(
    `  ${'Break-even'.padEnd(16)} ${t.breakevenTokensPerMonth === null ? 'never at this mix' : `${formatVolume(t.breakevenTokensPerMonth)} tokens/month (now ${formatVolume(t.tokensPerMonth)})`}`,
  );
  if (t.paybackMonths !== null) out.push(`  ${'Payback'.padEnd(16)} ${round2(t.paybackMonths)} months`);
  out.push(
    `  ${'If volume grows'.padEnd(16)} self-hosting ${t.growth.map((g) => `${g.factor}x: ${describeSaving(g.savingsUsd)}`).join('; ')}`,
  );
  for (const f of t.formulas) out.push(`    ${f}`);
  out.push('');
  out.push('Capacity of one self-hosted replica');
  out.push(
    `  ${r.capacity.model.name} ${r.capacity.quant}/KV ${r.capacity.kvDtype} on ${r.capacity.gpu.name}: weights ${round2(r.capacity.weightsGb)} GB, KV ${r.capacity.kvBytesPerToken} B/token, ` +
      `${r.capacity.gpusNeeded} GPU(s) (TP ${r.capacity.tensorParallel}), max ${r.capacity.maxConcurrency} × ${r.capacity.contextTokens} tokens`,
  );
  if (r.capacity.layoutChoice)
    out.push(`  Layout chosen by ${r.capacity.layoutChoice.summary} (every layout's cost under Assumptions)`);
  out.push('');
  out.push('Decision matrix');
  for (const w of r.workloads) {
    const d = w.decision;
    const cost = w.breakeven
      ? `self-hosting ${describeSaving(w.breakeven.savingsUsd, 'the API')}`
      : 'no price: cost not compared';
    out.push(
      `  ${w.summary.name}: ${d.recommendation.toUpperCase()}  (${d.openCount} open, ${d.apiCount} API; ${cost})`,
    );
    if (d.override)
      out.push(`    ${d.override.reason}: overrides cost by ${formatUsd(d.override.extraCostUsd)}/month`);
    for (const f of d.factors) out.push(`    ${f.factor.padEnd(18)} ${f.leaning.padEnd(8)} ${f.evidence}`);
    for (const reason of d.reasons) out.push(`    - ${reason}`);
  }
  out.push('');
  out.push('Prices used');
  for (const s of a.priceSources) out.push(`  - ${s}`);
  if (a.priceSources.length === 0) out.push('  - none: every cost came from the files');
  out.push('');
  out.push('Assumptions');
  for (const s of r.assumptions) out.push(`  - ${s}`);
  return `${out.join('\n')}\n`;
}
