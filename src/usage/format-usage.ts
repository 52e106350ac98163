import type { UsageGroupKey, UsageReport, UsageRow, UsageTotals } from './aggregate-usage.js';

interface Column {
  header: string;
  /** Raw value for CSV and JSON. */
  value: (row: UsageRow) => string | number | null;
  /** Human text for the table. */
  text: (row: UsageRow) => string;
  align: 'left' | 'right';
}

const dash = '-';
const int = (n: number) => n.toLocaleString('en-US');
const usd = (n: number | null) => {
  if (n === null) return dash;
  const text = n.toFixed(Math.abs(n) >= 100 ? 2 : 4);
  // A tiny negative rounds to "-0.0000"; the sign says nothing at that precision.
  return `$${/^-0\.0+$/.test(text) ? text.slice(1) : text}`;
};
const ms = (n: number | null) => (n === null ? dash : `${Math.round(n)}`);

function metricColumns(): Column[] {
  const num = (
    header: string,
    pick: (r: UsageTotals) => number | null,
    text: (n: number | null) => string,
  ) => ({
    header,
    value: (r: UsageRow) => pick(r),
    text: (r: UsageRow) => text(pick(r)),
    align: 'right' as const,
  });
  return [
    num(
      'requests',
      (r) => r.requests,
      (n) => int(n ?? 0),
    ),
    num(
      'errors',
      (r) => r.errors,
      (n) => int(n ?? 0),
    ),
    num(
      'error_rate',
      (r) => r.errorRate,
      (n) => `${((n ?? 0) * 100).toFixed(1)}%`,
    ),
    num(
      'input_tokens',
      (r) => r.inputTokens,
      (n) => int(n ?? 0),
    ),
    num(
      'output_tokens',
      (r) => r.outputTokens,
      (n) => int(n ?? 0),
    ),
    num('cost_usd', (r) => r.costUsd, usd),
    num('baseline_cost_usd', (r) => r.baselineCostUsd, usd),
    num('savings_usd', (r) => r.savingsUsd, usd),
    num(
      'unpriced',
      (r) => r.unpricedRequests,
      (n) => int(n ?? 0),
    ),
    num('p50_ms', (r) => r.p50LatencyMs, ms),
    num('p95_ms', (r) => r.p95LatencyMs, ms),
    num('p99_ms', (r) => r.p99LatencyMs, ms),
    num('ttft_p50_ms', (r) => r.p50TtftMs, ms),
    num('ttft_p95_ms', (r) => r.p95TtftMs, ms),
  ];
}

function groupColumn(key: UsageGroupKey): Column {
  return {
    header: key,
    value: (r) => r[key] ?? null,
    text: (r) => r[key] ?? '(none)',
    align: 'left',
  };
}

function columns(report: UsageReport): Column[] {
  return [...report.groupBy.map(groupColumn), ...metricColumns()];
}

/** An aligned text table with a total line, for the terminal. */
export function formatUsageTable(report: UsageReport): string {
  const cols = columns(report);
  const totalRow: UsageRow = { ...report.total };
  const body = report.rows.map((r) => cols.map((c) => c.text(r)));
  const groups = report.groupBy.length;
  const total = cols.map((c, i) => (i >= groups ? c.text(totalRow) : i === 0 ? 'TOTAL' : ''));
  const all = [cols.map((c) => c.header), ...body, total];
  const widths = cols.map((_, i) => Math.max(...all.map((line) => line[i].length)));
  const render = (line: string[]) =>
    line
      .map((cell, i) => (cols[i].align === 'right' ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const lines = [render(all[0]), rule, ...body.map(render), rule, render(total)];
  return `${lines.join('\n')}\n`;
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV, one line per group, empty cells for unknown values. */
export function formatUsageCsv(report: UsageReport): string {
  const cols = columns(report);
  const lines = [
    cols.map((c) => c.header).join(','),
    ...report.rows.map((r) => cols.map((c) => csvCell(c.value(r))).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

export function formatUsageJson(report: UsageReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
