import type { SelfHostedCost } from '../spec/deployment.js';
import {
  HOURS_PER_MONTH,
  projectSelfHostedCost,
  selfHostedHourlyCostUsd,
  selfHostedMonthlyCost,
  type VolumeProjectionRow,
} from './self-hosted-cost.js';

const MS_PER_HOUR = 3_600_000;

/** Handed out when a request starts on the deployment; given back when it ends. */
export interface GpuSlot {
  readonly window: number;
  readonly startShareMs: number;
}

export interface GpuAllocation {
  /** The request's share of the deployment's time: ∫ dt / (requests in flight). */
  gpuMs: number;
  costUsd: number;
}

export interface SelfHostedReport {
  windowStartMs: number;
  windowMs: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** What the deployment cost over the window, served or idle. */
  windowCostUsd: number;
  /** Cost of the time at least one request was in flight: the sum of the requests' allocations. */
  busyCostUsd: number;
  idleCostUsd: number;
  /** Share of the window with at least one request in flight. */
  utilisation: number;
  /** Time-averaged requests in flight over the window. */
  averageConcurrency: number;
  peakConcurrency: number;
  /** averageConcurrency / capacityConcurrency, when the capacity is configured. */
  capacityUtilisation: number | null;
  /** Window cost over the tokens really served: what the traffic actually cost per million tokens. */
  effectiveUsdPerMillionTokens: number | null;
  projection: VolumeProjectionRow[];
}

export interface SelfHostedCostAllocatorOptions {
  windowStartMs: number;
  hoursPerMonth?: number;
}

/**
 * Allocates a self-hosted deployment's infrastructure cost to the requests it serves, by the GPU
 * time each occupied. Time is shared equally among the requests in flight, so a request's GPU time
 * is ∫ dt / k(t) over its life, with k(t) the requests in flight at t (itself included). Kept as a
 * running integral of 1/k, so begin and finish are O(1) and the allocations of a window sum exactly
 * to its busy time. Idle time is not charged to any request; it is reported per window and included
 * in the effective price per million tokens.
 */
export class SelfHostedCostAllocator {
  private readonly hourlyUsd: number;
  private readonly monthlyUsd: number;
  private readonly hoursPerMonth: number;
  private window = 0;
  private windowStartMs: number;
  private lastMs: number;
  private inFlight = 0;
  private shareIntegralMs = 0;
  private busyMs = 0;
  private concurrencyIntegralMs = 0;
  private peak = 0;
  private requests = 0;
  private inputTokens = 0;
  private outputTokens = 0;

  constructor(
    private readonly cost: SelfHostedCost,
    options: SelfHostedCostAllocatorOptions,
  ) {
    this.hoursPerMonth = options.hoursPerMonth ?? HOURS_PER_MONTH;
    this.hourlyUsd = selfHostedHourlyCostUsd(cost, this.hoursPerMonth);
    this.monthlyUsd = selfHostedMonthlyCost(cost, this.hoursPerMonth).totalUsd;
    this.windowStartMs = options.windowStartMs;
    this.lastMs = options.windowStartMs;
  }

  begin(nowMs: number): GpuSlot {
    this.advance(nowMs);
    this.inFlight++;
    this.peak = Math.max(this.peak, this.inFlight);
    return { window: this.window, startShareMs: this.shareIntegralMs };
  }

  finish(slot: GpuSlot, nowMs: number, tokens: { inputTokens: number; outputTokens: number }): GpuAllocation {
    this.advance(nowMs);
    this.inFlight = Math.max(0, this.inFlight - 1);
    // A request that straddles a window boundary is charged only for its time in the new window.
    const gpuMs =
      slot.window === this.window ? this.shareIntegralMs - slot.startShareMs : this.shareIntegralMs;
    this.requests++;
    this.inputTokens += tokens.inputTokens;
    this.outputTokens += tokens.outputTokens;
    return { gpuMs, costUsd: (gpuMs / MS_PER_HOUR) * this.hourlyUsd };
  }

  /**
   * Charges a request whose start was not marked as if it had the deployment to itself. Its time
   * is not in the busy-time integrals, so utilisation reads low by that much.
   */
  finishUnmarked(durationMs: number, tokens: { inputTokens: number; outputTokens: number }): GpuAllocation {
    const gpuMs = Math.max(0, durationMs);
    this.requests++;
    this.inputTokens += tokens.inputTokens;
    this.outputTokens += tokens.outputTokens;
    return { gpuMs, costUsd: (gpuMs / MS_PER_HOUR) * this.hourlyUsd };
  }

  /** Starts a new billing window; requests in flight carry over. */
  startWindow(nowMs: number): void {
    this.advance(nowMs);
    this.window++;
    this.windowStartMs = nowMs;
    this.shareIntegralMs = 0;
    this.busyMs = 0;
    this.concurrencyIntegralMs = 0;
    this.peak = this.inFlight;
    this.requests = 0;
    this.inputTokens = 0;
    this.outputTokens = 0;
  }

  report(nowMs: number): SelfHostedReport {
    this.advance(nowMs);
    const windowMs = Math.max(0, this.lastMs - this.windowStartMs);
    const windowCostUsd = (windowMs / MS_PER_HOUR) * this.hourlyUsd;
    const busyCostUsd = (this.busyMs / MS_PER_HOUR) * this.hourlyUsd;
    const tokens = this.inputTokens + this.outputTokens;
    const averageConcurrency = windowMs > 0 ? this.concurrencyIntegralMs / windowMs : 0;
    const capacity = this.cost.capacityConcurrency;
    // Tokens one request slot produces per hour of being in flight, scaled to all slots.
    const tokensPerSlotHour =
      this.concurrencyIntegralMs > 0 ? tokens / (this.concurrencyIntegralMs / MS_PER_HOUR) : 0;
    return {
      windowStartMs: this.windowStartMs,
      windowMs,
      requests: this.requests,
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      windowCostUsd,
      busyCostUsd,
      idleCostUsd: windowCostUsd - busyCostUsd,
      utilisation: windowMs > 0 ? this.busyMs / windowMs : 0,
      averageConcurrency,
      peakConcurrency: this.peak,
      capacityUtilisation: capacity ? averageConcurrency / capacity : null,
      effectiveUsdPerMillionTokens: tokens > 0 ? (windowCostUsd / tokens) * 1_000_000 : null,
      projection: projectSelfHostedCost({
        monthlyCostUsd: this.monthlyUsd,
        observedTokensPerHour: windowMs > 0 ? tokens / (windowMs / MS_PER_HOUR) : 0,
        capacityTokensPerHour: capacity && tokensPerSlotHour > 0 ? tokensPerSlotHour * capacity : null,
        hoursPerMonth: this.hoursPerMonth,
      }),
    };
  }

  private advance(nowMs: number): void {
    const now = Math.max(nowMs, this.lastMs);
    const dt = now - this.lastMs;
    if (dt > 0 && this.inFlight > 0) {
      this.shareIntegralMs += dt / this.inFlight;
      this.busyMs += dt;
      this.concurrencyIntegralMs += dt * this.inFlight;
    }
    this.lastMs = now;
  }
}
