import type { CostCurve, PlanReport } from './build-plan.js';
import { round2 } from './monthly-cost.js';
import { formatUsd, formatVolume } from './parse-volume.js';
import { renderPlanMarkdown } from './render-plan-markdown.js';

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const W = 720;
const H = 360;
const M = { top: 20, right: 150, bottom: 50, left: 80 };

function ticks(max: number, n = 5): number[] {
  if (max <= 0) return [0];
  const raw = max / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = 0; v <= max + 1e-9; v += step) out.push(v);
  return out;
}

/** Cost per month against monthly volume, one line per option, with the crossover marked. */
export function costCurveSvg(c: CostCurve): string {
  const series: Array<{ name: string; ys: number[]; color: string; cls: string }> = [
    { name: 'Current API', ys: c.apiUsd, color: '#d62728', cls: 'series-api' },
    { name: 'Self-hosted', ys: c.selfHostedUsd, color: '#1f77b4', cls: 'series-self-hosted' },
  ];
  if (c.openModelUsd)
    series.push({ name: 'Open-model API', ys: c.openModelUsd, color: '#2ca02c', cls: 'series-open-model' });
  const xMax = c.tokensPerMonth[c.tokensPerMonth.length - 1] || 1;
  const yMax = Math.max(1, ...series.flatMap((s) => s.ys)) * 1.05;
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const x = (v: number) => M.left + (v / xMax) * pw;
  const y = (v: number) => M.top + ph - (v / yMax) * ph;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart cost-curve" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Monthly cost versus monthly token volume">`,
  );
  for (const t of ticks(yMax)) {
    parts.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${y(t)}" y2="${y(t)}" stroke="#eee"/>`);
    parts.push(
      `<text class="tick y-tick" x="${M.left - 6}" y="${y(t) + 4}" text-anchor="end" font-size="11">${escapeHtml(formatUsd(t))}</text>`,
    );
  }
  for (const t of ticks(xMax)) {
    parts.push(
      `<text class="tick x-tick" x="${x(t)}" y="${M.top + ph + 16}" text-anchor="middle" font-size="11">${formatVolume(t)}</text>`,
    );
  }
  parts.push(
    `<line x1="${M.left}" y1="${M.top + ph}" x2="${M.left + pw}" y2="${M.top + ph}" stroke="#333"/>`,
  );
  parts.push(`<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + ph}" stroke="#333"/>`);
  parts.push(
    `<text class="axis-label x-axis-label" x="${M.left + pw / 2}" y="${H - 8}" text-anchor="middle" font-size="12">Tokens per month</text>`,
  );
  parts.push(
    `<text class="axis-label y-axis-label" transform="translate(16 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="12">USD per month</text>`,
  );
  series.forEach((s, i) => {
    const d = s.ys
      .map((v, j) => `${j === 0 ? 'M' : 'L'}${x(c.tokensPerMonth[j]).toFixed(1)},${y(v).toFixed(1)}`)
      .join(' ');
    parts.push(
      `<path class="series ${s.cls}" d="${d}" fill="none" stroke="${s.color}" stroke-width="2"><title>${escapeHtml(s.name)}</title></path>`,
    );
    parts.push(
      `<rect x="${M.left + pw + 12}" y="${M.top + i * 18}" width="12" height="3" fill="${s.color}"/>`,
    );
    parts.push(
      `<text class="legend" x="${M.left + pw + 28}" y="${M.top + i * 18 + 5}" font-size="11">${escapeHtml(s.name)}</text>`,
    );
  });
  parts.push(
    `<line class="current-volume" x1="${x(c.currentTokensPerMonth)}" x2="${x(c.currentTokensPerMonth)}" y1="${M.top}" y2="${M.top + ph}" stroke="#888" stroke-dasharray="4 3"><title>current volume ${formatVolume(c.currentTokensPerMonth)}</title></line>`,
  );
  parts.push(
    `<text x="${x(c.currentTokensPerMonth) + 4}" y="${M.top + 12}" font-size="11" fill="#555">now</text>`,
  );
  if (c.breakevenTokensPerMonth !== null && c.breakevenTokensPerMonth <= xMax) {
    const bx = x(c.breakevenTokensPerMonth);
    const by = y((c.breakevenTokensPerMonth * c.apiUsd[c.apiUsd.length - 1]) / xMax);
    parts.push(
      `<g class="crossover" data-tokens-per-month="${Math.round(c.breakevenTokensPerMonth)}"><circle cx="${bx.toFixed(1)}" cy="${by.toFixed(1)}" r="6" fill="none" stroke="#000" stroke-width="2"/>` +
        `<text x="${(bx + 8).toFixed(1)}" y="${(by - 8).toFixed(1)}" font-size="11">break-even ${formatVolume(c.breakevenTokensPerMonth)}</text></g>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

/** Workloads by spend as bars, with the cumulative share as a line: the few that matter. */
export function paretoSvg(r: PlanReport): string {
  const ws = r.workloads.map((w) => w.summary);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const maxCost = Math.max(1e-9, ...ws.map((w) => w.costPerMonthUsd));
  const bw = ws.length ? pw / ws.length : pw;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart pareto" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Workloads by monthly spend with cumulative share">`,
  ];
  for (const t of ticks(maxCost)) {
    const yy = M.top + ph - (t / maxCost) * ph;
    if (yy < M.top - 1) continue;
    parts.push(
      `<text class="tick y-tick" x="${M.left - 6}" y="${yy + 4}" text-anchor="end" font-size="11">${escapeHtml(formatUsd(t))}</text>`,
    );
  }
  ws.forEach((w, i) => {
    const h = (w.costPerMonthUsd / maxCost) * ph;
    const bx = M.left + i * bw + bw * 0.1;
    parts.push(
      `<rect class="bar" x="${bx.toFixed(1)}" y="${(M.top + ph - h).toFixed(1)}" width="${(bw * 0.8).toFixed(1)}" height="${h.toFixed(1)}" fill="#1f77b4"><title>${escapeHtml(`${w.name}: ${formatUsd(w.costPerMonthUsd)}/month, ${pct(w.spendShare)}`)}</title></rect>`,
    );
    parts.push(
      `<text class="tick x-tick" x="${(M.left + i * bw + bw / 2).toFixed(1)}" y="${M.top + ph + 16}" text-anchor="middle" font-size="10">${escapeHtml(w.name)}</text>`,
    );
  });
  const d = ws
    .map(
      (w, i) =>
        `${i === 0 ? 'M' : 'L'}${(M.left + i * bw + bw / 2).toFixed(1)},${(M.top + ph - w.cumulativeSpendShare * ph).toFixed(1)}`,
    )
    .join(' ');
  if (ws.length)
    parts.push(
      `<path class="cumulative" d="${d}" fill="none" stroke="#ff7f0e" stroke-width="2"><title>cumulative share of spend</title></path>`,
    );
  parts.push(
    `<line x1="${M.left}" y1="${M.top + ph}" x2="${M.left + pw}" y2="${M.top + ph}" stroke="#333"/>`,
  );
  parts.push(
    `<text class="axis-label x-axis-label" x="${M.left + pw / 2}" y="${H - 8}" text-anchor="middle" font-size="12">Workload</text>`,
  );
  parts.push(
    `<text class="axis-label y-axis-label" transform="translate(16 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="12">USD per month</text>`,
  );
  parts.push(
    `<text class="legend" x="${M.left + pw + 12}" y="${M.top + 10}" font-size="11" fill="#ff7f0e">cumulative %</text>`,
  );
  parts.push('</svg>');
  return parts.join('');
}

/** Share of tokens by UTC hour of day: the daily shape that decides how busy GPUs would be. */
export function hourlyProfileSvg(shares: number[]): string {
  const h = 180;
  const pw = W - M.left - M.right;
  const ph = h - 20 - 40;
  const max = Math.max(1e-12, ...shares);
  const bw = pw / 24;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart hourly-profile" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" role="img" aria-label="Share of tokens by UTC hour of day">`,
  ];
  shares.forEach((v, i) => {
    const bh = (v / max) * ph;
    parts.push(
      `<rect class="bar" x="${(M.left + i * bw + 1).toFixed(1)}" y="${(20 + ph - bh).toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${bh.toFixed(1)}" fill="#9467bd"><title>${String(i).padStart(2, '0')}:00 UTC: ${pct(v)}</title></rect>`,
    );
    if (i % 3 === 0)
      parts.push(
        `<text class="tick x-tick" x="${(M.left + i * bw + bw / 2).toFixed(1)}" y="${20 + ph + 14}" text-anchor="middle" font-size="10">${i}</text>`,
      );
  });
  parts.push(`<line x1="${M.left}" y1="${20 + ph}" x2="${M.left + pw}" y2="${20 + ph}" stroke="#333"/>`);
  parts.push(
    `<text class="axis-label x-axis-label" x="${M.left + pw / 2}" y="${h - 6}" text-anchor="middle" font-size="12">Hour of day (UTC)</text>`,
  );
  parts.push(
    `<text class="axis-label y-axis-label" transform="translate(16 ${20 + ph / 2}) rotate(-90)" text-anchor="middle" font-size="12">Share of tokens</text>`,
  );
  parts.push('</svg>');
  return parts.join('');
}

function htmlTable(id: string, head: string[], rows: string[][]): string {
  return `<table id="${id}"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** The plan as one self-contained HTML file: inline CSS and SVG, no scripts, no external assets. */
export function renderPlanHtml(r: PlanReport): string {
  const t = r.total;
  const c = r.capacity;
  const capacityRows = c.options.map((o) => [
    String(o.gpus),
    String(o.tensorParallel),
    String(o.pipelineParallel),
    `${round2(o.weightsPerGpuGb)} GB`,
    `${round2(o.kvAvailablePerGpuGb)} GB`,
    String(o.maxConcurrency),
    o.fits ? 'yes' : 'no',
  ]);
  const decisionRows = r.workloads.map((w) => [
    w.summary.name,
    ...w.decision.factors.map((f) => `${f.leaning}: ${f.evidence}`),
    w.decision.recommendation,
    w.decision.reasons.join('; '),
  ]);
  const factorNames = r.workloads[0]?.decision.factors.map((f) => f.factor) ?? [];
  const body = [
    `<h1>Migration plan</h1>`,
    `<p>${r.audit.rows.toLocaleString('en-US')} usage rows, ${r.audit.spanDays.toFixed(1)} days, ${r.problemCount} malformed rows listed below. Current spend <strong>${escapeHtml(formatUsd(r.audit.costPerMonthUsd))}/month</strong> for ${formatVolume(r.audit.tokensPerMonth)} tokens/month.</p>`,
    `<h2>Cost versus monthly volume</h2>`,
    costCurveSvg(r.curve),
    `<ul class="formulas">${t.formulas.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`,
    ...t.sensitivity.map(
      (st) =>
        `<h3>Savings per month by ${st.axis === 'gpu-price' ? 'GPU $/hour' : 'planned utilisation'} and volume</h3>` +
        htmlTable(
          `sensitivity-${st.axis}`,
          [st.axis, ...st.volumeFactors.map((v) => `${v}x volume`)],
          st.rowValues.map((rv, i) => [String(rv), ...st.savingsUsd[i].map((v) => formatUsd(v))]),
        ),
    ),
    `<h2>Workloads by spend (Pareto)</h2>`,
    paretoSvg(r),
    htmlTable(
      'workloads',
      [
        'workload',
        'spend',
        'share',
        'cumulative',
        'tokens/month',
        '$/month',
        'peak/mean',
        'self-hosted saves/month',
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
      ]),
    ),
    `<h2>Spend by model and month</h2>`,
    htmlTable(
      'models',
      ['model', 'requests', 'input', 'cached input', 'output', 'spend'],
      r.audit.models.map((m) => [
        m.model,
        m.requests.toLocaleString('en-US'),
        formatVolume(m.inputTokens),
        formatVolume(m.cachedInputTokens),
        formatVolume(m.outputTokens),
        formatUsd(m.costUsd),
      ]),
    ),
    htmlTable(
      'months',
      ['month', 'requests', 'tokens', 'spend'],
      r.audit.months.map((m) => [
        m.month,
        m.requests.toLocaleString('en-US'),
        formatVolume(m.inputTokens + m.outputTokens),
        formatUsd(m.costUsd),
      ]),
    ),
    `<h2>Traffic profile</h2>`,
    `<p>Peak ${round2(r.audit.profile.peakOutputTokensPerSecond)} vs mean ${round2(r.audit.profile.meanOutputTokensPerSecond)} output tokens/s per ${r.audit.profile.resolution} (peak/mean ${r.audit.profile.peakToMean.toFixed(2)}).</p>`,
    hourlyProfileSvg(r.audit.profile.hourOfDayShare),
    `<h2>Capacity: ${escapeHtml(`${c.model.name} ${c.quant} on ${c.gpu.name}`)}</h2>`,
    htmlTable(
      'capacity',
      ['GPUs', 'tensor parallel', 'pipeline', 'weights/GPU', 'KV room/GPU', 'max concurrency', 'fits'],
      capacityRows,
    ),
    `<ul class="formulas">${c.formulas.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`,
    `<h2>Decision matrix</h2>`,
    htmlTable('decision-matrix', ['workload', ...factorNames, 'recommendation', 'reasons'], decisionRows),
    `<h2>Assumptions</h2><ul>${[...r.assumptions, ...r.audit.priceSources.map((s) => `price ${s}`)].map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>`,
    r.problems.length
      ? `<h2>Malformed rows</h2><ul>${r.problems.map((p) => `<li><code>${escapeHtml(`${p.file}:${p.where}`)}</code> ${escapeHtml(p.message)}</li>`).join('')}</ul>`
      : '',
    `<details><summary>Markdown</summary><pre>${escapeHtml(renderPlanMarkdown(r))}</pre></details>`,
  ].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchyard migration plan</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:13px}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4}.formulas{font-family:ui-monospace,monospace;font-size:12px}svg{display:block;margin:1em 0}
</style></head><body>
${body}
<footer><p>Generated ${escapeHtml(r.generatedAt)} by switchyard plan.</p></footer>
</body></html>
`;
}
