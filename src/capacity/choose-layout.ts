import { formatUsd } from '../planner/format-usd.js';
import type { ParallelOption } from './plan-capacity.js';

/**
 * How the layout was picked: `given` by --gpus; `load` for the lowest monthly GPU cost of the
 * replicas a peak load needs (breakeven, plan); `per-token` for the lowest cost per token served
 * when there is no load to size (capacity).
 */
export type LayoutRule = 'given' | 'load' | 'per-token';

export interface LayoutChoice {
  option: ParallelOption;
  rule: LayoutRule;
  /** The rule in a few words, for a report row beside the layout table. */
  summary: string;
  /** The rule and the figures that decided it, with every other layout that was eligible. */
  explanation: string;
}

export interface LayoutChoiceContext {
  requestedConcurrency: number;
  /** Whether the replicas were sized for a peak load (`economics.replicasForLoad` is set). */
  sizedForLoad: boolean;
  hasLatencyTargets: boolean;
  gpuId: string;
  /** Planned busy share, which the per-token cost divides by; printed beside it. */
  utilisation: number;
}

/**
 * Per-token costs within 0.5% of the lowest count as equal: the roofline is not that precise, and in
 * it tensor-parallel layouts at one concurrency serve exactly in proportion to their GPUs, leaving
 * out the communication that more GPUs add. Monthly costs of a fleet are whole GPU-hours, so they
 * tie only when they are equal.
 */
const PER_TOKEN_TOLERANCE = 0.005;
const SAME_MONTHLY_COST = 1e-9;

/** The layouts whose `cost` is within `tolerance` of the lowest. */
function cheapest(
  layouts: ParallelOption[],
  cost: (o: ParallelOption) => number,
  tolerance: number,
): ParallelOption[] {
  const lowest = Math.min(...layouts.map(cost));
  return layouts.filter((o) => cost(o) <= lowest * (1 + tolerance));
}

const perToken = (o: ParallelOption) => economicsOf(o).usdPerMillionTokens;
const monthly = (o: ParallelOption) => economicsOf(o).monthlyGpuUsdForLoad ?? 0;

/**
 * The one rule every planner command chooses a replica's layout by. Eligible layouts fit: memory
 * holds the concurrency they run, and that concurrency (the requested one, or the latency cap) is
 * at least one. Sized for a load (breakeven, plan), the lowest monthly GPU cost of the replicas its
 * peak needs wins; equal costs go to the lower cost per token. Without a load (capacity), layouts
 * that run the whole requested concurrency within the latency targets come first, and the lowest
 * cost per token served wins. Whatever is still tied goes to fewer GPUs per replica.
 */
export function chooseLayout(options: ParallelOption[], c: LayoutChoiceContext): LayoutChoice | null {
  const eligible = options.filter((o) => o.fits && o.economics !== null);
  if (eligible.length === 0) return null;
  let pool = eligible;
  if (c.sizedForLoad) pool = cheapest(pool, monthly, SAME_MONTHLY_COST);
  else if (pool.some((o) => o.concurrency >= c.requestedConcurrency))
    pool = pool.filter((o) => o.concurrency >= c.requestedConcurrency);
  pool = cheapest(pool, perToken, PER_TOKEN_TOLERANCE);
  const chosen = pool.reduce((a, b) => (b.gpus < a.gpus ? b : a));
  const others = eligible
    .filter((o) => o !== chosen)
    .sort(
      (a, b) =>
        (c.sizedForLoad ? monthly(a) - monthly(b) : 0) || perToken(a) - perToken(b) || a.gpus - b.gpus,
    );
  return {
    option: chosen,
    rule: c.sizedForLoad ? 'load' : 'per-token',
    summary: summarise(chosen, c),
    explanation: explain(chosen, others, c),
  };
}

/** The explanation for a layout fixed by --gpus. */
export function givenLayout(option: ParallelOption, gpuId: string): LayoutChoice {
  return {
    option,
    rule: 'given',
    summary: `given (--gpus ${option.gpus})`,
    explanation: `${layoutName(option, gpuId)}, as --gpus ${option.gpus} asks`,
  };
}

function economicsOf(o: ParallelOption) {
  if (!o.economics) throw new Error(`layout of ${o.gpus} GPUs has no economics`);
  return o.economics;
}

function layoutName(o: ParallelOption, gpuId: string): string {
  return `${o.gpus} × ${gpuId} (tensor parallel ${o.tensorParallel}${o.pipelineParallel > 1 ? ` × pipeline ${o.pipelineParallel}` : ''})`;
}

function summarise(chosen: ParallelOption, c: LayoutChoiceContext): string {
  const within = c.hasLatencyTargets ? ' within the latency targets' : '';
  if (c.sizedForLoad) return `the lowest monthly GPU cost for the load of the layouts that fit${within}`;
  const kind = economicsOf(chosen).tokenKind;
  return chosen.concurrency >= c.requestedConcurrency
    ? `the lowest cost per ${kind} token of the layouts that hold all ${c.requestedConcurrency} sequences${within}`
    : `the lowest cost per ${kind} token of the layouts that fit; none holds all ${c.requestedConcurrency} sequences${within}`;
}

function explain(chosen: ParallelOption, others: ParallelOption[], c: LayoutChoiceContext): string {
  const perTokenText = (o: ParallelOption) =>
    `${formatUsd(perToken(o))} per 1M ${economicsOf(o).tokenKind} tokens`;
  const forLoad = (o: ParallelOption) => {
    const x = economicsOf(o);
    return `${x.replicasForLoad} replica${x.replicasForLoad === 1 ? '' : 's'} × ${o.gpus} GPUs, ${formatUsd(x.monthlyGpuUsdForLoad ?? 0)}/month of GPUs`;
  };
  const within = c.hasLatencyTargets ? ' within the latency targets' : '';
  const figures = c.sizedForLoad ? forLoad : perTokenText;
  const head = `${layoutName(chosen, c.gpuId)} at ${chosen.concurrency} concurrent sequences: ${figures(chosen)}`;
  let why: string;
  if (c.sizedForLoad)
    why = `the lowest monthly GPU cost for the load's peak of the layouts that fit${within}`;
  else if (chosen.concurrency >= c.requestedConcurrency)
    why = `the lowest cost per token (at ${round2(c.utilisation * 100)}% utilisation) of the layouts that hold the ${c.requestedConcurrency} requested sequences${within}`;
  else
    why = `the lowest cost per token (at ${round2(c.utilisation * 100)}% utilisation) of the layouts that fit: none holds the ${c.requestedConcurrency} requested sequences${within}`;
  const holds = (o: ParallelOption) => o.concurrency >= c.requestedConcurrency;
  const rest = others.map((o) => {
    let note = '';
    if (!c.sizedForLoad && holds(chosen) && !holds(o))
      note = `, holds ${o.concurrency} of the ${c.requestedConcurrency}`;
    else if (c.sizedForLoad && monthly(o) <= monthly(chosen) * (1 + SAME_MONTHLY_COST))
      note =
        perToken(o) <= perToken(chosen) * (1 + PER_TOKEN_TOLERANCE)
          ? ', the same cost on more GPUs per replica'
          : `, the same cost at a higher cost per token (${perTokenText(o)} against ${perTokenText(chosen)})`;
    else if (!c.sizedForLoad && perToken(o) <= perToken(chosen) * (1 + PER_TOKEN_TOLERANCE))
      note = ', as cheap to within 0.5% on more GPUs per replica';
    return `${o.gpus} × ${c.gpuId} at ${o.concurrency}: ${figures(o)}${note}`;
  });
  return `${head}, ${why}${rest.length ? `; the others: ${rest.join('; ')}` : ''}`;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
