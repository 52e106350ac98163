import type { Writable } from 'node:stream';
import OpenAI from 'openai';
import { resolveConfig } from '../config/load-config.js';
import type { ConfigInput } from '../config/schema/config-schema.js';
import { formatTransition } from '../rollout/format-rollout.js';
import type { RolloutSnapshot } from '../rollout/rollout-controller.js';
import type { StoredTransition } from '../rollout/rollout-state.js';
import { startGateway } from '../server/start-gateway.js';
import { SqliteShadowStore } from '../shadow/sqlite-shadow-store.js';
import type { ShadowPair } from '../shadow/shadow-pair.js';
import { startSimulator, type Simulator } from '../simulate/index.js';
import { bootstrapMean } from '../stats/index.js';
import { openSqliteDatabase } from '../storage/open-sqlite-database.js';
import { percentile } from '../usage/percentile.js';
import { DEMO_GPU } from './demo-config.js';

export interface CutoverDemoOptions {
  dataDir: string;
  out: Writable;
  /** Gives up on the rollouts after this long (they normally settle in a few seconds). */
  timeoutMs?: number;
}

export interface CutoverDemoResult {
  pairs: ShadowPair[];
  rollouts: Record<string, { final: RolloutSnapshot; history: StoredTransition[] }>;
}

/** Gates sized for a demo's few hundred requests, not production's defaults (see docs/rollouts.md). */
const DEMO_ROLLOUT = {
  minDwellMinutes: 0,
  minRequests: 10,
  checkIntervalSeconds: 1,
  gates: { quality: false as const, errorRate: { max: 0.25, alpha: 0.1 } },
  rollback: { afterFailedChecks: 2, to: 'zero' as const },
};

function cutoverConfig(urls: { gpt4o: string; llama: string; llamaB: string }, dataDir: string): ConfigInput {
  const llama = (id: string, url: string) => ({
    id,
    baseUrl: url,
    model: 'llama-3.3-70b-instruct',
    vendor: 'vllm',
    location: 'internal' as const,
    selfHosted: { ...DEMO_GPU, gpu: 'h100', gpuCount: 2, gpuHourlyUsd: 2.99, capacityConcurrency: 32 },
  });
  return {
    server: { dataDir, port: 0 },
    records: { batchIntervalMs: 50 },
    deployments: [
      { id: 'openai-gpt-4o', baseUrl: urls.gpt4o, model: 'gpt-4o', location: 'external' },
      llama('llama-70b', urls.llama),
      llama('llama-70b-b', urls.llamaB),
    ],
    models: [
      { name: 'faq', deployments: ['openai-gpt-4o'] },
      { name: 'billing', deployments: ['openai-gpt-4o'] },
    ],
    routes: [
      {
        id: 'faq',
        match: { model: 'faq' },
        target: { deployment: 'openai-gpt-4o' },
        logBodies: true,
        shadow: { candidates: ['llama-70b'], sample: 0.3, score: { scorer: 'rouge-l' } },
      },
      { id: 'billing', match: { model: 'billing' }, target: { deployment: 'openai-gpt-4o' } },
    ],
    rollouts: [
      { route: 'faq', baseline: 'openai-gpt-4o', candidate: 'llama-70b', stages: [20, 100], ...DEMO_ROLLOUT },
      {
        route: 'billing',
        baseline: 'openai-gpt-4o',
        candidate: 'llama-70b-b',
        stages: [20, 50, 100],
        ...DEMO_ROLLOUT,
      },
    ],
    cost: { baseline: { model: 'gpt-4o' } },
  };
}

const QUESTIONS = [
  'How do I reset my password?',
  'What are your opening hours?',
  'Can I change the delivery address of order 1042?',
  'Why was I charged twice this month?',
  'How do I download last month’s invoice?',
  'Do you ship to Canada?',
];

/**
 * The migration in miniature, faster than real time: a candidate in shadow of GPT-4o on one route,
 * then two gated rollouts driven by live traffic, one that advances to 100% and one whose candidate
 * starts failing halfway and is rolled back without a human. Every upstream is simulated.
 */
export async function runCutoverDemo(options: CutoverDemoOptions): Promise<CutoverDemoResult> {
  const { out } = options;
  const masterKey = `sk-demo-${Math.random().toString(36).slice(2)}`;
  const sims: Simulator[] = [
    await startSimulator({
      model: 'gpt-4o',
      profile: 'openai',
      ttftMs: 120,
      tokensPerSecond: 400,
      outputTokens: { min: 10, max: 40 },
    }),
    await startSimulator({
      model: 'llama-3.3-70b-instruct',
      profile: 'vllm',
      ttftMs: 40,
      tokensPerSecond: 800,
      outputTokens: { min: 10, max: 40 },
    }),
    await startSimulator({
      model: 'llama-3.3-70b-instruct',
      profile: 'vllm',
      ttftMs: 40,
      tokensPerSecond: 800,
      outputTokens: { min: 10, max: 40 },
    }),
  ];
  const [gpt4o, llama, llamaB] = sims;
  const config = resolveConfig(
    cutoverConfig({ gpt4o: gpt4o.url, llama: llama.url, llamaB: llamaB.url }, options.dataDir),
    {},
    'demo',
  );
  const gateway = await startGateway(config, { cwd: options.dataDir, masterKey, port: 0, host: '127.0.0.1' });
  const admin = async <T>(path: string): Promise<T> =>
    (await (
      await fetch(`${gateway.url}/admin/rollouts${path}`, {
        headers: { authorization: `Bearer ${masterKey}` },
      })
    ).json()) as T;
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: masterKey, maxRetries: 0 });

  out.write(
    '\nMoving traffic to a self-hosted Llama 70B, safely (simulated, and faster than real time)\n\n' +
      '  route faq      GPT-4o, with 30% of requests copied in shadow to llama-70b; rollout 20% → 100%\n' +
      '  route billing  GPT-4o; rollout to llama-70b-b 20% → 50% → 100%, whose candidate starts failing\n' +
      '                 half its requests once it reaches 50%\n\n',
  );
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let degraded = false;
  let sent = 0;
  const settled = (rs: RolloutSnapshot[]) =>
    rs.every((r) => r.status === 'completed' || r.status === 'rolled_back');
  let rollouts: RolloutSnapshot[] = [];
  while (Date.now() < deadline) {
    await Promise.all(
      Array.from({ length: 16 }, (_, i) => {
        const user = `user-${(sent + i) % 200}`;
        const model = i % 2 === 0 ? 'faq' : 'billing';
        return client.chat.completions
          .create({
            model,
            user,
            max_tokens: 60,
            messages: [{ role: 'user', content: QUESTIONS[(sent + i) % QUESTIONS.length] }],
          })
          .catch(() => undefined);
      }),
    );
    sent += 16;
    rollouts = (await admin<{ rollouts: RolloutSnapshot[] }>('')).rollouts;
    const billing = rollouts.find((r) => r.route === 'billing');
    if (!degraded && billing && billing.candidatePercent >= 50) {
      llamaB.setBehaviour({ errorRate: 0.5, errorMode: 'http500' });
      degraded = true;
    }
    if (settled(rollouts)) break;
  }
  // Copies still in flight land before the pairs are read.
  await new Promise((r) => setTimeout(r, 300));
  await gateway.flushRecords();
  const results: CutoverDemoResult['rollouts'] = {};
  for (const r of rollouts) {
    const detail = await admin<{ rollout: RolloutSnapshot; history: StoredTransition[] }>(
      `/${r.route}?limit=20`,
    );
    results[r.route] = { final: detail.rollout, history: detail.history };
  }
  await gateway.close();
  await Promise.all(sims.map((s) => s.close()));

  const db = openSqliteDatabase(options.dataDir);
  const store = new SqliteShadowStore(db);
  const pairs = store.withPrimaryCosts(store.query({ routeId: 'faq' }));
  db.close();
  out.write(`Sent ${sent} requests over both routes with the official openai SDK.\n\n`);
  out.write(formatShadow(pairs));
  for (const route of ['faq', 'billing']) {
    const r = results[route];
    if (!r) continue;
    out.write(
      `\nRollout ${route}: ${r.final.baseline} → ${r.final.candidate}, now ${r.final.status} at ${r.final.candidatePercent}%\n`,
    );
    for (const t of [...r.history].reverse()) out.write(`${formatTransition(t)}\n`);
  }
  out.write(
    `\nInspect them: npx switchyard shadow report --route faq --data-dir ${options.dataDir}\n` +
      `              the rollouts' history is in ${options.dataDir}/rollouts.db (switchyard rollout status, against a running gateway)\n`,
  );
  return { pairs, rollouts: results };
}

function formatShadow(pairs: readonly ShadowPair[]): string {
  if (pairs.length === 0) return 'Shadow comparison, route faq: no pairs were stored.\n';
  const agreement = pairs
    .map((p) => (p.scoreDifference === null ? null : p.scoreDifference + 1))
    .filter((v): v is number => v !== null);
  const mean = agreement.length ? bootstrapMean(agreement, { resamples: 2_000, seed: 1 }) : null;
  const latency = (side: 'primary' | 'shadow') =>
    percentile(
      pairs.map((p) => p[side].latencyMs ?? 0).sort((a, b) => a - b),
      0.5,
    ) ?? 0;
  const per1k = (side: 'primary' | 'shadow') => {
    const priced = pairs.filter((p) => p[side].costUsd !== null);
    return priced.length ? (priced.reduce((s, p) => s + p[side].costUsd!, 0) / priced.length) * 1000 : null;
  };
  const usd = (v: number | null) => (v === null ? 'unpriced' : `$${v.toFixed(2)}`);
  return (
    `Shadow comparison, route faq: ${pairs.length} requests answered by both GPT-4o and llama-70b\n` +
    (mean
      ? `  agreement with GPT-4o (ROUGE-L)  ${mean.estimate.toFixed(2)}  [95% ${mean.low.toFixed(2)}, ${mean.high.toFixed(2)}]\n`
      : '') +
    `  p50 latency                      GPT-4o ${Math.round(latency('primary'))} ms, llama-70b ${Math.round(latency('shadow'))} ms\n` +
    `  cost per 1,000 requests          GPT-4o ${usd(per1k('primary'))}, llama-70b ${usd(per1k('shadow'))} (GPU time)\n`
  );
}
