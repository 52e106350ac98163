import type { PlanReport } from './build-plan.js';
import { describeSaving } from './format-usd.js';
import type { OptionId } from './verdict.js';

/** One way to serve all the workloads, as every report's options table shows it. */
export interface OptionRow {
  id: OptionId;
  label: string;
  monthlyUsd: number;
  /** `saves $2,618/month` or `costs $906 more per month`; empty for the current API itself. */
  versusCurrent: string;
  detail: string;
  cheapest: boolean;
}

/** The options of a plan, current API first, each against the current API in words. */
export function optionRows(r: PlanReport): OptionRow[] {
  const t = r.total;
  const rows: Array<Omit<OptionRow, 'versusCurrent' | 'cheapest'>> = [
    {
      id: 'current-api',
      label: 'Current API',
      monthlyUsd: t.apiMonthlyUsd,
      detail: 'what the usage costs today',
    },
  ];
  if (t.openModelApiMonthlyUsd !== null)
    rows.push({
      id: 'open-model-api',
      label: 'Open-model API',
      monthlyUsd: t.openModelApiMonthlyUsd,
      detail: r.openModelApi?.name ?? '',
    });
  rows.push({
    id: 'self-hosted',
    label: 'Self-hosted',
    monthlyUsd: t.selfHosted.totalUsd,
    detail: `${t.selfHosted.replicas} × ${r.capacity.gpusNeeded} ${r.capacity.gpu.id}, ${r.capacity.model.id} ${r.capacity.quant}`,
  });
  if (t.hybrid)
    rows.push({
      id: 'hybrid',
      label: 'Hybrid',
      monthlyUsd: t.hybrid.totalUsd,
      detail: `${(t.hybrid.strongShare * 100).toFixed(1)}% kept on the API, the rest self-hosted`,
    });
  return rows.map((o) => ({
    ...o,
    versusCurrent: o.id === 'current-api' ? '' : describeSaving(t.apiMonthlyUsd - o.monthlyUsd),
    cheapest: o.id === r.verdict.cheapest,
  }));
}
