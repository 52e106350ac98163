import { describeSpan, type CostCurve, type PlanReport } from './build-plan.js';
import { describeSaving, formatUsd } from './format-usd.js';
import { round2 } from './monthly-cost.js';
import { optionRows } from './plan-options.js';
import { reconciliationRows } from './reconciliation-rows.js';
import { PARETO_UNPRICED_NOTE, anyUnpriced, paretoCells } from './pareto-cells.js';
import { formatVolume } from './parse-volume.js';
import { renderPlanMarkdown } from './render-plan-markdown.js';

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const W = 720;
const H = 360;
const M = { top: 20, right: 160, bottom: 56, left: 84 };
const FONT = 12;

function ticks(max: number, n = 5): number[] {
  if (max <= 0) return [0];
  const raw = max / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = 0; v <= max + 1e-9; v += step) out.push(v);
  return out;
}

// Each chart sits in a box that scrolls sideways on narrow screens rather than shrinking its text
// below reading size.
const svgOpen = (cls: string, h: number, label: string) =>
  `<div class="chart-wrap"><svg xmlns="http://www.w3.org/2000/svg" class="chart ${cls}" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" role="img" aria-label="${escapeHtml(label)}">`;

function axisLabels(h: number, plotTop: number, plotHeight: number, x: string, y: string): string[] {
  const pw = W - M.left - M.right;
  return [
    `<text class="axis-label x-axis-label" x="${M.left + pw / 2}" y="${h - 8}" text-anchor="middle" font-size="${FONT + 1}">${escapeHtml(x)}</text>`,
    `<text class="axis-label y-axis-label" transform="translate(18 ${plotTop + plotHeight / 2}) rotate(-90)" text-anchor="middle" font-size="${FONT + 1}">${escapeHtml(y)}</text>`,
  ];
}

/** Cost per month against monthly volume, one line per option (hybrid included), the crossover marked. */
export function costCurveSvg(c: CostCurve): string {
  const series: Array<{ name: string; ys: number[]; color: string; cls: string; dash?: string }> = [
    { name: 'Current API', ys: c.apiUsd, color: '#d62728', cls: 'series-api' },
    { name: 'Self-hosted', ys: c.selfHostedUsd, color: '#1f77b4', cls: 'series-self-hosted' },
  ];
  if (c.openModelUsd)
    series.push({ name: 'Open-model API', ys: c.openModelUsd, color: '#2ca02c', cls: 'series-open-model' });
  if (c.hybridUsd)
    series.push({
      name: `Hybrid (${Math.round((c.hybridStrongShare ?? 0) * 100)}% API)`,
      ys: c.hybridUsd,
      color: '#9467bd',
      cls: 'series-hybrid',
      dash: '6 4',
    });
  const xMax = c.tokensPerMonth[c.tokensPerMonth.length - 1] || 1;
  const yMax = Math.max(1, ...series.flatMap((s) => s.ys)) * 1.05;
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const x = (v: number) => M.left + (v / xMax) * pw;
  const y = (v: number) => M.top + ph - (v / yMax) * ph;
  const parts = [svgOpen('cost-curve', H, 'Monthly cost versus monthly token volume')];
  for (const t of ticks(yMax)) {
    parts.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${y(t)}" y2="${y(t)}" stroke="#eee"/>`);
    parts.push(
      `<text class="tick y-tick" x="${M.left - 6}" y="${y(t) + 4}" text-anchor="end" font-size="${FONT}">${escapeHtml(formatUsd(t))}</text>`,
    );
  }
  for (const t of ticks(xMax))
    parts.push(
      `<text class="tick x-tick" x="${x(t)}" y="${M.top + ph + 18}" text-anchor="middle" font-size="${FONT}">${formatVolume(t)}</text>`,
    );
  parts.push(
    `<line x1="${M.left}" y1="${M.top + ph}" x2="${M.left + pw}" y2="${M.top + ph}" stroke="#333"/>`,
  );
  parts.push(`<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + ph}" stroke="#333"/>`);
  parts.push(...axisLabels(H, M.top, ph, 'Tokens per month', 'USD per month'));
  series.forEach((s, i) => {
    const d = s.ys
      .map((v, j) => `${j === 0 ? 'M' : 'L'}${x(c.tokensPerMonth[j]).toFixed(1)},${y(v).toFixed(1)}`)
      .join(' ');
    parts.push(
      `<path class="series ${s.cls}" d="${d}" fill="none" stroke="${s.color}" stroke-width="2.5"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}><title>${escapeHtml(s.name)}</title></path>`,
    );
    parts.push(
      `<rect x="${M.left + pw + 12}" y="${M.top + i * 20}" width="14" height="4" fill="${s.color}"/>`,
    );
    parts.push(
      `<text class="legend" x="${M.left + pw + 30}" y="${M.top + i * 20 + 6}" font-size="${FONT}">${escapeHtml(s.name)}</text>`,
    );
  });
  parts.push(
    `<line class="current-volume" x1="${x(c.currentTokensPerMonth)}" x2="${x(c.currentTokensPerMonth)}" y1="${M.top}" y2="${M.top + ph}" stroke="#888" stroke-dasharray="4 3"><title>current volume ${formatVolume(c.currentTokensPerMonth)}</title></line>`,
  );
  parts.push(
    `<text x="${x(c.currentTokensPerMonth) + 4}" y="${M.top + 12}" font-size="${FONT}" fill="#555">now ${formatVolume(c.currentTokensPerMonth)}</text>`,
  );
  if (c.breakevenTokensPerMonth !== null && c.breakevenTokensPerMonth <= xMax) {
    const bx = x(c.breakevenTokensPerMonth);
    const by = y((c.breakevenTokensPerMonth * c.apiUsd[c.apiUsd.length - 1]) / xMax);
    parts.push(
      `<g class="crossover" data-tokens-per-month="${Math.round(c.breakevenTokensPerMonth)}"><circle cx="${bx.toFixed(1)}" cy="${by.toFixed(1)}" r="6" fill="none" stroke="#000" stroke-width="2"/>` +
        `<text x="${(bx + 8).toFixed(1)}" y="${(by - 8).toFixed(1)}" font-size="${FONT}">break-even ${formatVolume(c.breakevenTokensPerMonth)}</text></g>`,
    );
  }
  parts.push('</svg></div>');
  return parts.join('');
}

/**
 * Workloads by monthly spend as bars (left axis, USD) with the cumulative share of spend as a line
 * (right axis, 0–100%): the few workloads that matter.
 */
export function paretoSvg(r: PlanReport): string {
  // Workloads with no price have no spend to chart; the table lists them.
  const ws = r.workloads.map((w) => w.summary).filter((w) => w.spendShare !== null);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const maxCost = Math.max(1e-9, ...ws.map((w) => w.costPerMonthUsd)) * 1.05;
  const bw = ws.length ? pw / ws.length : pw;
  const yShare = (s: number) => M.top + ph - s * ph;
  const rotate = ws.length > 5;
  const parts = [svgOpen('pareto', H, 'Workloads by monthly spend with cumulative share')];
  for (const t of ticks(maxCost)) {
    const yy = M.top + ph - (t / maxCost) * ph;
    if (yy < M.top - 1) continue;
    parts.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${yy}" y2="${yy}" stroke="#eee"/>`);
    parts.push(
      `<text class="tick y-tick" x="${M.left - 6}" y="${yy + 4}" text-anchor="end" font-size="${FONT}">${escapeHtml(formatUsd(t))}</text>`,
    );
  }
  ws.forEach((w, i) => {
    const h = (w.costPerMonthUsd / maxCost) * ph;
    const bx = M.left + i * bw + bw * 0.15;
    const cx = M.left + i * bw + bw / 2;
    parts.push(
      `<rect class="bar" x="${bx.toFixed(1)}" y="${(M.top + ph - h).toFixed(1)}" width="${(bw * 0.7).toFixed(1)}" height="${h.toFixed(1)}" fill="#1f77b4"><title>${escapeHtml(`${w.name}: ${formatUsd(w.costPerMonthUsd)}/month, ${pct(w.spendShare ?? 0)}`)}</title></rect>`,
    );
    parts.push(
      `<text class="tick x-tick" x="${cx.toFixed(1)}" y="${M.top + ph + 18}" text-anchor="${rotate ? 'end' : 'middle'}" font-size="${FONT}"${rotate ? ` transform="rotate(-30 ${cx.toFixed(1)} ${M.top + ph + 18})"` : ''}>${escapeHtml(w.name)}</text>`,
    );
  });
  // The cumulative line on its own axis at the right, 0–100%.
  for (const s of [0, 0.25, 0.5, 0.75, 1])
    parts.push(
      `<text class="tick y2-tick" x="${M.left + pw + 6}" y="${yShare(s) + 4}" font-size="${FONT}" fill="#c05a00">${s * 100}%</text>`,
    );
  parts.push(
    `<line class="y2-axis" x1="${M.left + pw}" y1="${M.top}" x2="${M.left + pw}" y2="${M.top + ph}" stroke="#c05a00"/>`,
  );
  const points = ws.map((w, i) => [M.left + i * bw + bw / 2, yShare(w.cumulativeSpendShare ?? 0)] as const);
  if (ws.length) {
    parts.push(
      `<path class="cumulative" d="${points.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`).join(' ')}" fill="none" stroke="#c05a00" stroke-width="2"><title>cumulative share of spend</title></path>`,
    );
    points.forEach(([px, py], i) =>
      parts.push(
        `<circle class="cumulative-point" cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="3.5" fill="#c05a00"><title>${escapeHtml(`${ws[i].name}: ${pct(ws[i].cumulativeSpendShare ?? 0)} cumulative`)}</title></circle>`,
      ),
    );
  }
  parts.push(
    `<line x1="${M.left}" y1="${M.top + ph}" x2="${M.left + pw}" y2="${M.top + ph}" stroke="#333"/>`,
  );
  parts.push(`<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + ph}" stroke="#333"/>`);
  parts.push(...axisLabels(H, M.top, ph, 'Workload', 'USD per month'));
  parts.push(
    `<text class="axis-label y2-axis-label" transform="translate(${M.left + pw + 52} ${M.top + ph / 2}) rotate(90)" text-anchor="middle" font-size="${FONT + 1}" fill="#c05a00">Cumulative share of spend</text>`,
  );
  parts.push('</svg></div>');
  return parts.join('');
}

/** Share of tokens by UTC hour of day, with its axis: the daily shape that decides how busy GPUs would be. */
export function hourlyProfileSvg(shares: number[]): string {
  const h = 220;
  const top = 16;
  const pw = W - M.left - M.right;
  const ph = h - top - 52;
  const max = Math.max(1e-12, ...shares) * 1.1;
  const bw = pw / 24;
  const y = (v: number) => top + ph - (v / max) * ph;
  const parts = [svgOpen('hourly-profile', h, 'Share of tokens by UTC hour of day')];
  for (const t of ticks(max, 4)) {
    parts.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${y(t)}" y2="${y(t)}" stroke="#eee"/>`);
    parts.push(
      `<text class="tick y-tick" x="${M.left - 6}" y="${y(t) + 4}" text-anchor="end" font-size="${FONT}">${(t * 100).toFixed(t * 100 < 10 ? 1 : 0)}%</text>`,
    );
  }
  shares.forEach((v, i) => {
    const bh = (v / max) * ph;
    parts.push(
      `<rect class="bar" x="${(M.left + i * bw + 1).toFixed(1)}" y="${(top + ph - bh).toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${bh.toFixed(1)}" fill="#9467bd"><title>${String(i).padStart(2, '0')}:00 UTC: ${pct(v)}</title></rect>`,
    );
    if (i % 3 === 0)
      parts.push(
        `<text class="tick x-tick" x="${(M.left + i * bw + bw / 2).toFixed(1)}" y="${top + ph + 16}" text-anchor="middle" font-size="${FONT}">${String(i).padStart(2, '0')}:00</text>`,
      );
  });
  parts.push(`<line x1="${M.left}" y1="${top + ph}" x2="${M.left + pw}" y2="${top + ph}" stroke="#333"/>`);
  parts.push(`<line x1="${M.left}" y1="${top}" x2="${M.left}" y2="${top + ph}" stroke="#333"/>`);
  parts.push(...axisLabels(h, top, ph, 'Hour of day (UTC)', 'Share of tokens'));
  parts.push('</svg></div>');
  return parts.join('');
}

function htmlTable(id: string, head: string[], rows: string[][], rowClass?: (i: number) => string): string {
  return `<div class="table-wrap"><table id="${id}"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map(
      (r, i) =>
        `<tr${rowClass?.(i) ? ` class="${rowClass(i)}"` : ''}>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`,
    )
    .join('')}</tbody></table></div>`;
}

function card(label: string, value: string, sub: string, cls = ''): string {
  return `<div class="card${cls ? ` ${cls}` : ''}"><div class="card-label">${escapeHtml(label)}</div><div class="card-value">${escapeHtml(value)}</div><div class="card-sub">${escapeHtml(sub)}</div></div>`;
}

/** The verdict, the figures behind it and what to beware of: the part a reader acts on. */
function summaryHtml(r: PlanReport): string {
  const v = r.verdict;
  const t = r.total;
  const options = optionRows(r);
  const cheapest = options.find((o) => o.cheapest) ?? options[0];
  const cards = [
    card(
      'Current API',
      `${formatUsd(t.apiMonthlyUsd)}/month`,
      `${formatVolume(t.tokensPerMonth)} tokens/month`,
    ),
    card('Cheapest option', cheapest.label, `${formatUsd(cheapest.monthlyUsd)}/month`, 'cheapest'),
    v.cheapest === 'current-api'
      ? card('Self-hosting', describeSaving(v.selfHostedSavingUsd), 'against the current API', 'costs-more')
      : card('Saving', `${formatUsd(v.savingVsCurrentUsd)}/month`, 'against the current API', 'saves'),
    card(
      'Self-hosting breaks even at',
      t.breakevenTokensPerMonth === null
        ? 'never'
        : `${formatVolume(t.breakevenTokensPerMonth)} tokens/month`,
      `now ${formatVolume(t.tokensPerMonth)}`,
    ),
    card(
      'Capacity',
      v.capacity.checked ? 'checked' : 'not checked',
      v.capacity.basis,
      v.capacity.checked ? '' : 'unchecked',
    ),
  ];
  return [
    `<section class="summary" id="summary">`,
    `<p class="verdict">${escapeHtml(v.text)}</p>`,
    `<div class="cards">${cards.join('')}</div>`,
    r.warnings.length
      ? `<ul class="warnings">${r.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`
      : '',
    `</section>`,
  ].join('');
}

/** Factors as rows and workloads as columns, then each workload's reasons in full. */
function decisionHtml(r: PlanReport): string {
  const factors = r.workloads[0]?.decision.factors.map((f) => f.factor) ?? [];
  const head = `<tr><th>factor</th>${r.workloads.map((w) => `<th>${escapeHtml(w.summary.name)}</th>`).join('')}</tr>`;
  const rows = factors.map(
    (factor, i) =>
      `<tr><th scope="row">${escapeHtml(factor)}</th>${r.workloads
        .map((w) => {
          const f = w.decision.factors[i];
          return `<td><span class="lean lean-${f.leaning}">${escapeHtml(f.leaning)}</span> <span class="evidence">${escapeHtml(f.evidence)}</span></td>`;
        })
        .join('')}</tr>`,
  );
  rows.push(
    `<tr class="recommendation-row"><th scope="row">recommendation</th>${r.workloads
      .map((w) => `<td><strong>${escapeHtml(w.decision.recommendation)}</strong></td>`)
      .join('')}</tr>`,
  );
  const cards = r.workloads.map((w) => {
    const d = w.decision;
    const cost = w.breakeven
      ? `Self-hosting ${describeSaving(w.breakeven.savingsUsd, 'the API')}.`
      : 'No price for its tokens: cost not compared.';
    return (
      `<div class="decision-card"><h3>${escapeHtml(w.summary.name)}: ${escapeHtml(d.recommendation)}</h3>` +
      `<p class="decision-cost">${escapeHtml(cost)}</p>` +
      (d.override
        ? `<p class="override">${escapeHtml(`${d.override.reason}: overrides cost by ${formatUsd(d.override.extraCostUsd)}/month.`)}</p>`
        : '') +
      `<ul class="reasons">${d.reasons.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul></div>`
    );
  });
  return `<div class="table-wrap"><table id="decision-matrix"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div><div class="decision-cards">${cards.join('')}</div>`;
}

/** The plan as one self-contained HTML file: inline CSS and SVG, no scripts, no external assets. */
export function renderPlanHtml(r: PlanReport): string {
  const t = r.total;
  const c = r.capacity;
  const a = r.audit;
  const unpricedColumn = anyUnpriced(r.workloads.map((w) => w.summary));
  const rec = a.reconciliation;
  const body = [
    `<h1>Migration plan</h1>`,
    summaryHtml(r),
    `<h2>Options per month</h2>`,
    htmlTable(
      'options',
      ['option', 'per month', 'against the current API', 'what it is'],
      optionRows(r).map((o) => [o.label, formatUsd(o.monthlyUsd), o.versusCurrent || '-', o.detail]),
      (i) => (optionRows(r)[i].cheapest ? 'cheapest' : ''),
    ),
    `<p>${a.rows.toLocaleString('en-US')} usage rows over ${describeSpan(a.spanDays)}, ${r.problemCount} malformed rows listed below. Current spend <strong>${escapeHtml(formatUsd(a.costPerMonthUsd))}/month</strong> for ${formatVolume(a.tokensPerMonth)} tokens/month${a.total.unpricedTokens > 0 ? `, of which ${formatVolume(a.total.unpricedTokens * (a.tokensPerMonth / Math.max(1, a.total.inputTokens + a.total.outputTokens)))} have no price` : ''}.</p>`,
    `<h2>Cost versus monthly volume</h2>`,
    costCurveSvg(r.curve),
    `<ul class="formulas">${t.formulas.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`,
    ...t.sensitivity.map(
      (st) =>
        `<h3>Savings per month by ${st.axis === 'gpu-price' ? 'GPU $/hour' : 'planned utilisation'} and volume</h3><p class="note">A negative figure is what self-hosting costs on top of the API.</p>` +
        htmlTable(
          `sensitivity-${st.axis}`,
          [st.axis, ...st.volumeFactors.map((v) => `${v}x volume`)],
          st.rowValues.map((rv, i) => [String(rv), ...st.savingsUsd[i].map((v) => formatUsd(v))]),
        ),
    ),
    rec
      ? `<h2>Billed vs computed</h2>` + htmlTable('reconciliation', ['', 'USD'], reconciliationRows(rec))
      : '',
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
        ...(unpricedColumn ? ['unpriced tokens'] : []),
        'peak/mean',
        'self-hosting against the API',
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
        ];
      }),
    ),
    unpricedColumn ? `<p class="note">${escapeHtml(PARETO_UNPRICED_NOTE)}</p>` : '',
    `<h2>Spend by model and month</h2>`,
    htmlTable(
      'models',
      ['model', 'requests', 'input', 'cached input', 'output', 'spend', 'unpriced tokens'],
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
    htmlTable(
      'months',
      ['month', 'requests', 'tokens', 'spend'],
      a.months.map((m) => [
        m.month,
        m.requests.toLocaleString('en-US'),
        formatVolume(m.inputTokens + m.outputTokens),
        formatUsd(m.costUsd),
      ]),
    ),
    `<h2>Traffic profile</h2>`,
    `<p>Peak ${round2(a.profile.peakOutputTokensPerSecond)} vs mean ${round2(a.profile.meanOutputTokensPerSecond)} output tokens/s per ${a.profile.resolution} (peak/mean ${a.profile.peakToMean.toFixed(2)}).</p>`,
    hourlyProfileSvg(a.profile.hourOfDayShare),
    `<h2>Capacity: ${escapeHtml(`${c.model.name} ${c.quant} on ${c.gpu.name}`)}</h2>`,
    htmlTable(
      'capacity',
      ['GPUs', 'tensor parallel', 'pipeline', 'weights/GPU', 'KV room/GPU', 'max concurrency', 'fits'],
      c.options.map((o) => [
        String(o.gpus),
        String(o.tensorParallel),
        String(o.pipelineParallel),
        `${round2(o.weightsPerGpuGb)} GB`,
        `${round2(o.kvAvailablePerGpuGb)} GB`,
        String(o.maxConcurrency),
        o.fits ? 'yes' : 'no',
      ]),
    ),
    `<ul class="formulas">${c.formulas.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`,
    `<h2>Decision matrix</h2>`,
    decisionHtml(r),
    `<h2>Prices used</h2><ul class="prices">${a.priceSources.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>`,
    `<h2>Assumptions</h2><ul>${r.assumptions.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>`,
    r.problems.length
      ? `<h2>Malformed rows</h2><ul>${r.problems.map((p) => `<li><code>${escapeHtml(`${p.file}:${p.where}`)}</code> ${escapeHtml(p.message)}</li>`).join('')}</ul>`
      : '',
    `<details><summary>Markdown</summary><pre>${escapeHtml(renderPlanMarkdown(r))}</pre></details>`,
  ].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Switchyard migration plan</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1040px;margin:1.5em auto;padding:0 1em;color:#222;line-height:1.4}
h1{margin:0 0 .4em}h2{margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}
.summary{background:#f6f8fa;border:1px solid #d0d7de;border-radius:8px;padding:1em 1.2em}
.verdict{font-size:1.2em;font-weight:600;margin:0 0 .8em}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:.6em}
.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:.6em .8em}
.card-label{font-size:.8em;color:#555;text-transform:uppercase;letter-spacing:.03em}
.card-value{font-size:1.25em;font-weight:700;margin:.15em 0}.card-sub{font-size:.85em;color:#555}
.card.cheapest,.card.saves{border-color:#2da44e}.card.costs-more,.card.unchecked{border-color:#cf222e}
.warnings{margin:.9em 0 0;padding:.6em 1em .6em 2em;background:#fff8c5;border:1px solid #d4a72c;border-radius:6px}
.table-wrap{overflow-x:auto;margin:1em 0}
table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4}tr.cheapest td{background:#dafbe1;font-weight:600}
#decision-matrix td{min-width:12em}.lean{display:inline-block;border-radius:3px;padding:0 .35em;font-size:.85em;font-weight:600}
.lean-open{background:#dafbe1}.lean-api{background:#ddf4ff}.lean-neutral{background:#eee}.lean-unknown{background:#fff8c5}
.evidence{display:block;color:#444}
.decision-cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:.8em}
.decision-card{border:1px solid #d0d7de;border-radius:6px;padding:.2em 1em}.decision-card h3{margin:.6em 0 .2em}
.override{color:#9a6700;font-weight:600}
.formulas,.prices{font-family:ui-monospace,monospace;font-size:12px;overflow-wrap:anywhere}
.note{font-size:.9em;color:#555}
svg{display:block;margin:1em 0;width:100%;min-width:600px;max-width:${W}px;height:auto}.chart-wrap{overflow-x:auto}
#options td:nth-child(2),#options th:nth-child(2){white-space:nowrap}
</style></head><body>
${body}
<footer><p>Generated ${escapeHtml(r.generatedAt)} by switchyard plan.</p></footer>
</body></html>
`;
}
