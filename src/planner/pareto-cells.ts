import { formatUsd } from './format-usd.js';
import { formatVolume } from './parse-volume.js';
import type { WorkloadSummary } from './usage-audit.js';

/** The spend columns of one workload in the Pareto table, as every report format prints them. */
export interface ParetoCells {
  spend: string;
  share: string;
  cumulative: string;
  perMonth: string;
  /** Tokens with no price, blank when every token has one. */
  unpriced: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * A workload none of whose tokens has a price reads `no price`, never $0, and takes no share: the
 * shares divide the priced spend. A partly priced workload's spend covers its priced tokens.
 */
export function paretoCells(w: WorkloadSummary): ParetoCells {
  const priced = w.spendShare !== null;
  return {
    spend: priced ? formatUsd(w.total.costUsd) : 'no price',
    share: w.spendShare === null ? '' : pct(w.spendShare),
    cumulative: w.cumulativeSpendShare === null ? '' : pct(w.cumulativeSpendShare),
    perMonth: priced ? formatUsd(w.costPerMonthUsd) : 'no price',
    unpriced: w.total.unpricedTokens > 0 ? formatVolume(w.total.unpricedTokens) : '',
  };
}

/** Whether the table needs its `unpriced` column and the note that says how shares count. */
export function anyUnpriced(workloads: WorkloadSummary[]): boolean {
  return workloads.some((w) => w.total.unpricedTokens > 0);
}

export const PARETO_UNPRICED_NOTE =
  'Shares divide the spend of priced tokens; a workload with no price takes no share and is listed last (see Warnings).';
