import type { CostConfig } from '../config/schema/cost-schema.js';
import type { ChatCompletionRequest } from '../spec/chat.js';
import type { Deployment } from '../spec/deployment.js';
import type { RequestRecord } from '../spec/request-record.js';
import { BaselinePricer } from './baseline-pricer.js';
import { estimateRequestCost, type RequestEstimate } from './estimate-request-cost.js';
import { PriceBook, type PriceLookup } from './price-book.js';
import { priceUsage } from './price-usage.js';
import {
  SelfHostedCostAllocator,
  type GpuSlot,
  type SelfHostedReport,
} from './self-hosted-cost-allocator.js';

export interface RequestDetail {
  request?: ChatCompletionRequest;
  /** Everything the model answered, as text (streamed deltas joined). */
  outputText?: string;
  deployment?: Deployment;
}

export interface AccountedCost {
  costUsd: number | null;
  baselineCostUsd: number | null;
  /** The served cost rests on estimated usage or an approximate GPU-time share. */
  costEstimated: boolean;
  /** The baseline was counted with a stand-in tokenizer or leaves images out. */
  baselineEstimated: boolean;
  warnings: string[];
}

export interface CostAccountantOptions {
  /** Folder `cost.priceFiles` are relative to (the config file's folder). */
  baseDir: string;
  now?: () => number;
  /**
   * False for an accountant that only estimates (admission): the baseline pricer loads a tokenizer,
   * which is tens of MB better kept where records are priced.
   */
  priceBaseline?: boolean;
}

function monthStartMs(nowMs: number): number {
  const d = new Date(nowMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/**
 * Puts a price on every finished request: what it cost on the deployment that served it (token
 * list price, or its share of a self-hosted deployment's GPU time) and what the configured
 * incumbent would have charged for the same text. Everything slow (price files, tokenizer tables)
 * is loaded in `create`; pricing a record is arithmetic plus one tokenizer pass for the baseline.
 */
export class CostAccountant {
  private readonly allocators = new Map<string, SelfHostedCostAllocator>();
  private readonly slots = new Map<string, Array<{ deploymentId: string; slot: GpuSlot }>>();
  private readonly deploymentPrices = new Map<string, PriceLookup>();
  private windowStartMs: number;

  private constructor(
    readonly priceBook: PriceBook,
    private readonly baseline: BaselinePricer | undefined,
    private readonly cost: CostConfig,
    deployments: Iterable<Deployment>,
    private readonly now: () => number,
  ) {
    this.windowStartMs = monthStartMs(now());
    for (const d of deployments) {
      if (d.selfHosted)
        this.allocators.set(
          d.id,
          new SelfHostedCostAllocator(d.selfHosted, {
            windowStartMs: this.windowStartMs,
            hoursPerMonth: cost.hoursPerMonth,
          }),
        );
      else this.deploymentPrices.set(d.id, priceBook.forDeployment(d));
    }
  }

  static async create(
    cost: CostConfig,
    deployments: Iterable<Deployment>,
    options: CostAccountantOptions,
  ): Promise<CostAccountant> {
    const book = PriceBook.fromConfig(cost, options.baseDir);
    const baseline =
      cost.baseline && options.priceBaseline !== false
        ? await BaselinePricer.create(cost.baseline.model, book)
        : undefined;
    return new CostAccountant(book, baseline, cost, deployments, options.now ?? Date.now);
  }

  /** Deployments whose price is unknown, with why: worth printing at start-up. */
  unpricedDeployments(): Array<{ deploymentId: string; reason: string }> {
    const out: Array<{ deploymentId: string; reason: string }> = [];
    for (const [id, lookup] of this.deploymentPrices)
      if (!lookup.found) out.push({ deploymentId: id, reason: lookup.reason });
    return out;
  }

  /** The most a request can cost on a deployment, for budget reservations; null when unknowable. */
  estimate(request: ChatCompletionRequest, deployment: Deployment | undefined): RequestEstimate {
    const lookup = deployment ? this.deploymentPrices.get(deployment.id) : undefined;
    return estimateRequestCost(
      request,
      lookup?.found ? lookup.prices : undefined,
      this.cost.defaultMaxTokens,
    );
  }

  /**
   * Marks an attempt of a request as occupying a self-hosted deployment from now (a no-op for
   * token-priced ones). Every marked attempt is ended when the request's record is priced.
   */
  started(requestId: string, deploymentId: string, atMs = this.now()): void {
    const allocator = this.allocator(deploymentId);
    if (!allocator) return;
    const slot = { deploymentId, slot: allocator.begin(atMs) };
    const list = this.slots.get(requestId);
    if (list) list.push(slot);
    else this.slots.set(requestId, [slot]);
  }

  price(record: RequestRecord, detail: RequestDetail): AccountedCost {
    const warnings: string[] = [];
    let costUsd: number | null = null;
    let costEstimated = record.usageEstimated;
    const deploymentId = record.deploymentId;
    const allocator = deploymentId ? this.allocator(deploymentId) : undefined;
    const marked = this.slots.get(record.id) ?? [];
    this.slots.delete(record.id);
    let servedSlot: GpuSlot | undefined;
    for (const m of marked) {
      // Failed attempts held their deployment too; they end now and count toward its busy time.
      if (m.deploymentId === deploymentId && !servedSlot) servedSlot = m.slot;
      else
        this.allocators.get(m.deploymentId)?.finish(m.slot, this.now(), { inputTokens: 0, outputTokens: 0 });
    }
    if (allocator && deploymentId) {
      const tokens = { inputTokens: record.inputTokens ?? 0, outputTokens: record.outputTokens ?? 0 };
      if (servedSlot) {
        costUsd = allocator.finish(servedSlot, this.now(), tokens).costUsd;
      } else {
        costUsd = allocator.finishUnmarked(record.latencyMs, tokens).costUsd;
        costEstimated = true;
        warnings.push(
          `deployment ${deploymentId}: start not marked; GPU time charged as if the request ran alone`,
        );
      }
    } else if (deploymentId) {
      const lookup =
        this.deploymentPrices.get(deploymentId) ??
        (detail.deployment ? this.priceBook.forDeployment(detail.deployment) : undefined);
      const priced = priceUsage(
        {
          inputTokens: record.inputTokens,
          outputTokens: record.outputTokens,
          cachedTokens: record.cachedTokens,
          reasoningTokens: record.reasoningTokens,
        },
        lookup?.found ? lookup.prices : undefined,
      );
      costUsd = priced.costUsd;
      if (lookup && !lookup.found) warnings.push(`deployment ${deploymentId}: ${lookup.reason}`);
      else if (priced.warning) warnings.push(`deployment ${deploymentId}: ${priced.warning}`);
    }

    // A request that failed before any tokens were billed cost nothing; leaving it unknown would
    // make budgets keep its worst-case reservation as spend.
    if (
      costUsd === null &&
      record.status >= 400 &&
      record.inputTokens === null &&
      record.outputTokens === null
    ) {
      costUsd = 0;
      warnings.length = 0;
    }

    let baselineCostUsd: number | null = null;
    let baselineEstimated = false;
    if (this.baseline && detail.request && record.status < 400) {
      const b = this.baseline.price({ request: detail.request, outputText: detail.outputText ?? '' });
      baselineCostUsd = b.baselineCostUsd;
      baselineEstimated = b.estimated;
      if (b.warning) warnings.push(b.warning);
    }
    return {
      costUsd,
      baselineCostUsd,
      costEstimated: costUsd !== null && costEstimated,
      baselineEstimated,
      warnings,
    };
  }

  /** Prices the record and writes cost, baseline and the estimated flag into it. */
  apply(record: RequestRecord, detail: RequestDetail): AccountedCost {
    const result = this.price(record, detail);
    record.costUsd = result.costUsd;
    record.baselineCostUsd = result.baselineCostUsd;
    record.costEstimated = result.costEstimated;
    return result;
  }

  /** Utilisation, idle cost, effective $/M tokens and the volume projection of each self-hosted deployment this month. */
  selfHostedReports(): Map<string, SelfHostedReport> {
    this.rollWindow();
    const now = this.now();
    return new Map([...this.allocators].map(([id, a]) => [id, a.report(now)]));
  }

  private allocator(deploymentId: string): SelfHostedCostAllocator | undefined {
    const allocator = this.allocators.get(deploymentId);
    if (allocator) this.rollWindow();
    return allocator;
  }

  /** Self-hosted cost is allocated over calendar-month windows (UTC), like the monthly bill. */
  private rollWindow(): void {
    const start = monthStartMs(this.now());
    if (start === this.windowStartMs) return;
    this.windowStartMs = start;
    for (const a of this.allocators.values()) a.startWindow(start);
  }
}
