import { randomBytes } from 'node:crypto';
import type { Endpoint, RequestRecord } from '../spec/request-record.js';

/**
 * OTLP/JSON shapes, only the parts we emit. The JSON encoding of OTLP differs from the generic
 * protobuf JSON mapping: trace and span ids are hex strings, 64-bit integers are decimal strings and
 * enums are numbers.
 * https://github.com/open-telemetry/opentelemetry-proto/blob/main/docs/specification.md#json-protobuf-encoding
 */
export type OtlpAnyValue =
  { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };

export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  status: { code: number; message?: string };
}

/** opentelemetry.proto.trace.v1.Span.SpanKind */
export const SPAN_KIND_CLIENT = 3;
/** opentelemetry.proto.trace.v1.Status.StatusCode */
export const STATUS_CODE_UNSET = 0;
export const STATUS_CODE_ERROR = 2;

/**
 * `gen_ai.operation.name` per endpoint. The Responses and Anthropic Messages APIs are chat.
 * https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/
 */
const OPERATION_BY_ENDPOINT: Readonly<Record<Endpoint, string>> = {
  chat: 'chat',
  responses: 'chat',
  messages: 'chat',
  completions: 'text_completion',
  embeddings: 'embeddings',
};

/** Epoch milliseconds (possibly fractional) as the decimal-string nanoseconds OTLP/JSON expects. */
function msToUnixNano(ms: number): string {
  // Microsecond precision keeps the product within 2^53; the last three digits are zeros.
  const micros = Math.round(ms * 1000);
  return micros === 0 ? '0' : `${micros}000`;
}

function pushString(out: OtlpKeyValue[], key: string, value: string | null | undefined): void {
  if (value != null) out.push({ key, value: { stringValue: value } });
}

function pushInt(out: OtlpKeyValue[], key: string, value: number | null | undefined): void {
  if (value != null && Number.isFinite(value))
    out.push({ key, value: { intValue: String(Math.round(value)) } });
}

function pushDouble(out: OtlpKeyValue[], key: string, value: number | null | undefined): void {
  if (value != null && Number.isFinite(value)) out.push({ key, value: { doubleValue: value } });
}

function pushBool(out: OtlpKeyValue[], key: string, value: boolean): void {
  out.push({ key, value: { boolValue: value } });
}

export function isFailedRecord(record: RequestRecord): boolean {
  return record.status >= 400 || record.truncated;
}

/**
 * The span of one gateway request, named and attributed after the OpenTelemetry GenAI client-span
 * conventions, plus `switchyard.*` attributes for routing and cost. Prompts, completions and key
 * material never leave the gateway this way: the record's bodies and key id are not read.
 */
export function recordToOtlpSpan(record: RequestRecord): OtlpSpan {
  const ids = randomBytes(24).toString('hex');
  const operation = OPERATION_BY_ENDPOINT[record.endpoint];
  const failed = isFailedRecord(record);
  const errorType = failed
    ? (record.errorCode ?? (record.truncated ? 'stream_truncated' : String(record.status)))
    : null;

  const attributes: OtlpKeyValue[] = [];
  pushString(attributes, 'gen_ai.operation.name', operation);
  pushString(attributes, 'gen_ai.request.model', record.modelRequested);
  pushString(attributes, 'gen_ai.response.model', record.upstreamModel);
  pushString(attributes, 'gen_ai.provider.name', record.provider);
  pushInt(attributes, 'gen_ai.usage.input_tokens', record.inputTokens);
  pushInt(attributes, 'gen_ai.usage.output_tokens', record.outputTokens);
  pushInt(attributes, 'http.response.status_code', record.status);
  pushString(attributes, 'error.type', errorType);
  pushString(attributes, 'switchyard.request_id', record.id);
  pushString(attributes, 'switchyard.deployment', record.deploymentId);
  pushString(attributes, 'switchyard.workload', record.workload);
  pushString(attributes, 'switchyard.route_id', record.route?.routeId);
  pushBool(attributes, 'switchyard.streamed', record.streamed);
  pushBool(attributes, 'switchyard.truncated', record.truncated);
  pushInt(attributes, 'switchyard.ttft_ms', record.ttftMs);
  pushDouble(attributes, 'switchyard.cost_usd', record.costUsd);
  pushDouble(attributes, 'switchyard.baseline_cost_usd', record.baselineCostUsd);
  if (record.route) {
    pushInt(
      attributes,
      'switchyard.fallbacks',
      record.route.attempts.filter((attempt) => attempt.outcome !== 'ok').length,
    );
  }
  pushString(attributes, 'switchyard.data_class', record.route?.residency?.dataClass);

  return {
    traceId: ids.slice(0, 32),
    spanId: ids.slice(32),
    name: `${operation} ${record.modelRequested}`,
    kind: SPAN_KIND_CLIENT,
    startTimeUnixNano: msToUnixNano(record.startedAt),
    endTimeUnixNano: msToUnixNano(Math.max(record.endedAt, record.startedAt)),
    attributes,
    // Successful spans stay Unset: the tracing API reserves Ok for an explicit operator decision.
    // https://opentelemetry.io/docs/specs/otel/trace/api/#set-status
    status:
      failed && errorType !== null
        ? { code: STATUS_CODE_ERROR, message: errorType }
        : { code: STATUS_CODE_UNSET },
  };
}
