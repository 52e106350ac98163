import type { BreakevenResult } from './analyse-breakeven.js';
import { describeSaving, formatUsd } from './format-usd.js';
import type { SelfHostedInputs } from './monthly-cost.js';
import { formatVolume } from './parse-volume.js';

export type OptionId = 'current-api' | 'open-model-api' | 'self-hosted' | 'hybrid';

const LABELS: Record<OptionId, string> = {
  'current-api': 'the current API',
  'open-model-api': 'the open-model API',
  'self-hosted': 'self-hosting',
  hybrid: 'the hybrid',
};

/** Whether the self-hosted figure rests on a replica throughput, and which. */
export interface CapacityCheck {
  checked: boolean;
  /** `measured`, `roofline-estimate`, or why it was not checked. */
  basis: string;
}

/** The decision in one line, and the figures behind it for JSON. */
export interface Verdict {
  cheapest: OptionId;
  cheapestMonthlyUsd: number;
  /** Current API − cheapest option, per month; 0 when the current API is cheapest. */
  savingVsCurrentUsd: number;
  /** Current API − self-hosting, per month; negative when self-hosting costs more. */
  selfHostedSavingUsd: number;
  breakevenTokensPerMonth: number | null;
  currentTokensPerMonth: number;
  capacity: CapacityCheck;
  text: string;
}

/**
 * The cheapest option, what it saves (or what self-hosting would cost on top) against the current
 * API, the volume at which self-hosting breaks even and whether capacity was checked: what a reader
 * needs before any table. Ties go to the current API, which needs no migration.
 */
export function decideVerdict(r: BreakevenResult, capacity: CapacityCheck): Verdict {
  const options: Array<[OptionId, number]> = [['current-api', r.apiMonthlyUsd]];
  if (r.openModelApiMonthlyUsd !== null) options.push(['open-model-api', r.openModelApiMonthlyUsd]);
  options.push(['self-hosted', r.selfHosted.totalUsd]);
  if (r.hybrid) options.push(['hybrid', r.hybrid.totalUsd]);
  const [cheapest, cheapestMonthlyUsd] = options.reduce((best, o) => (o[1] < best[1] - 0.005 ? o : best));
  const savingVsCurrentUsd = r.apiMonthlyUsd - cheapestMonthlyUsd;
  const selfHostedSavingUsd = r.savingsUsd;

  const parts: string[] = [];
  if (cheapest === 'current-api') {
    parts.push(
      `stay on the current API (${formatUsd(r.apiMonthlyUsd)}/month): self-hosting ${describeSaving(selfHostedSavingUsd)}`,
    );
  } else {
    const pct = r.apiMonthlyUsd > 0 ? ` (${((savingVsCurrentUsd / r.apiMonthlyUsd) * 100).toFixed(1)}%)` : '';
    const which =
      cheapest === 'hybrid' && r.hybrid
        ? `the hybrid (${(r.hybrid.strongShare * 100).toFixed(0)}% kept on the API)`
        : LABELS[cheapest];
    const claim = capacity.checked || cheapest === 'open-model-api' ? 'is cheapest' : 'looks cheapest';
    parts.push(
      `${which} ${claim} at ${formatUsd(cheapestMonthlyUsd)}/month: it saves ${formatUsd(savingVsCurrentUsd)}/month${pct} against the current API`,
    );
    if (cheapest !== 'self-hosted')
      parts.push(`self-hosting alone ${describeSaving(selfHostedSavingUsd, 'the current API')}`);
  }
  parts.push(
    r.breakevenTokensPerMonth === null
      ? 'self-hosting never breaks even at this mix'
      : `self-hosting breaks even at ${formatVolume(r.breakevenTokensPerMonth)} tokens/month (now ${formatVolume(r.tokensPerMonth)})`,
  );
  parts.push(
    capacity.checked ? `capacity checked (${capacity.basis})` : `capacity not checked (${capacity.basis})`,
  );
  return {
    cheapest,
    cheapestMonthlyUsd,
    savingVsCurrentUsd,
    selfHostedSavingUsd,
    breakevenTokensPerMonth: r.breakevenTokensPerMonth,
    currentTokensPerMonth: r.tokensPerMonth,
    capacity,
    text: `Verdict: ${parts.join('; ')}.`,
  };
}

/** The verdict with the stable snake_case keys scripts read; `text` is the line the reports lead with. */
export function verdictJson(v: Verdict): Record<string, unknown> {
  const cents = (n: number) => Math.round(n * 100) / 100;
  return {
    text: v.text,
    cheapest_option: v.cheapest,
    cheapest_monthly_usd: cents(v.cheapestMonthlyUsd),
    saving_vs_current_api_usd: cents(v.savingVsCurrentUsd),
    self_hosted_saving_usd: cents(v.selfHostedSavingUsd),
    breakeven_tokens_per_month:
      v.breakevenTokensPerMonth === null ? null : Math.round(v.breakevenTokensPerMonth),
    tokens_per_month: Math.round(v.currentTokensPerMonth),
    capacity_checked: v.capacity.checked,
    capacity_basis: v.capacity.basis,
  };
}

/** Whether a self-hosted cost was sized on a replica throughput, in the verdict's terms. */
export function capacityCheckOf(s: SelfHostedInputs): CapacityCheck {
  if (s.flatMonthlyUsd !== undefined)
    return { checked: false, basis: 'a flat self-hosted monthly cost was given' };
  if (s.replicaOutputTokensPerSecond === undefined && s.replicaInputTokensPerSecond === undefined)
    return { checked: false, basis: 'no replica throughput: give a model or a measured throughput' };
  const rates = [
    s.replicaOutputTokensPerSecond === undefined
      ? null
      : `${Math.round(s.replicaOutputTokensPerSecond).toLocaleString('en-US')} output`,
    s.replicaInputTokensPerSecond === undefined
      ? null
      : `${Math.round(s.replicaInputTokensPerSecond).toLocaleString('en-US')} prompt`,
  ].filter((r) => r !== null);
  return { checked: true, basis: `${rates.join(' + ')} tokens/s per replica` };
}
