import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from './cli-harness.js';

const root = join(import.meta.dirname, '../..');
const sample = join(root, 'examples/usage/openai-usage-hourly.csv');
const config = join(root, 'examples/workloads.yaml');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-finance-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('what a finance reader reads first', () => {
  test('every format leads with the same one-line verdict', async () => {
    const html = join(dir, 'plan.html');
    const md = join(dir, 'plan.md');
    const text = await runCli(['plan', '--usage', sample, '--config', config, '--out', html, '--out', md]);
    expect(text.code, text.stderr).toBe(0);
    const verdict = text.stdout.split('\n')[0];
    expect(verdict).toMatch(
      /^Verdict: self-hosting is cheapest at \$[\d,]+\/month: it saves \$[\d,]+\/month \(\d+\.\d%\) against the current API; self-hosting breaks even at [\d.]+B tokens\/month \(now 18\.2B\); capacity checked \(/,
    );
    const json = JSON.parse((await runCli(['plan', '--usage', sample, '--config', config, '--json'])).stdout);
    expect(Object.keys(json)[0]).toBe('verdict');
    expect(json.verdict.text).toBe(verdict);
    expect(json.verdict).toMatchObject({ cheapest_option: 'self-hosted', capacity_checked: true });
    const markdown = await readFile(md, 'utf8');
    expect(markdown.split('\n').slice(0, 3)).toEqual(['# Migration plan', '', `**${verdict}**`]);
    const page = await readFile(html, 'utf8');
    const body = page.slice(page.indexOf('<body>'));
    expect(body.indexOf('class="verdict"')).toBeLessThan(body.indexOf('<h2>'));
    expect(body).toContain(verdict.replace(/&/g, '&amp;'));
  });

  test('never a negative saving or a misplaced sign: "costs $X more", one money format', async () => {
    const html = join(dir, 'money.html');
    const md = join(dir, 'money.md');
    const r = await runCli(['plan', '--usage', sample, '--config', config, '--out', html, '--out', md]);
    for (const out of [r.stdout, await readFile(md, 'utf8'), await readFile(html, 'utf8')]) {
      expect(out).not.toMatch(/saves -\$|\$-\d/);
      expect(out).toMatch(/self-hosting costs \$[\d,]+ more per month than the API/);
    }
  });

  test('where restricted data decides against cost, the report says it overrides cost and by how much', async () => {
    const r = await runCli(['plan', '--usage', sample, '--config', config]);
    const block = r.stdout.slice(r.stdout.indexOf('  document-extraction: SELF-HOST'));
    expect(block.split('\n')[1]).toMatch(
      /^ {4}restricted data must stay inside the perimeter: overrides cost by \$[\d,]+\/month$/,
    );
    const json = JSON.parse((await runCli(['plan', '--usage', sample, '--config', config, '--json'])).stdout);
    const doc = json.workloads.find((w: { name: string }) => w.name === 'document-extraction');
    expect(doc.decision.override.extraCostUsd).toBeCloseTo(-doc.breakeven.savings_usd, 1);
  });

  test('a plan over fifteen minutes of records says it extrapolates a month from them', async () => {
    const file = join(dir, 'fifteen.jsonl');
    const start = Date.UTC(2026, 10, 1, 9);
    await writeFile(
      file,
      Array.from({ length: 31 }, (_, i) =>
        JSON.stringify({
          startedAt: new Date(start + i * 30_000).toISOString(),
          modelRequested: 'gpt-4o',
          inputTokens: 2000,
          outputTokens: 300,
          workload: 'support',
        }),
      ).join('\n'),
    );
    const r = await runCli(['plan', '--usage', file]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 5).join('\n')).toMatch(
      /Warnings\n {2}! The files cover only 15 minutes \(2026-11-01T09:00 to 09:15 UTC\): monthly figures multiply them by 2,920/,
    );
    const json = JSON.parse((await runCli(['plan', '--usage', file, '--json'])).stdout);
    expect(json.warnings[0]).toMatch(/only 15 minutes/);
  });
});
