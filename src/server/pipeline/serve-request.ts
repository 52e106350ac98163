import type { ServerResponse } from 'node:http';
import { explainRoute, formatRouteHeader, type RoutePlan } from '../../routing/index.js';
import type { ChatCompletionRequest } from '../../spec/chat.js';
import { GatewayError } from '../../spec/gateway-error.js';
import type { Endpoint } from '../../spec/request-record.js';
import type { GatewayServices, RouteRefusal } from '../gateway-services.js';
import type { Exchange } from '../lifecycle/exchange.js';
import { headerValue } from '../lifecycle/request-policy.js';
import type { AnswerTally } from './answer-tally.js';
import type { EndpointCall } from './endpoint-call.js';
import { executeAttempts, ExecutionFailed, type Execution } from './execute-attempts.js';
import { writeStream } from './write-stream.js';

/** A request validated by its endpoint, ready for the pipeline. */
export interface PreparedRequest {
  model: string;
  stream: boolean;
  /** The request as chat: routing features, the admission estimate and the baseline price read it. */
  chat: ChatCompletionRequest;
  call: EndpointCall;
}

/** An API endpoint: how its bodies are validated and turned into a call, how its errors look. */
export interface ApiEndpoint {
  name: Endpoint;
  prepare(body: unknown): PreparedRequest;
  /** The error body its clients' SDKs parse (OpenAI's shape, or Anthropic's). */
  renderError(error: GatewayError): unknown;
}

/**
 * The request pipeline every API endpoint shares: validate, plan the route, admit under budgets and
 * rate limits, execute the attempts, and answer, whole or streamed. Errors are thrown for the
 * lifecycle to render; what the record needs is written on the exchange as it becomes known.
 */
export async function serveRequest(
  services: GatewayServices,
  ex: Exchange,
  endpoint: ApiEndpoint,
  body: unknown,
  res: ServerResponse,
): Promise<void> {
  const { record } = ex;
  const prepared = endpoint.prepare(body);
  record.modelRequested = prepared.model;
  record.streamed = prepared.stream;
  ex.detail.request = prepared.chat;

  let plan: RoutePlan;
  try {
    plan = services.router.plan({
      requestId: ex.id,
      endpoint: endpoint.name,
      model: prepared.model,
      caller: ex.caller!,
      policy: ex.policy!,
      headers: ex.headers,
      chat: prepared.chat,
      body,
    });
  } catch (err) {
    if ((err as RouteRefusal).route) record.route = (err as RouteRefusal).route!;
    throw err;
  }
  ex.admission = await services.admission.admit(
    { caller: ex.caller!, workload: ex.policy!.workload },
    prepared.chat,
    plan,
  );

  let execution: Execution;
  try {
    execution = await executeAttempts(services, {
      requestId: ex.id,
      model: prepared.model,
      plan,
      call: prepared.call,
      signal: ex.signal,
    });
  } catch (err) {
    if (!(err instanceof ExecutionFailed)) throw err;
    ex.waitedMs += err.waitedMs;
    record.route = explainRoute(plan, err.attempts);
    throw err.error;
  }
  ex.waitedMs += execution.waitedMs;
  const redacted = execution.kind === 'stream' ? execution.redacted : execution.answer.redacted;
  const route = explainRoute(plan, execution.attempts, redacted);
  record.route = route;
  const served = execution.deployment;
  record.deploymentId = served.id;
  record.provider = served.provider;
  record.upstreamModel = served.model;
  ex.detail.deployment = services.deployments.get(served.id) ?? served;
  const logBodies = plan.logBodies ?? served.logBodies;
  if (logBodies) record.requestBody = services.scrubber.scrub(JSON.stringify(body));
  const headers: Record<string, string> = {
    ...ex.admission.headers,
    'x-switchyard-route': formatRouteHeader(route),
  };

  let tally: AnswerTally;
  if (execution.kind === 'completion') {
    tally = execution.answer.tally;
    const text = JSON.stringify(execution.answer.body);
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(text));
    ex.writeHead(res, 200, headers);
    res.end(text);
    record.status = 200;
    if (logBodies) record.responseBody = services.scrubber.scrub(text);
  } else {
    tally = execution.stream.tally;
    await writeStream(ex, res, {
      head: execution.head,
      stream: execution.stream,
      headers,
      route,
      keepTranscript: logBodies,
      scrubber: services.scrubber,
    });
  }
  record.finishReason = record.finishReason ?? tally.finishReason;
  ex.detail.outputText = tally.outputText();
  const usage = tally.usage;
  if (record.status === 200 && !record.truncated && services.shadow?.shadows(plan.routeId))
    services.shadow.offer({
      routeId: plan.routeId!,
      requestId: ex.id,
      sessionId: headerValue(ex.headers, 'x-session-id'),
      endpoint: endpoint.name,
      chat: prepared.chat,
      residency: plan.residency,
      logBodies,
      primary: {
        deploymentId: served.id,
        latencyMs: Math.round((performance.now() - ex.startPerf) * 100) / 100,
        usage,
        output: tally.output(),
      },
    });
  if (usage) {
    record.inputTokens = usage.prompt_tokens ?? null;
    record.outputTokens = usage.completion_tokens ?? null;
    record.cachedTokens = usage.prompt_tokens_details?.cached_tokens ?? 0;
    record.reasoningTokens = usage.completion_tokens_details?.reasoning_tokens ?? 0;
  } else {
    // Counted with a tokenizer where the record is priced, off the request path.
    record.usageEstimated = true;
  }
}
