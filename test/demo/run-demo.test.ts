import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/run-demo.js';

describe('switchyard demo', () => {
  it('sends a mixed workload through simulated upstreams and reports routing and savings', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-demo-test-'));
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => (text += d));
    try {
      const result = await runDemo({ requests: 24, concurrency: 6, dataDir, out });
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
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
