import { describe, expect, test } from 'vitest';
import { chooseLayout, type LayoutChoiceContext } from '../../src/capacity/choose-layout.js';
import type { ParallelOption } from '../../src/capacity/plan-capacity.js';

/** A layout that fits, running `concurrency` sequences at a cost per 1M tokens, with an optional fleet cost. */
function layout(
  gpus: number,
  concurrency: number,
  usdPerMillionTokens: number,
  fleet?: { replicas: number; monthlyUsd: number },
): ParallelOption {
  return {
    gpus,
    tensorParallel: Math.min(gpus, 8),
    pipelineParallel: Math.max(1, gpus / 8),
    weightsPerGpuGb: 0,
    kvAvailablePerGpuGb: 0,
    maxConcurrency: 1000,
    latencyCap: concurrency,
    concurrency,
    fits: true,
    economics: {
      throughput: {} as never,
      gpuHourlyUsd: 3,
      usdPerMillionTokens,
      tokenKind: 'output',
      replicasForLoad: fleet?.replicas ?? null,
      monthlyGpuUsdForLoad: fleet?.monthlyUsd ?? null,
    },
  };
}

const notFitting: ParallelOption = { ...layout(1, 64, 1), fits: false, economics: null };

const capacity: LayoutChoiceContext = {
  requestedConcurrency: 64,
  sizedForLoad: false,
  hasLatencyTargets: true,
  gpuId: 'h100',
  utilisation: 0.6,
};
const forLoad: LayoutChoiceContext = { ...capacity, sizedForLoad: true };

describe('one rule chooses the layout of a replica', () => {
  test.each([
    {
      why: 'without a load, a layout that holds the requested concurrency beats a cheaper capped one',
      context: capacity,
      layouts: [layout(2, 23, 2.5), layout(4, 64, 3), layout(8, 64, 3.5)],
      gpus: 4,
    },
    {
      why: 'without a load, the cheapest per token of those that hold it, not the smallest',
      context: capacity,
      layouts: [layout(2, 64, 4.36), layout(4, 64, 3)],
      gpus: 4,
    },
    {
      why: 'when none holds the requested concurrency, the cheapest per token of those that fit',
      context: { ...capacity, requestedConcurrency: 256 },
      layouts: [layout(4, 19, 4.8), layout(8, 60, 3.05), layout(16, 121, 3.2)],
      gpus: 8,
    },
    {
      why: 'per-token costs within 0.5% go to the fewest GPUs',
      context: capacity,
      layouts: [layout(16, 64, 3.0), layout(8, 64, 3.012)],
      gpus: 8,
    },
    {
      why: 'a cost 1% dearer is not a tie',
      context: capacity,
      layouts: [layout(16, 64, 3.0), layout(8, 64, 3.03)],
      gpus: 16,
    },
    {
      why: 'sized for a load, the lowest monthly cost wins even at a higher cost per token',
      context: forLoad,
      layouts: [
        layout(2, 23, 4.36, { replicas: 1, monthlyUsd: 4_365.4 }),
        layout(4, 64, 3, { replicas: 1, monthlyUsd: 8_730.8 }),
      ],
      gpus: 2,
    },
    {
      why: 'sized for a load, the capped small replica loses when the fleet of it costs more',
      context: forLoad,
      layouts: [
        layout(2, 23, 4.36, { replicas: 22, monthlyUsd: 96_039 }),
        layout(4, 64, 3, { replicas: 8, monthlyUsd: 69_846.4 }),
        layout(8, 64, 3, { replicas: 4, monthlyUsd: 69_846.4 }),
      ],
      gpus: 4,
    },
    {
      why: 'equal monthly costs go to the lower cost per token',
      context: forLoad,
      layouts: [
        layout(4, 24, 3.8, { replicas: 2, monthlyUsd: 17_461.6 }),
        layout(8, 64, 3.05, { replicas: 1, monthlyUsd: 17_461.6 }),
      ],
      gpus: 8,
    },
  ])('$why', ({ context, layouts, gpus }) => {
    const choice = chooseLayout([notFitting, ...layouts], context);
    expect(choice?.option.gpus).toBe(gpus);
    // The explanation names every other eligible layout, never one that does not fit.
    for (const o of layouts.filter((l) => l.gpus !== gpus))
      expect(choice?.explanation).toContain(`${o.gpus} × h100 at ${o.concurrency}:`);
    expect(choice?.explanation).not.toContain('1 × h100');
  });

  test('nothing that fits, no choice', () => {
    expect(chooseLayout([notFitting], capacity)).toBeNull();
  });

  test('the explanation says why the others lost', () => {
    const choice = chooseLayout(
      [
        layout(2, 23, 4.36, { replicas: 22, monthlyUsd: 96_039 }),
        layout(4, 64, 3, { replicas: 8, monthlyUsd: 69_846.4 }),
        layout(8, 64, 3, { replicas: 4, monthlyUsd: 69_846.4 }),
      ],
      forLoad,
    );
    expect(choice?.rule).toBe('load');
    expect(choice?.explanation).toBe(
      "4 × h100 (tensor parallel 4) at 64 concurrent sequences: 8 replicas × 4 GPUs, $69,846/month of GPUs, the lowest monthly GPU cost for the load's peak of the layouts that fit within the latency targets; " +
        'the others: 8 × h100 at 64: 4 replicas × 8 GPUs, $69,846/month of GPUs, the same cost on more GPUs per replica; 2 × h100 at 23: 22 replicas × 2 GPUs, $96,039/month of GPUs',
    );
  });
});
