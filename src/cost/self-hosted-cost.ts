import type { SelfHostedCost } from '../spec/deployment.js';

/** Average hours in a month (8760 / 12). */
export const HOURS_PER_MONTH = 730;

export interface SelfHostedMonthlyCost {
  gpuUsd: number;
  fixedUsd: number;
  engineerUsd: number;
  opsOverheadUsd: number;
  totalUsd: number;
}

/**
 * What a self-hosted deployment costs per month whether or not it serves anything:
 * GPU hourly × GPUs × hours + fixed + engineer hours × rate + ops overhead % × (GPU + fixed).
 * The overhead covers running the hardware (on-call, monitoring, spares), the same definition the
 * migration planner uses, so gateway and planner figures agree.
 */
export function selfHostedMonthlyCost(
  cost: SelfHostedCost,
  hoursPerMonth = HOURS_PER_MONTH,
): SelfHostedMonthlyCost {
  const gpuUsd = cost.gpuHourlyUsd * cost.gpuCount * hoursPerMonth;
  const fixedUsd = cost.fixedMonthlyUsd;
  const engineerUsd = cost.engineerHoursPerMonth * cost.engineerHourlyUsd;
  const opsOverheadUsd = ((gpuUsd + fixedUsd) * cost.opsOverheadPct) / 100;
  return {
    gpuUsd,
    fixedUsd,
    engineerUsd,
    opsOverheadUsd,
    totalUsd: gpuUsd + fixedUsd + engineerUsd + opsOverheadUsd,
  };
}

/** The monthly cost spread evenly over the month's hours. */
export function selfHostedHourlyCostUsd(cost: SelfHostedCost, hoursPerMonth = HOURS_PER_MONTH): number {
  return selfHostedMonthlyCost(cost, hoursPerMonth).totalUsd / hoursPerMonth;
}

export interface VolumeProjectionRow {
  /** Traffic as a multiple of what was observed. */
  volumeMultiple: number;
  tokensPerMonth: number;
  /** Share of the deployment's token capacity this volume uses. */
  capacityShare: number | null;
  usdPerMillionTokens: number;
}

export interface VolumeProjectionInput {
  monthlyCostUsd: number;
  observedTokensPerHour: number;
  /** Tokens per hour at full capacity; without it the projection stops at 100× observed. */
  capacityTokensPerHour: number | null;
  hoursPerMonth?: number;
}

const MULTIPLES = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/**
 * How the effective price per million tokens falls as the same fixed monthly cost is spread over
 * more traffic, until the deployment is full (the last row is exactly at capacity).
 */
export function projectSelfHostedCost(input: VolumeProjectionInput): VolumeProjectionRow[] {
  const hours = input.hoursPerMonth ?? HOURS_PER_MONTH;
  const observed = input.observedTokensPerHour;
  if (!(observed > 0)) return [];
  const capacity = input.capacityTokensPerHour;
  const row = (multiple: number, tokensPerHour: number): VolumeProjectionRow => ({
    volumeMultiple: multiple,
    tokensPerMonth: tokensPerHour * hours,
    capacityShare: capacity ? tokensPerHour / capacity : null,
    usdPerMillionTokens: (input.monthlyCostUsd / (tokensPerHour * hours)) * 1_000_000,
  });
  const rows: VolumeProjectionRow[] = [];
  for (const m of MULTIPLES) {
    if (capacity !== null && observed * m >= capacity) break;
    if (capacity === null && m > 100) break;
    rows.push(row(m, observed * m));
  }
  if (capacity !== null) rows.push(row(capacity / observed, capacity));
  return rows;
}
