import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/run-demo.js';

describe('switchyard demo', () => {
  it(
    'sends a mixed workload through simulated upstreams, reports routing and savings, then a safe cutover',
    { timeout: 180_000 },
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-demo-test-'));
      const out = new PassThrough();
      let text = '';
      out.on('data', (d) => (text += d));
      try {
        // Rollouts settle in seconds; a loaded machine (the whole suite at once) may need longer.
        const result = await runDemo({
          requests: 24,
          concurrency: 6,
          dataDir,
          out,
          cutoverTimeoutMs: 150_000,
        });
        expect(result.failures).toBe(0);
        expect(result.records).toHaveLength(24);
        expect(text).toContain('SIMULATED');
        for (const workload of ['classification', 'extraction', 'summarization', 'support'])
          expect(text).toContain(workload);
        // Bulk workloads stay on the self-hosted model; personal data never leaves the network.
        const bulk = result.records.filter((r) => r.workload === 'classification');
        expect(bulk.every((r) => r.deploymentId === 'llama-local')).toBe(true);
        const restricted = result.records.filter((r) => r.route?.residency?.dataClass === 'restricted');
        expect(restricted.length).toBeGreaterThan(0);
        expect(restricted.every((r) => r.deploymentId === 'llama-local')).toBe(true);
        // Every request is priced, and the baseline is GPT-4o's.
        expect(result.records.every((r) => r.costUsd !== null && r.baselineCostUsd !== null)).toBe(true);
        const spend = result.records.reduce((s, r) => s + r.costUsd!, 0);
        const baseline = result.records.reduce((s, r) => s + r.baselineCostUsd!, 0);
        expect(spend).toBeLessThan(baseline);
        expect(text).toMatch(/savings \$[\d.]+ \([\d.]+%\)/);

        // The cutover: a shadow comparison, one rollout that completes, one rolled back when its
        // simulated candidate starts failing.
        const { pairs, rollouts } = result.cutover;
        expect(pairs.length).toBeGreaterThan(0);
        expect(pairs.every((p) => p.shadow.deploymentId === 'llama-70b' && p.scoreDifference !== null)).toBe(
          true,
        );
        expect(rollouts.faq.final, text).toMatchObject({ status: 'completed', candidatePercent: 100 });
        expect(rollouts.billing.final).toMatchObject({ status: 'rolled_back', candidatePercent: 0 });
        expect(rollouts.billing.history[0]).toMatchObject({
          kind: 'rollback',
          fromPercent: 50,
          toPercent: 0,
        });
        expect(text).toContain('Shadow comparison, route faq');
        expect(text).toMatch(/rollback +50% → 0% .*errorRate failed/);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});
