import parsePrometheusTextFormat, { type ParsedMetricFamily } from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { createGatewayMetrics } from '../../src/metrics/gateway-metrics.js';
import type { RequestRecord } from '../../src/spec/request-record.js';
import { histogramSeries } from './histogram-series.js';

function record(over: Partial<RequestRecord>): RequestRecord {
  return {
    id: 'r',
    startedAt: 0,
    endedAt: 1000,
    keyId: 'key-1',
    team: null,
    workload: 'support',
    endpoint: 'chat',
    modelRequested: 'gpt-4o',
    deploymentId: 'vllm-a',
    provider: 'openai-compatible',
    upstreamModel: 'llama',
    status: 200,
    errorCode: null,
    inputTokens: 100,
    outputTokens: 20,
    cachedTokens: null,
    reasoningTokens: null,
    usageEstimated: false,
    latencyMs: 300,
    ttftMs: 50,
    streamed: true,
    truncated: false,
    finishReason: 'stop',
    costUsd: 0.001,
    baselineCostUsd: 0.003,
    costEstimated: false,
    overheadMs: 1,
    route: null,
    requestBody: null,
    responseBody: null,
    tags: null,
    ...over,
  };
}

function family(parsed: ParsedMetricFamily[], name: string): ParsedMetricFamily {
  const f = parsed.find((m) => m.name === name);
  if (!f) throw new Error(`no metric ${name}`);
  return f;
}

describe('createGatewayMetrics', () => {
  it('turns finished records into /metrics a Prometheus parser reads', () => {
    const metrics = createGatewayMetrics();
    metrics.observeRecord(record({}));
    metrics.observeRecord(
      record({ latencyMs: 700, ttftMs: null, streamed: false, inputTokens: 5000, outputTokens: 300 }),
    );
    metrics.observeRecord(
      record({
        status: 502,
        errorCode: 'upstream_unreachable',
        inputTokens: null,
        outputTokens: null,
        costUsd: null,
        baselineCostUsd: null,
        route: {
          routeId: 'r1',
          rule: null,
          targetKind: 'fallback',
          attempts: [
            { deployment: 'vllm-a', outcome: 'connection', latencyMs: 5 },
            { deployment: 'openai', outcome: 'http_5xx', status: 500, latencyMs: 10 },
          ],
        },
      }),
    );
    metrics.observeRecord(record({ deploymentId: 'selfhosted', costUsd: null }));
    metrics.setBreakerState('vllm-a', 'open');
    metrics.setBudgetUse([{ budgetId: 'team-daily', subject: 'research', usedUsd: 2.5, limitUsd: 10 }]);

    const text = metrics.render();
    const parsed = parsePrometheusTextFormat(text);
    const requests = family(parsed, 'switchyard_requests_total');
    expect(requests.type).toBe('COUNTER');
    expect(requests.metrics).toEqual([
      {
        value: '2',
        labels: { model: 'gpt-4o', deployment: 'vllm-a', workload: 'support', status_class: '2xx' },
      },
      {
        value: '1',
        labels: { model: 'gpt-4o', deployment: 'vllm-a', workload: 'support', status_class: '5xx' },
      },
      {
        value: '1',
        labels: { model: 'gpt-4o', deployment: 'selfhosted', workload: 'support', status_class: '2xx' },
      },
    ]);

    const genAi = {
      gen_ai_operation_name: 'chat',
      gen_ai_provider_name: 'openai-compatible',
      gen_ai_request_model: 'gpt-4o',
      deployment: 'vllm-a',
      workload: 'support',
    };
    expect(family(parsed, 'gen_ai_client_token_usage').type).toBe('HISTOGRAM');
    const input = histogramSeries(text, 'gen_ai_client_token_usage', {
      ...genAi,
      gen_ai_token_type: 'input',
    });
    expect(input.count).toBe('2');
    expect(input.sum).toBe('5100');
    expect(input.buckets?.['256']).toBe('1');
    expect(input.buckets?.['16384']).toBe('2');

    const ttft = histogramSeries(text, 'gen_ai_server_time_to_first_token_seconds', genAi);
    expect(ttft.count).toBe('2');
    expect(ttft.buckets?.['0.06']).toBe('2');
    expect(ttft.buckets?.['0.04']).toBe('0');

    const failed = histogramSeries(text, 'gen_ai_client_operation_duration_seconds', {
      ...genAi,
      error_type: 'upstream_unreachable',
    });
    expect(failed.count).toBe('1');
    expect(failed.sum).toBe('0.3');

    const cost = family(parsed, 'switchyard_cost_usd_total').metrics;
    expect(Number(cost[0].value)).toBeCloseTo(0.002, 12);
    const savings = family(parsed, 'switchyard_savings_usd_total').metrics;
    expect(Number(savings[0].value)).toBeCloseTo(0.004, 12);
    expect(family(parsed, 'switchyard_unpriced_requests_total').metrics).toEqual([
      { value: '1', labels: { model: 'gpt-4o', deployment: 'selfhosted', workload: 'support' } },
    ]);
    expect(family(parsed, 'switchyard_errors_total').metrics[0].labels?.code).toBe('upstream_unreachable');
    expect(family(parsed, 'switchyard_fallbacks_total').metrics).toEqual([
      { value: '1', labels: { model: 'gpt-4o', deployment: 'vllm-a', reason: 'connection' } },
    ]);
    expect(family(parsed, 'switchyard_breaker_state').metrics).toEqual([
      { value: '2', labels: { deployment: 'vllm-a' } },
    ]);
    expect(family(parsed, 'switchyard_budget_used_ratio').metrics).toEqual([
      { value: '0.25', labels: { budget: 'team-daily', subject: 'research' } },
    ]);
  });

  it('caps client-supplied label values so series stay bounded', () => {
    const metrics = createGatewayMetrics({ maxLabelValues: 3 });
    for (let i = 0; i < 20; i++) metrics.observeRecord(record({ modelRequested: `model-${i}` }));
    const requests = family(parsePrometheusTextFormat(metrics.render()), 'switchyard_requests_total');
    expect(requests.metrics.map((m) => m.labels?.model)).toEqual(['model-0', 'model-1', 'model-2', 'other']);
    expect(requests.metrics[3].value).toBe('17');
  });
});
