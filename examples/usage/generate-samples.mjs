#!/usr/bin/env node
// Writes the sample usage files in this folder with a fixed seed, so `switchyard plan` has realistic
// input on a fresh machine: 30 days of hourly OpenAI usage buckets for four projects, and two weeks
// of Switchyard request records with latency, router scores and residency classes.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(20261101);
const jitter = (x, spread = 0.25) => x * (1 - spread + 2 * spread * rand());

// Business-hours shape (UTC): quiet nights, a morning ramp, an afternoon peak.
const DAY_SHAPE = [
  0.15, 0.1, 0.1, 0.1, 0.15, 0.25, 0.45, 0.8, 1.2, 1.6, 1.8, 1.9, 1.8, 1.9, 2.0, 1.9, 1.7, 1.4, 1.0, 0.7, 0.5,
  0.35, 0.25, 0.2,
];
const weekday = (d) => (d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 0.35 : 1);

const projects = [
  {
    id: 'proj_support',
    key: 'key_support_prod',
    model: 'gpt-4o-2024-08-06',
    reqPerHour: 2400,
    inTok: 1800,
    outTok: 320,
    cached: 0.45,
    shape: 'day',
  },
  {
    id: 'proj_extraction',
    key: 'key_docs_batch',
    model: 'gpt-4o-mini-2024-07-18',
    reqPerHour: 5200,
    inTok: 3200,
    outTok: 420,
    cached: 0.1,
    shape: 'flat',
  },
  {
    id: 'proj_codereview',
    key: 'key_codereview',
    model: 'gpt-4.1-2025-04-14',
    reqPerHour: 300,
    inTok: 6500,
    outTok: 900,
    cached: 0.3,
    shape: 'day',
  },
  {
    id: 'proj_research',
    key: 'key_research',
    model: 'o3-mini-2025-01-31',
    reqPerHour: 60,
    inTok: 2500,
    outTok: 2200,
    cached: 0,
    shape: 'day',
  },
];

const start = Date.UTC(2026, 9, 1); // 2026-10-01
const HOUR = 3600_000;
const header = [
  'start_time',
  'end_time',
  'start_time_iso',
  'end_time_iso',
  'project_id',
  'num_model_requests',
  'user_id',
  'api_key_id',
  'model',
  'batch',
  'service_tier',
  'input_tokens',
  'output_tokens',
  'input_cached_tokens',
  'input_audio_tokens',
  'output_audio_tokens',
];
const lines = [header.join(',')];
for (let h = 0; h < 30 * 24; h++) {
  const t = start + h * HOUR;
  const d = new Date(t);
  for (const p of projects) {
    const shape = p.shape === 'day' ? DAY_SHAPE[d.getUTCHours()] * weekday(d) : 1;
    const reqs = Math.max(0, Math.round(jitter(p.reqPerHour * shape)));
    if (reqs === 0) continue;
    const input = Math.round(reqs * jitter(p.inTok, 0.1));
    const output = Math.round(reqs * jitter(p.outTok, 0.1));
    const cached = Math.round(input * p.cached * jitter(1, 0.2));
    lines.push(
      [
        t / 1000,
        (t + HOUR) / 1000,
        new Date(t).toISOString(),
        new Date(t + HOUR).toISOString(),
        p.id,
        reqs,
        '',
        p.key,
        p.model,
        p.id === 'proj_extraction' ? 'true' : 'false',
        'default',
        input,
        output,
        Math.min(cached, input),
        0,
        0,
      ].join(','),
    );
  }
}
writeFileSync(join(here, 'openai-usage-hourly.csv'), `${lines.join('\n')}\n`);

// Switchyard records: one line per request, as `switchyard records export --format jsonl` writes them.
const workloads = [
  {
    workload: 'support',
    team: 'cx',
    model: 'gpt-4o',
    weight: 0.55,
    inTok: 1500,
    outTok: 280,
    score: 0.3,
    restricted: 0,
    price: [2.5, 1.25, 10],
  },
  {
    workload: 'claims',
    team: 'ops',
    model: 'gpt-4o-mini',
    weight: 0.3,
    inTok: 2800,
    outTok: 350,
    score: 0.2,
    restricted: 0.6,
    price: [0.15, 0.075, 0.6],
  },
  {
    workload: 'contracts',
    team: 'legal',
    model: 'claude-sonnet-4-20250514',
    weight: 0.15,
    inTok: 9000,
    outTok: 1200,
    score: 0.75,
    restricted: 0.2,
    price: [3, 0.3, 15],
  },
];
const recStart = Date.UTC(2026, 10, 1);
const recs = [];
for (let i = 0; i < 2000; i++) {
  const r = rand();
  let acc = 0;
  const w = workloads.find((x) => (acc += x.weight) >= r) ?? workloads[0];
  const day = Math.floor(rand() * 14);
  let hour;
  do hour = Math.floor(rand() * 24);
  while (rand() * 2 > DAY_SHAPE[hour]);
  const startedAt = recStart + day * 86_400_000 + hour * HOUR + Math.floor(rand() * HOUR);
  const inputTokens = Math.round(jitter(w.inTok, 0.5));
  const outputTokens = Math.round(jitter(w.outTok, 0.5));
  const cachedTokens = rand() < 0.3 ? Math.round(inputTokens * 0.5) : 0;
  const [pin, pcached, pout] = w.price;
  const costUsd = ((inputTokens - cachedTokens) * pin + cachedTokens * pcached + outputTokens * pout) / 1e6;
  const ttftMs = Math.round(jitter(w.model.startsWith('claude') ? 900 : 450, 0.5));
  const latencyMs = ttftMs + Math.round(outputTokens * jitter(12, 0.3));
  const restricted = rand() < w.restricted;
  const score = Math.round(Math.min(1, Math.max(0, jitter(w.score, 0.6))) * 1000) / 1000;
  recs.push({
    id: `req_${String(i).padStart(5, '0')}`,
    startedAt,
    endedAt: startedAt + latencyMs,
    keyId: `key_${w.team}`,
    team: w.team,
    workload: w.workload,
    endpoint: 'chat',
    modelRequested: w.model,
    deploymentId: `${w.model}-primary`,
    provider: w.model.startsWith('claude') ? 'anthropic' : 'openai-compatible',
    upstreamModel: w.model,
    status: 200,
    errorCode: null,
    inputTokens,
    outputTokens,
    cachedTokens,
    reasoningTokens: null,
    usageEstimated: false,
    latencyMs,
    ttftMs,
    streamed: true,
    truncated: false,
    finishReason: 'stop',
    costUsd: Math.round(costUsd * 1e8) / 1e8,
    baselineCostUsd: Math.round(costUsd * 1e8) / 1e8,
    costEstimated: false,
    overheadMs: 2,
    route: {
      routeId: w.workload,
      rule: `workload=${w.workload}`,
      targetKind: 'auto',
      routerScore: score,
      routerThreshold: 0.5,
      routerChoice: score >= 0.5 ? 'strong' : 'weak',
      residency: { dataClass: restricted ? 'restricted' : 'normal', reason: restricted ? 'pii' : null },
      attempts: [{ deployment: `${w.model}-primary`, outcome: 'ok', status: 200, latencyMs }],
    },
    requestBody: null,
    responseBody: null,
  });
}
recs.sort((a, b) => a.startedAt - b.startedAt);
const jsonl = recs.map((r) => JSON.stringify(r));
// Two rows an export can really contain after a crash mid-write: a cut-off line and a row whose
// token count is not a number. The planner reports both with their line numbers.
jsonl.splice(700, 0, jsonl[700].slice(0, 120));
jsonl.splice(1400, 0, jsonl[1400].replace(/"inputTokens":\d+/, '"inputTokens":"n/a"'));
writeFileSync(join(here, 'switchyard-records.jsonl'), `${jsonl.join('\n')}\n`);
console.log(`wrote ${lines.length - 1} usage buckets and ${jsonl.length} records`);
