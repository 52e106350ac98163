import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from './cli-harness.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const root = join(import.meta.dirname, '../..');

describe('HTML plan report in headless Chromium', () => {
  let dir: string;
  let browser: Browser | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchyard-report-'));
    if (hasChromium)
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
  });
  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const title =
    'renders the cost chart with its crossover, the Pareto chart, the capacity table and the decision matrix';
  test.skipIf(!hasChromium)(
    hasChromium ? title : `${title} (skipped: ${CHROMIUM} is not installed; apt-get install -y chromium)`,
    async () => {
      const out = join(dir, 'report.html');
      // At $0.50 per GPU-hour self-hosting crosses the API inside the charted range.
      const r = await runCli([
        'plan',
        '--usage',
        join(root, 'examples/usage/openai-usage-hourly.csv'),
        '--config',
        join(root, 'examples/workloads.yaml'),
        '--gpu-hourly-usd',
        '0.5',
        '--out',
        out,
      ]);
      expect(r.code).toBe(0);
      const page = await browser!.newPage();
      const external: string[] = [];
      page.on('request', (req) => {
        if (!req.url().startsWith('file:')) external.push(req.url());
      });
      await page.goto(pathToFileURL(out).href);

      const curve = page.locator('svg.cost-curve');
      await expect(curve.count()).resolves.toBe(1);
      await expect(curve.locator('path.series').count()).resolves.toBe(3);
      const crossover = curve.locator('g.crossover');
      await expect(crossover.count()).resolves.toBe(1);
      await expect(crossover.locator('circle').count()).resolves.toBe(1);
      expect(await crossover.textContent()).toMatch(/break-even/);
      expect(await curve.locator('.x-axis-label').textContent()).toBe('Tokens per month');
      expect(await curve.locator('.y-axis-label').textContent()).toBe('USD per month');
      const box = await curve.boundingBox();
      expect(box?.width).toBeGreaterThan(100);

      const pareto = page.locator('svg.pareto');
      await expect(pareto.locator('rect.bar').count()).resolves.toBe(4);
      await expect(pareto.locator('path.cumulative').count()).resolves.toBe(1);
      expect(await pareto.locator('.y-axis-label').textContent()).toBe('USD per month');

      const hourly = page.locator('svg.hourly-profile');
      await expect(hourly.locator('rect.bar').count()).resolves.toBe(24);
      expect(await hourly.locator('.x-axis-label').textContent()).toBe('Hour of day (UTC)');

      await expect(page.locator('table#capacity tbody tr').count()).resolves.toBeGreaterThan(0);
      const matrix = page.locator('table#decision-matrix');
      expect(await matrix.locator('thead').textContent()).toContain('data sensitivity');
      await expect(matrix.locator('tbody tr').count()).resolves.toBe(4);
      expect(external).toEqual([]);
      await page.close();
    },
  );
});
