import type { BudgetUse } from '../limits/budget-guard.js';
import type { Endpoint, RequestRecord } from '../spec/request-record.js';
import { LabelCap } from './label-cap.js';
import { MetricRegistry, PROMETHEUS_CONTENT_TYPE } from './metric-registry.js';

export type BreakerState = 'closed' | 'half_open' | 'open';

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

// Bucket boundaries advised by the OpenTelemetry GenAI semantic conventions.
// https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-metrics/
const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];
const DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

// gen_ai.operation.name values.
const OPERATION: Record<Endpoint, string> = {
  chat: 'chat',
  messages: 'chat',
  responses: 'chat',
  completions: 'text_completion',
  embeddings: 'embeddings',
};

const GEN_AI_LABELS = [
  'gen_ai_operation_name',
  'gen_ai_provider_name',
  'gen_ai_request_model',
  'deployment',
  'workload',
];
const REQUEST_LABELS = ['model', 'deployment', 'workload'];

export interface GatewayMetricsOptions {
  /** Distinct values kept per client-supplied label (model, workload, key...) before `other`. */
  maxLabelValues?: number;
}

export interface GatewayMetrics {
  readonly registry: MetricRegistry;
  readonly contentType: string;
  /** Updates every request metric from a finished request's record. */
  observeRecord(record: RequestRecord): void;
  setBreakerState(deploymentId: string, state: BreakerState): void;
  setBudgetUse(uses: readonly BudgetUse[]): void;
  /** A request refused for its key: `missing` or `invalid` (the key itself is never kept). */
  authFailure(reason: string): void;
  /** A shadow copy finished (`ok` or the error code that ended it). */
  shadowCopy(route: string, candidate: string, outcome: string): void;
  /** A shadow copy not made: `queue_full`, `budget`, `until`, `residency`, `shutdown`. */
  shadowDropped(route: string, reason: string): void;
  shadowSpend(route: string, candidate: string, usd: number): void;
  /** The `/metrics` body. */
  render(): string;
}

/**
 * The gateway's metrics, named after the OpenTelemetry GenAI conventions where one exists
 * (`gen_ai.client.token.usage` → `gen_ai_client_token_usage`) and `switchyard_*` for the rest.
 * Labels are low-cardinality: model, deployment, workload and status class, never key or request.
 */
export function createGatewayMetrics(options: GatewayMetricsOptions = {}): GatewayMetrics {
  const max = options.maxLabelValues ?? 100;
  const models = new LabelCap(max);
  const workloads = new LabelCap(max);
  const deployments = new LabelCap(max);
  const providers = new LabelCap(max);
  const codes = new LabelCap(max);
  const subjects = new LabelCap(max);
  const registry = new MetricRegistry();

  const tokenUsage = registry.histogram(
    'gen_ai_client_token_usage',
    'Tokens used per request, by gen_ai_token_type (input or output).',
    [...GEN_AI_LABELS, 'gen_ai_token_type'],
    TOKEN_BUCKETS,
  );
  const duration = registry.histogram(
    'gen_ai_client_operation_duration_seconds',
    'Time from receiving a request to its last byte, in seconds.',
    [...GEN_AI_LABELS, 'error_type'],
    DURATION_BUCKETS,
  );
  const ttft = registry.histogram(
    'gen_ai_server_time_to_first_token_seconds',
    'Time from receiving a streamed request to its first content token, in seconds.',
    GEN_AI_LABELS,
    TTFT_BUCKETS,
  );
  const requests = registry.counter('switchyard_requests_total', 'Requests handled, by HTTP status class.', [
    ...REQUEST_LABELS,
    'status_class',
  ]);
  const errors = registry.counter('switchyard_errors_total', 'Requests that failed, by error code.', [
    ...REQUEST_LABELS,
    'code',
  ]);
  const cost = registry.counter(
    'switchyard_cost_usd_total',
    'What served requests cost on the backend that served them, in USD (priced requests only).',
    REQUEST_LABELS,
  );
  const baseline = registry.counter(
    'switchyard_baseline_cost_usd_total',
    'What the configured incumbent model would have charged for the same requests, in USD.',
    REQUEST_LABELS,
  );
  const savings = registry.gauge(
    'switchyard_savings_usd_total',
    'Baseline cost minus real cost over requests with both known, in USD; falls when serving costs more than the baseline.',
    REQUEST_LABELS,
  );
  const unpriced = registry.counter(
    'switchyard_unpriced_requests_total',
    'Successful requests whose cost is unknown (no price for the model), so absent from the cost totals.',
    REQUEST_LABELS,
  );
  const fallbacks = registry.counter(
    'switchyard_fallbacks_total',
    'Upstream attempts that failed and were followed by another deployment, by the failed deployment and why.',
    ['model', 'deployment', 'reason'],
  );
  const unfinished = registry.counter(
    'switchyard_unfinished_attempts_total',
    'Attempts abandoned on a timeout while the upstream may still have been generating them (and billing): each one followed by another attempt may be paid for twice.',
    ['deployment', 'reason'],
  );
  const authFailures = registry.counter(
    'switchyard_auth_failures_total',
    'Requests refused with 401 because their key was missing or not valid.',
    ['reason'],
  );
  const shadowCopies = registry.counter(
    'switchyard_shadow_copies_total',
    'Shadow copies answered by a candidate (or failed), by route, candidate and outcome.',
    ['route', 'candidate', 'outcome'],
  );
  const shadowDropped = registry.counter(
    'switchyard_shadow_dropped_total',
    'Shadow copies not made, by route and reason (queue_full, budget, until, residency, shutdown); primaries are never affected.',
    ['route', 'reason'],
  );
  const shadowSpend = registry.counter(
    'switchyard_shadow_cost_usd_total',
    'What shadow copies and their judging cost, in USD; never part of budgets, rate limits or savings.',
    ['route', 'candidate'],
  );
  const routes = new LabelCap(max);
  const breaker = registry.gauge(
    'switchyard_breaker_state',
    'Circuit breaker state per deployment: 0 closed, 1 half-open, 2 open.',
    ['deployment'],
  );
  const budgetUsed = registry.gauge(
    'switchyard_budget_used_ratio',
    'Spend (including requests in flight) over the limit of each budget in its current window.',
    ['budget', 'subject'],
  );

  return {
    registry,
    contentType: PROMETHEUS_CONTENT_TYPE,

    observeRecord(record) {
      const model = models.value(record.modelRequested);
      const deployment = deployments.value(record.deploymentId);
      const workload = workloads.value(record.workload);
      const base = { model, deployment, workload };
      const genAi = {
        gen_ai_operation_name: OPERATION[record.endpoint] ?? record.endpoint,
        gen_ai_provider_name: providers.value(record.provider),
        gen_ai_request_model: model,
        deployment,
        workload,
      };
      const failed = record.status >= 400;

      requests.inc({ ...base, status_class: `${Math.floor(record.status / 100)}xx` });
      if (failed) errors.inc({ ...base, code: codes.value(record.errorCode ?? `http_${record.status}`) });
      if (record.inputTokens !== null)
        tokenUsage.observe({ ...genAi, gen_ai_token_type: 'input' }, record.inputTokens);
      if (record.outputTokens !== null)
        tokenUsage.observe({ ...genAi, gen_ai_token_type: 'output' }, record.outputTokens);
      duration.observe(
        { ...genAi, error_type: failed ? codes.value(record.errorCode ?? String(record.status)) : '' },
        record.latencyMs / 1000,
      );
      if (record.ttftMs !== null) ttft.observe(genAi, record.ttftMs / 1000);
      if (record.costUsd !== null) cost.inc(base, record.costUsd);
      else if (!failed) unpriced.inc(base);
      if (record.baselineCostUsd !== null) baseline.inc(base, record.baselineCostUsd);
      if (record.costUsd !== null && record.baselineCostUsd !== null)
        savings.inc(base, record.baselineCostUsd - record.costUsd);
      const attempts = record.route?.attempts ?? [];
      for (let i = 0; i < attempts.length - 1; i++) {
        const a = attempts[i];
        if (a.outcome === 'ok') continue;
        fallbacks.inc({ model, deployment: deployments.value(a.deployment), reason: codes.value(a.outcome) });
      }
      for (const a of attempts)
        if (a.unfinished)
          unfinished.inc({ deployment: deployments.value(a.deployment), reason: codes.value(a.outcome) });
    },

    shadowCopy(route, candidate, outcome) {
      shadowCopies.inc({
        route: routes.value(route),
        candidate: deployments.value(candidate),
        outcome: codes.value(outcome),
      });
    },

    shadowDropped(route, reason) {
      shadowDropped.inc({ route: routes.value(route), reason });
    },

    shadowSpend(route, candidate, usd) {
      shadowSpend.inc({ route: routes.value(route), candidate: deployments.value(candidate) }, usd);
    },

    authFailure(reason) {
      authFailures.inc({ reason: reason === 'missing' ? 'missing' : 'invalid' });
    },

    setBreakerState(deploymentId, state) {
      breaker.set({ deployment: deployments.value(deploymentId) }, BREAKER_VALUE[state]);
    },

    setBudgetUse(uses) {
      for (const u of uses)
        budgetUsed.set({ budget: u.budgetId, subject: subjects.value(u.subject) }, u.usedUsd / u.limitUsd);
    },

    render: () => registry.render(),
  };
}
