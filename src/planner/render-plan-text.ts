import type { PlanReport } from './build-plan.js';
import { round2 } from './monthly-cost.js';
import { formatUsd, formatVolume } from './parse-volume.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const BARS = ' ▁▂▃▄▅▆▇█';

/** 24 hourly shares as a one-line bar chart. */
export function sparkline(shares: number[]): string {
  const max = Math.max(...shares, 1e-12);
  return shares.map((s) => BARS[Math.round((s / max) * (BARS.length - 1))]).join('');
}

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`;
  return [line(head), ...rows.map(line)];
}

/** The plan as a terminal summary. */
export function renderPlanText(r: PlanReport): string {
  const a = r.audit;
  const out: string[] = [];
  out.push(
    `Usage audit: ${a.rows.toLocaleString('en-US')} rows from ${r.files.length} file(s), ${new Date(a.firstMs).toISOString().slice(0, 10)} to ${new Date(a.lastMs).toISOString().slice(0, 10)} (${a.spanDays.toFixed(1)} days)`,
  );
  if (r.problemCount > 0) {
    out.push(`  ${r.problemCount} malformed row(s) skipped and counted:`);
    for (const p of r.problems.slice(0, 10)) out.push(`    ${p.file}:${p.where}: ${p.message}`);
    if (r.problemCount > 10) out.push(`    ... ${r.problemCount - 10} more (see --json)`);
  }
  out.push(
    `  Spend ${formatUsd(a.total.costUsd)} for ${formatVolume(a.total.inputTokens + a.total.outputTokens)} tokens ` +
      `(${formatVolume(a.total.inputTokens)} in, of which ${formatVolume(a.total.cachedInputTokens)} cached; ${formatVolume(a.total.outputTokens)} out)` +
      ` → ${formatUsd(a.costPerMonthUsd)}/month, ${formatVolume(a.tokensPerMonth)} tokens/month`,
  );
  out.push('');
  out.push('Workloads by spend (Pareto)');
  out.push(
    ...table(
      ['workload', 'spend', 'share', 'cumulative', 'tokens/month', '$/month', 'peak/mean', 'top model'],
      r.workloads.map((w) => [
        w.summary.name,
        formatUsd(w.summary.total.costUsd),
        pct(w.summary.spendShare),
        pct(w.summary.cumulativeSpendShare),
        formatVolume(w.summary.tokensPerMonth),
        formatUsd(w.summary.costPerMonthUsd),
        `${w.summary.profile.peakToMean.toFixed(2)} (${w.summary.profile.resolution})`,
        w.summary.models[0]?.model ?? '',
      ]),
    ),
  );
  out.push('');
  out.push('By model');
  out.push(
    ...table(
      ['model', 'requests', 'input', 'cached', 'output', 'spend'],
      a.models.map((m) => [
        m.model,
        m.requests.toLocaleString('en-US'),
        formatVolume(m.inputTokens),
        formatVolume(m.cachedInputTokens),
        formatVolume(m.outputTokens),
        formatUsd(m.costUsd),
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
  out.push(`  Current API        ${formatUsd(t.apiMonthlyUsd)}`);
  if (t.openModelApiMonthlyUsd !== null)
    out.push(`  Open-model API     ${formatUsd(t.openModelApiMonthlyUsd)}   (${r.openModelApi?.name})`);
  out.push(
    `  Self-hosted        ${formatUsd(t.selfHosted.totalUsd)}   (${t.selfHosted.replicas} × ${r.capacity.gpusNeeded} ${r.capacity.gpu.id}, ${r.capacity.model.id} ${r.capacity.quant})`,
  );
  if (t.hybrid)
    out.push(
      `  Hybrid             ${formatUsd(t.hybrid.totalUsd)}   (${pct(t.hybrid.strongShare)} kept on the API)`,
    );
  out.push(`  Savings            ${formatUsd(t.savingsUsd)} (${round2(t.savingsPct)}%)`);
  out.push(
    `  Break-even         ${t.breakevenTokensPerMonth === null ? 'never at this mix' : `${formatVolume(t.breakevenTokensPerMonth)} tokens/month`}`,
  );
  if (t.paybackMonths !== null) out.push(`  Payback            ${round2(t.paybackMonths)} months`);
  out.push(
    `  Growth             ${t.growth.map((g) => `${g.factor}x: ${formatUsd(g.savingsUsd)}`).join('   ')}`,
  );
  for (const f of t.formulas) out.push(`    ${f}`);
  out.push('');
  out.push('Capacity of one self-hosted replica');
  out.push(
    `  ${r.capacity.model.name} ${r.capacity.quant}/KV ${r.capacity.kvDtype} on ${r.capacity.gpu.name}: weights ${round2(r.capacity.weightsGb)} GB, KV ${r.capacity.kvBytesPerToken} B/token, ` +
      `${r.capacity.gpusNeeded} GPU(s) (TP ${r.capacity.tensorParallel}), max ${r.capacity.maxConcurrency} × ${r.capacity.contextTokens} tokens`,
  );
  out.push('');
  out.push('Decision matrix');
  for (const w of r.workloads) {
    const d = w.decision;
    out.push(
      `  ${w.summary.name}: ${d.recommendation.toUpperCase()}  (${d.openCount} open, ${d.apiCount} API; self-hosted saves ${formatUsd(w.breakeven.savingsUsd)}/month)`,
    );
    for (const f of d.factors) out.push(`    ${f.factor.padEnd(18)} ${f.leaning.padEnd(8)} ${f.evidence}`);
    for (const reason of d.reasons) out.push(`    - ${reason}`);
  }
  out.push('');
  out.push('Assumptions');
  for (const s of r.assumptions) out.push(`  - ${s}`);
  for (const s of a.priceSources) out.push(`  - price ${s}`);
  return `${out.join('\n')}\n`;
}
