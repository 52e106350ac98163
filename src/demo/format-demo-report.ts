import type { RequestRecord } from '../spec/request-record.js';
import { percentile } from '../usage/percentile.js';

interface Group {
  requests: number;
  errors: number;
  servedBy: Map<string, number>;
  inputTokens: number;
  outputTokens: number;
  latencies: number[];
  ttfts: number[];
  costUsd: number;
  costKnown: boolean;
  baselineUsd: number;
  baselineKnown: boolean;
}

const pct = (sorted: number[], q: number) => percentile(sorted, q) ?? NaN;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

const usd = (n: number) => (n < 0.01 ? `$${n.toFixed(6)}` : `$${n.toFixed(4)}`);

/** The demo's summary: per workload, who served what, tokens, latency, and the money. */
export function formatDemoReport(records: RequestRecord[]): string {
  const groups = new Map<string, Group>();
  for (const r of records) {
    const key = r.workload ?? '(none)';
    let g = groups.get(key);
    if (!g) {
      g = {
        requests: 0,
        errors: 0,
        servedBy: new Map(),
        inputTokens: 0,
        outputTokens: 0,
        latencies: [],
        ttfts: [],
        costUsd: 0,
        costKnown: true,
        baselineUsd: 0,
        baselineKnown: true,
      };
      groups.set(key, g);
    }
    g.requests++;
    if (r.status >= 400) g.errors++;
    const by = r.deploymentId ?? 'none';
    g.servedBy.set(by, (g.servedBy.get(by) ?? 0) + 1);
    g.inputTokens += r.inputTokens ?? 0;
    g.outputTokens += r.outputTokens ?? 0;
    g.latencies.push(r.latencyMs);
    if (r.ttftMs !== null && r.streamed) g.ttfts.push(r.ttftMs);
    if (r.costUsd === null) g.costKnown = false;
    else g.costUsd += r.costUsd;
    if (r.baselineCostUsd === null) g.baselineKnown = false;
    else g.baselineUsd += r.baselineCostUsd;
  }
  const rows = [...groups.entries()].map(([name, g]) => {
    g.latencies.sort((a, b) => a - b);
    g.ttfts.sort((a, b) => a - b);
    return [
      name,
      String(g.requests),
      String(g.errors),
      [...g.servedBy.entries()].map(([d, n]) => `${d} ${n}`).join(', '),
      String(g.inputTokens),
      String(g.outputTokens),
      pct(g.latencies, 0.5).toFixed(0),
      pct(g.latencies, 0.95).toFixed(0),
      g.ttfts.length ? pct(g.ttfts, 0.5).toFixed(0) : '-',
      g.costKnown ? usd(g.costUsd) : 'unknown',
      g.baselineKnown ? usd(g.baselineUsd) : 'unknown',
    ];
  });
  let text = table(
    [
      'workload',
      'requests',
      'errors',
      'served by',
      'in tok',
      'out tok',
      'p50 ms',
      'p95 ms',
      'ttft p50',
      'spend',
      'baseline',
    ],
    rows,
  );
  const all = [...groups.values()];
  const spend = all.reduce((s, g) => s + g.costUsd, 0);
  const baseline = all.reduce((s, g) => s + g.baselineUsd, 0);
  const known = all.every((g) => g.costKnown && g.baselineKnown);
  if (baseline > 0) {
    const savings = baseline - spend;
    text +=
      `\nSpend ${usd(spend)} against ${usd(baseline)} had every request gone to GPT-4o at list price: ` +
      `savings ${usd(savings)} (${((savings / baseline) * 100).toFixed(1)}%).${known ? '' : ' Some costs are unknown and left out.'}\n`;
  }
  const restricted = records.filter((r) => r.route?.residency?.dataClass === 'restricted');
  if (restricted.length) {
    const external = restricted.filter((r) => r.deploymentId === 'openai-gpt-4o').length;
    text += `Restricted requests (personal data detected): ${restricted.length}, served externally: ${external}.\n`;
  }
  const fallbacks = records.filter((r) => (r.route?.attempts.length ?? 0) > 1).length;
  if (fallbacks) text += `Requests that fell back to another deployment: ${fallbacks}.\n`;
  return text;
}
