import type { BreakevenResult } from './analyse-breakeven.js';
import { round2 } from './monthly-cost.js';
import { describeSaving, formatUsd } from './format-usd.js';
import { formatVolume } from './parse-volume.js';

/** The break-even result as a terminal report: inputs, figures, the formulas behind them. */
export function renderBreakeven(r: BreakevenResult, title = 'Break-even'): string {
  const lines: string[] = [];
  lines.push(`${title}: ${formatVolume(r.tokensPerMonth)} tokens/month`);
  lines.push('');
  const row = (label: string, v: string) => lines.push(`  ${label.padEnd(28)} ${v}`);
  row(
    'Current API',
    `${formatUsd(r.apiMonthlyUsd)}/month (${formatUsd(r.apiUsdPerMillionBlended)}/M blended)`,
  );
  if (r.openModelApiMonthlyUsd !== null)
    row('Open-model API', `${formatUsd(r.openModelApiMonthlyUsd)}/month`);
  row('Self-hosted', `${formatUsd(r.selfHosted.totalUsd)}/month (${r.selfHosted.replicas} replica(s))`);
  if (r.hybrid)
    row(`Hybrid (${round2(r.hybrid.strongShare * 100)}% on API)`, `${formatUsd(r.hybrid.totalUsd)}/month`);
  row(
    'Self-hosting vs API',
    `${describeSaving(r.savingsUsd)} (${round2(Math.abs(r.savingsPct))}% of the API bill)`,
  );
  row(
    'Break-even volume',
    r.breakevenTokensPerMonth === null
      ? 'never at this mix'
      : `${formatVolume(r.breakevenTokensPerMonth)} tokens/month`,
  );
  if (r.breakevenVsOpenModelTokensPerMonth !== null)
    row('Break-even vs open-model API', `${formatVolume(r.breakevenVsOpenModelTokensPerMonth)} tokens/month`);
  if (r.paybackMonths !== null) row('Payback of migration', `${round2(r.paybackMonths)} months`);
  lines.push('');
  lines.push('  Growth       tokens/month   API/month      self-hosted    replicas  savings');
  for (const g of r.growth)
    lines.push(
      `  ${`${g.factor}x`.padEnd(12)} ${formatVolume(g.tokensPerMonth).padEnd(14)} ${formatUsd(g.apiUsd).padEnd(14)} ${formatUsd(g.selfHostedUsd).padEnd(14)} ${String(g.replicas).padEnd(9)} ${formatUsd(g.savingsUsd)} (${round2(g.savingsPct)}%)`,
    );
  for (const t of r.sensitivity) {
    lines.push('');
    const head = t.axis === 'gpu-price' ? 'GPU $/h' : 'max util.';
    lines.push(
      `  Savings/month by ${t.axis === 'gpu-price' ? 'GPU price' : 'utilisation'} (rows) and volume (columns); negative: self-hosting costs that much more`,
    );
    lines.push(`  ${head.padEnd(10)} ${t.volumeFactors.map((v) => `${v}x`.padStart(12)).join('')}`);
    t.rowValues.forEach((rv, i) =>
      lines.push(
        `  ${String(rv).padEnd(10)} ${t.savingsUsd[i].map((s) => formatUsd(s).padStart(12)).join('')}`,
      ),
    );
  }
  lines.push('');
  lines.push('  How these figures are computed:');
  for (const f of r.formulas) lines.push(`    ${f}`);
  return `${lines.join('\n')}\n`;
}

/** The result with the stable snake_case keys scripts read. */
export function breakevenJson(r: BreakevenResult): Record<string, unknown> {
  return {
    tokens_per_month: r.tokensPerMonth,
    api_monthly_usd: round2(r.apiMonthlyUsd),
    api_usd_per_million_blended: round2(r.apiUsdPerMillionBlended),
    open_model_api_monthly_usd: r.openModelApiMonthlyUsd === null ? null : round2(r.openModelApiMonthlyUsd),
    self_hosted_monthly_usd: round2(r.selfHosted.totalUsd),
    self_hosted: {
      replicas: r.selfHosted.replicas,
      gpu_usd: round2(r.selfHosted.gpuUsd),
      fixed_usd: round2(r.selfHosted.fixedUsd),
      engineer_usd: round2(r.selfHosted.engineerUsd),
      ops_usd: round2(r.selfHosted.opsUsd),
      peak_output_tokens_per_second: round2(r.selfHosted.peakOutputTokensPerSecond),
    },
    hybrid_monthly_usd: r.hybrid ? round2(r.hybrid.totalUsd) : null,
    hybrid_strong_share: r.hybrid?.strongShare ?? null,
    savings_usd: round2(r.savingsUsd),
    savings_pct: round2(r.savingsPct),
    breakeven_tokens_per_month:
      r.breakevenTokensPerMonth === null ? null : Math.round(r.breakevenTokensPerMonth),
    breakeven_vs_open_model_tokens_per_month:
      r.breakevenVsOpenModelTokensPerMonth === null ? null : Math.round(r.breakevenVsOpenModelTokensPerMonth),
    payback_months: r.paybackMonths === null ? null : round2(r.paybackMonths),
    growth: r.growth.map((g) => ({
      factor: g.factor,
      tokens_per_month: g.tokensPerMonth,
      api_usd: round2(g.apiUsd),
      self_hosted_usd: round2(g.selfHostedUsd),
      replicas: g.replicas,
      savings_usd: round2(g.savingsUsd),
      savings_pct: round2(g.savingsPct),
    })),
    sensitivity: r.sensitivity.map((t) => ({
      axis: t.axis,
      rows: t.rowValues,
      volume_factors: t.volumeFactors,
      savings_usd: t.savingsUsd.map((row) => row.map(round2)),
    })),
    formulas: r.formulas,
  };
}
