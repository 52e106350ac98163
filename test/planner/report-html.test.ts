import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from './cli-harness.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const root = join(import.meta.dirname, '../..');
// Screenshots land here when set, to look at the report at laptop and phone widths.
const SHOTS = process.env.SWITCHYARD_REPORT_SCREENSHOTS;

const WIDTHS = [
  ['laptop', 1280, 800],
  ['phone', 390, 844],
] as const;

describe('HTML plan report in headless Chromium', () => {
  let dir: string;
  let browser: Browser | undefined;
  let report: string;
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
    report = join(dir, 'report.html');
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
      report,
    ]);
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function open(width: number, height: number): Promise<{ page: Page; external: string[] }> {
    const page = await browser!.newPage({ viewport: { width, height } });
    const external: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith('file:')) external.push(req.url());
    });
    await page.goto(pathToFileURL(report).href);
    return { page, external };
  }

  const skipped = (title: string) =>
    hasChromium ? title : `${title} (skipped: ${CHROMIUM} is not installed; apt-get install -y chromium)`;

  test.skipIf(!hasChromium)(
    skipped('the decision is at the top: the verdict, the figures behind it and the options table'),
    async () => {
      const { page, external } = await open(1280, 800);
      const summary = page.locator('section.summary');
      const verdict = await summary.locator('.verdict').textContent();
      expect(verdict).toMatch(/^Verdict: self-hosting is cheapest/);
      // The summary is the first thing under the title, in view without scrolling.
      const box = await summary.boundingBox();
      expect(box!.y).toBeLessThan(120);
      expect(box!.y + box!.height).toBeLessThan(800);
      await expect(summary.locator('.card').count()).resolves.toBe(5);
      expect(await summary.locator('.card.cheapest .card-value').textContent()).toBe('Self-hosted');
      const options = page.locator('table#options tbody tr');
      await expect(options.count()).resolves.toBe(4);
      expect(await page.locator('table#options tr.cheapest td').first().textContent()).toBe('Self-hosted');
      expect(external).toEqual([]);
      await page.close();
    },
  );

  test.skipIf(!hasChromium)(
    skipped(
      'charts: every option on the cost chart with the crossover, axes on the Pareto line and the traffic chart',
    ),
    async () => {
      const { page } = await open(1280, 800);
      const curve = page.locator('svg.cost-curve');
      const series = await curve
        .locator('path.series')
        .evaluateAll((ps) => ps.map((p) => p.getAttribute('class')));
      expect(series).toEqual([
        'series series-api',
        'series series-self-hosted',
        'series series-open-model',
        'series series-hybrid',
      ]);
      const crossover = curve.locator('g.crossover');
      await expect(crossover.locator('circle').count()).resolves.toBe(1);
      expect(await crossover.textContent()).toMatch(/break-even/);
      expect(await curve.locator('.x-axis-label').textContent()).toBe('Tokens per month');
      expect(await curve.locator('.y-axis-label').textContent()).toBe('USD per month');

      const pareto = page.locator('svg.pareto');
      await expect(pareto.locator('rect.bar').count()).resolves.toBe(4);
      await expect(pareto.locator('path.cumulative').count()).resolves.toBe(1);
      expect(await pareto.locator('.y-axis-label').textContent()).toBe('USD per month');
      expect(await pareto.locator('.y2-axis-label').textContent()).toBe('Cumulative share of spend');
      expect(await pareto.locator('.y2-tick').allTextContents()).toEqual(['0%', '25%', '50%', '75%', '100%']);

      const hourly = page.locator('svg.hourly-profile');
      await expect(hourly.locator('rect.bar').count()).resolves.toBe(24);
      expect(await hourly.locator('.x-axis-label').textContent()).toBe('Hour of day (UTC)');
      expect(await hourly.locator('.y-axis-label').textContent()).toBe('Share of tokens');
      const yTicks = await hourly.locator('.y-tick').allTextContents();
      expect(yTicks.length).toBeGreaterThanOrEqual(3);
      expect(yTicks[0]).toBe('0.0%');
      await page.close();
    },
  );

  test.skipIf(!hasChromium)(
    skipped(
      'the decision matrix: one column per workload, reasons in full, readable at laptop and phone widths',
    ),
    async () => {
      for (const [name, width, height] of WIDTHS) {
        const { page } = await open(width, height);
        const matrix = page.locator('table#decision-matrix');
        const head = await matrix.locator('thead th').allTextContents();
        expect(head).toEqual([
          'factor',
          'support-bot',
          'code-review',
          'document-extraction',
          'research-agent',
        ]);
        await expect(matrix.locator('tbody tr').count()).resolves.toBe(8);
        const cards = page.locator('.decision-card');
        await expect(cards.count()).resolves.toBe(4);
        // Reasons get a readable line length, not a squeezed table column.
        const reason = await cards.first().locator('.reasons li').first().boundingBox();
        expect(reason!.width).toBeGreaterThan(Math.min(250, width - 100));
        // Nothing but wide tables scrolls sideways, and those inside their own box.
        // Evaluated in the page, so written as a string: the tests compile without the DOM types.
        const overflow = Number(
          await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
        );
        expect(overflow, name).toBeLessThanOrEqual(0);
        await expect(page.locator('table#capacity tbody tr').count()).resolves.toBeGreaterThan(0);
        if (SHOTS) {
          await mkdir(SHOTS, { recursive: true });
          await page.screenshot({ path: join(SHOTS, `plan-${name}.png`), fullPage: true });
          await page.screenshot({ path: join(SHOTS, `plan-${name}-top.png`) });
        }
        await page.close();
      }
    },
  );
});
