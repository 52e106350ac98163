import parsePrometheusTextFormat, { type ParsedMetricFamily } from 'parse-prometheus-text-format';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import type { StoredRecord } from '../../src/spec/request-record.js';
import { histogramSeries } from '../metrics/histogram-series.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway.js';

const GLOBAL_LIMIT_USD = 5;

let sim: Simulator;
let gw: TestGateway;
let client: OpenAI;
let records: StoredRecord[];
let metricsText: string;

interface Totals {
  requests: number;
  errors: number;
  errorRate: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  baselineCostUsd: number | null;
  savingsUsd: number | null;
  unpricedRequests: number;
}
type Row = Totals & { workload?: string | null; model?: string | null };

beforeAll(async () => {
  sim = await startSimulator({ model: 'llama-sim', profile: 'vllm', outputTokens: { min: 5, max: 30 } });
  gw = await startTestGateway({
    deployments: [
      {
        id: 'priced',
        baseUrl: sim.url,
        model: 'llama-sim',
        vendor: 'vllm',
        prices: { inputPerMillionUsd: 0.5, outputPerMillionUsd: 1.5 },
      },
      { id: 'unpriced', baseUrl: sim.url, model: 'mystery-sim', vendor: 'vllm' },
    ],
    models: [
      { name: 'gpt-4o', deployments: ['priced'] },
      { name: 'mystery', deployments: ['unpriced'] },
    ],
    cost: {
      baseline: { model: 'gpt-4o' },
      prices: { 'gpt-4o': { inputPerMillionUsd: 2.5, outputPerMillionUsd: 10 } },
      budgets: [{ id: 'everything', scope: 'global', window: 'monthly', limitUsd: GLOBAL_LIMIT_USD }],
    },
  });
  client = new OpenAI({ baseURL: gw.openaiBaseURL, apiKey: MASTER_KEY, maxRetries: 0 });

  const ask = async (model: string, workload: string | null, content: string, stream = false) => {
    const headers = workload ? { 'x-switchyard-workload': workload } : {};
    const body = { model, messages: [{ role: 'user' as const, content }] };
    if (!stream) return void (await client.chat.completions.create(body, { headers }).catch(() => undefined));
    const s = await client.chat.completions.create({ ...body, stream: true }, { headers });
    for await (const chunk of s) void chunk;
  };
  await ask('gpt-4o', 'chat', 'What is the capital of France?');
  await ask('gpt-4o', 'chat', 'And of Italy, in two sentences please?');
  await ask('gpt-4o', 'chat', 'Stream me a haiku about invoices', true);
  await ask('gpt-4o', 'batch', 'Classify: the parcel arrived broken');
  await ask('gpt-4o', 'batch', 'Classify: great service, fast delivery');
  await ask('mystery', 'chat', 'Who serves this model?');
  await ask('mystery', 'batch', 'An unpriced batch item', true);
  await ask('gpt-4o', null, 'No workload on this one');
  await ask('no-such-model', 'chat', 'This model does not exist');
  records = await gw.records();
  metricsText = await (await fetch(`${gw.url}/metrics`)).text();
});

afterAll(async () => {
  await gw?.close();
  await sim?.close();
});

function expectedTotals(rs: StoredRecord[]): Totals {
  const priced = rs.filter((r) => r.costUsd !== null);
  const baselined = rs.filter((r) => r.baselineCostUsd !== null);
  const both = priced.filter((r) => r.baselineCostUsd !== null);
  const sum = (list: StoredRecord[], f: (r: StoredRecord) => number) => list.reduce((s, r) => s + f(r), 0);
  const errors = rs.filter((r) => r.status >= 400).length;
  return {
    requests: rs.length,
    errors,
    errorRate: errors / rs.length,
    inputTokens: sum(rs, (r) => r.inputTokens ?? 0),
    outputTokens: sum(rs, (r) => r.outputTokens ?? 0),
    costUsd: priced.length ? sum(priced, (r) => r.costUsd!) : null,
    baselineCostUsd: baselined.length ? sum(baselined, (r) => r.baselineCostUsd!) : null,
    savingsUsd: both.length ? sum(both, (r) => r.baselineCostUsd! - r.costUsd!) : null,
    unpricedRequests: rs.filter((r) => r.status < 400 && r.costUsd === null).length,
  };
}

function expectTotals(actual: Totals, expected: Totals): void {
  const { costUsd, baselineCostUsd, savingsUsd, ...counts } = expected;
  expect(actual).toMatchObject(counts);
  for (const [name, want] of Object.entries({ costUsd, baselineCostUsd, savingsUsd })) {
    const got = actual[name as keyof Totals];
    if (want === null) expect(got, name).toBeNull();
    else expect(got as number, name).toBeCloseTo(want, 12);
  }
}

async function usage(query: string, apiKey = MASTER_KEY): Promise<Response> {
  return fetch(`${gw.url}/admin/usage?${query}`, { headers: { authorization: `Bearer ${apiKey}` } });
}

/** What the upstream itself counted and answered, independent of the gateway's records. */
function upstreamCounts(model?: string) {
  const answered = sim.stats.recent.filter(
    (r) =>
      r.path === '/v1/chat/completions' &&
      r.status === 200 &&
      (model === undefined || (r.body as { model: string }).model === model),
  );
  const inputTokens = answered.reduce((s, r) => s + r.promptTokens!, 0);
  const outputTokens = answered.reduce((s, r) => s + r.completionTokens!, 0);
  return { requests: answered.length, inputTokens, outputTokens };
}

describe('the traffic this file sends', () => {
  it('is recorded as sent: priced, unpriced and refused requests', () => {
    expect(records).toHaveLength(9);
    expect(records.filter((r) => r.status === 200)).toHaveLength(8);
    expect(records.filter((r) => r.costUsd === null && r.status === 200)).toHaveLength(2);
    for (const r of records.filter((r) => r.deploymentId === 'priced'))
      expect(r.costUsd).toBeCloseTo((r.inputTokens! * 0.5 + r.outputTokens! * 1.5) / 1e6, 15);
  });

  it('adds up to what the upstream counted and the price list says', async () => {
    const report = (await (await usage('group_by=model')).json()) as { total: Totals };
    const all = upstreamCounts();
    expect(all.requests).toBe(8);
    expect(report.total).toMatchObject({ inputTokens: all.inputTokens, outputTokens: all.outputTokens });
    const priced = upstreamCounts('llama-sim');
    expect(report.total.costUsd).toBeCloseTo(
      (priced.inputTokens * 0.5 + priced.outputTokens * 1.5) / 1e6,
      12,
    );
  });
});

describe('GET /admin/usage', () => {
  it('totals requests, tokens, cost, baseline and savings exactly as the records sum up', async () => {
    const res = await usage('group_by=workload,model');
    expect(res.status).toBe(200);
    const report = (await res.json()) as { groupBy: string[]; rows: Row[]; total: Totals };
    expect(report.groupBy).toEqual(['workload', 'model']);
    expectTotals(report.total, expectedTotals(records));
    expect(report.total.savingsUsd!).toBeGreaterThan(0);

    const groups = new Map<string, StoredRecord[]>();
    for (const r of records) {
      const id = JSON.stringify([r.workload, r.modelRequested]);
      groups.set(id, [...(groups.get(id) ?? []), r]);
    }
    expect(report.rows).toHaveLength(groups.size);
    for (const row of report.rows) {
      const members = groups.get(JSON.stringify([row.workload, row.model]));
      expect(members, `group ${row.workload}/${row.model}`).toBeDefined();
      expectTotals(row, expectedTotals(members!));
    }
    const chatGpt4o = report.rows.find((r) => r.workload === 'chat' && r.model === 'gpt-4o')!;
    expect(chatGpt4o.requests).toBe(3);
    const mystery = report.rows.find((r) => r.workload === 'chat' && r.model === 'mystery')!;
    expect(mystery).toMatchObject({ requests: 1, costUsd: null, unpricedRequests: 1, savingsUsd: null });
    expect(mystery.baselineCostUsd).toBeGreaterThan(0);
    const refused = report.rows.find((r) => r.model === 'no-such-model')!;
    expect(refused).toMatchObject({ requests: 1, errors: 1, errorRate: 1, unpricedRequests: 0 });
  });

  it('keeps only the records in [from, to)', async () => {
    const first = Math.min(...records.map((r) => r.startedAt));
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const empty = (await (await usage(`from=${future}`)).json()) as { total: Totals; rows: Row[] };
    expect(empty.total.requests).toBe(0);
    expect(empty.rows).toEqual([]);
    const all = (await (await usage(`from=${new Date(first).toISOString()}&to=${future}`)).json()) as {
      total: Totals;
    };
    expect(all.total.requests).toBe(records.length);
  });

  it('groups by key, deployment and UTC day, and says the same in CSV', async () => {
    const res = await usage('group_by=key,deployment,day&format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = (await res.text()).trimEnd().split('\r\n');
    const header = lines[0].split(',');
    expect(header.slice(0, 3)).toEqual(['key', 'deployment', 'day']);
    const cell = (line: string, name: string) => line.split(',')[header.indexOf(name)];
    const rows = lines.slice(1);
    const deployments = new Set(records.map((r) => r.deploymentId ?? ''));
    expect(rows).toHaveLength(deployments.size);
    const today = new Date(records[0].startedAt).toISOString().slice(0, 10);
    for (const row of rows) {
      expect(cell(row, 'key')).toBe('master');
      expect(cell(row, 'day')).toBe(today);
      const members = records.filter((r) => (r.deploymentId ?? '') === cell(row, 'deployment'));
      expect(Number(cell(row, 'requests'))).toBe(members.length);
      const want = expectedTotals(members).costUsd;
      if (want === null) expect(cell(row, 'cost_usd')).toBe('');
      else expect(Number(cell(row, 'cost_usd'))).toBeCloseTo(want, 12);
    }
  });

  it('refuses a group_by it does not know with a 400 naming the parameter', async () => {
    const res = await usage('group_by=workload,colour');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { param: string; message: string; type: string } };
    expect(body.error.param).toBe('group_by');
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toContain('colour');
  });

  it('is for the master key only', async () => {
    const res = await usage('group_by=model', 'sk-not-the-master-key');
    expect([401, 403]).toContain(res.status);
  });
});

function family(parsed: ParsedMetricFamily[], name: string): ParsedMetricFamily {
  const f = parsed.find((m) => m.name === name);
  if (!f) throw new Error(`no metric ${name}`);
  return f;
}

/** Sum of a counter or gauge over the series whose labels include `match`. */
function total(parsed: ParsedMetricFamily[], name: string, match: Record<string, string> = {}): number {
  return family(parsed, name)
    .metrics.filter((m) => Object.entries(match).every(([k, v]) => m.labels?.[k] === v))
    .reduce((s, m) => s + Number(m.value), 0);
}

// Histograms confuse the parser when several label sets share a family; counters and gauges are
// parsed whole, histograms one series at a time.
function withoutHistograms(text: string): string {
  const histograms = new Set([...text.matchAll(/^# TYPE (\S+) histogram$/gm)].map((m) => m[1]));
  return text
    .split('\n')
    .filter((line) => ![...histograms].some((h) => line.includes(h)))
    .join('\n');
}

describe('GET /metrics', () => {
  it('counts requests by model, deployment, workload and status class as the records do', () => {
    const parsed = parsePrometheusTextFormat(withoutHistograms(metricsText));
    expect(total(parsed, 'switchyard_requests_total')).toBe(records.length);
    expect(total(parsed, 'switchyard_requests_total', { status_class: '2xx' })).toBe(8);
    expect(total(parsed, 'switchyard_requests_total', { status_class: '4xx' })).toBe(1);
    expect(
      total(parsed, 'switchyard_requests_total', {
        model: 'gpt-4o',
        deployment: 'priced',
        workload: 'chat',
        status_class: '2xx',
      }),
    ).toBe(3);
    expect(total(parsed, 'switchyard_errors_total', { model: 'no-such-model' })).toBe(1);
    expect(total(parsed, 'switchyard_unpriced_requests_total', { deployment: 'unpriced' })).toBe(2);
  });

  it('adds up cost, baseline and savings to the records', () => {
    const parsed = parsePrometheusTextFormat(withoutHistograms(metricsText));
    const want = expectedTotals(records);
    expect(total(parsed, 'switchyard_cost_usd_total')).toBeCloseTo(want.costUsd!, 12);
    expect(total(parsed, 'switchyard_baseline_cost_usd_total')).toBeCloseTo(want.baselineCostUsd!, 12);
    expect(total(parsed, 'switchyard_savings_usd_total')).toBeCloseTo(want.savingsUsd!, 12);
    const batch = expectedTotals(records.filter((r) => r.workload === 'batch' && r.costUsd !== null));
    expect(total(parsed, 'switchyard_cost_usd_total', { workload: 'batch' })).toBeCloseTo(batch.costUsd!, 12);
    // The global budget holds what priced requests really cost; unpriced ones reserve and settle nothing.
    expect(total(parsed, 'switchyard_budget_used_ratio', { budget: 'everything' })).toBeCloseTo(
      want.costUsd! / GLOBAL_LIMIT_USD,
      12,
    );
  });

  it('observes every token the records hold in the GenAI token-usage histogram', () => {
    for (const [type, field] of [
      ['input', 'inputTokens'],
      ['output', 'outputTokens'],
    ] as const) {
      const members = records.filter((r) => r.workload === 'chat' && r.deploymentId === 'priced');
      const series = histogramSeries(metricsText, 'gen_ai_client_token_usage', {
        gen_ai_operation_name: 'chat',
        gen_ai_provider_name: 'openai-compatible',
        gen_ai_request_model: 'gpt-4o',
        deployment: 'priced',
        workload: 'chat',
        gen_ai_token_type: type,
      });
      expect(Number(series.count)).toBe(members.length);
      expect(Number(series.sum)).toBe(members.reduce((s, r) => s + r[field]!, 0));
    }
  });

  it('keeps labels low-cardinality: no request ids or keys', () => {
    const allowed = new Set([
      'model',
      'deployment',
      'workload',
      'status_class',
      'code',
      'reason',
      'budget',
      'subject',
      'le',
      'error_type',
      'gen_ai_operation_name',
      'gen_ai_provider_name',
      'gen_ai_request_model',
      'gen_ai_token_type',
    ]);
    const ids = new Set(records.map((r) => r.id));
    for (const line of metricsText.split('\n')) {
      if (line.startsWith('#') || line === '') continue;
      expect(line).not.toContain(MASTER_KEY);
      for (const [, name, value] of line.matchAll(/(\w+)="([^"]*)"/g)) {
        expect(allowed, `label ${name} in ${line}`).toContain(name);
        expect(ids.has(value), `request id in ${line}`).toBe(false);
      }
    }
  });
});
