import { randomUUID } from 'node:crypto';
import type { ShadowConfig } from '../../config/schema/routes-schema.js';
import type { EvalCase } from '../../eval/case/eval-case.js';
import { scoreCase } from '../../eval/scorers/score-case.js';
import type { Scorer, ScorerContext } from '../../eval/scorers/scorer.js';
import { createRedactor, redactRequest } from '../../residency/index.js';
import { mayReceive, type ResidencyVerdict, type RoutePlan } from '../../routing/index.js';
import { stableHash32, stableUnit } from '../../routing/stable-hash.js';
import { seededRandom } from '../../stats/seeded-random.js';
import { caseFromChat } from '../../eval/case/case-from-chat.js';
import { pairDifference } from '../../shadow/pair-difference.js';
import type { LiveScore, PairAnswer, ShadowPair } from '../../shadow/shadow-pair.js';
import type { ChatCompletion, ChatCompletionRequest, Usage } from '../../spec/chat.js';
import type { Deployment } from '../../spec/deployment.js';
import { GatewayError } from '../../spec/gateway-error.js';
import type { Endpoint } from '../../spec/request-record.js';
import { createChatCall } from '../calls/chat-call.js';
import { chatInbound } from '../inbound/chat-inbound.js';
import type { AnswerOutput } from '../pipeline/answer-tally.js';
import { executeAttempts, ExecutionFailed, type ExecutionDeps } from '../pipeline/execute-attempts.js';
import type { PairCallUsage } from '../record-pipeline/record-messages.js';
import { pairCallUsage } from './pair-call-usage.js';

/** A primary request that succeeded on a route with shadow candidates. */
export interface ShadowOffer {
  routeId: string;
  requestId: string;
  /** The conversation id (`x-session-id`), so a conversation is copied whole or not at all. */
  sessionId?: string;
  endpoint: Endpoint;
  /** The request as chat, as the primary's deployment saw it before redaction. */
  chat: ChatCompletionRequest;
  residency: ResidencyVerdict;
  /** The route stores bodies. */
  logBodies: boolean;
  primary: {
    deploymentId: string;
    latencyMs: number;
    usage: Usage | null;
    output: AnswerOutput;
  };
}

/** What the dispatcher needs of the gateway. */
export interface ShadowDependencies {
  execution: ExecutionDeps;
  /** Deployment ids a candidate reference stands for (a deployment id, or a model's pool). */
  resolve(ref: string): readonly string[];
  /** Hands a finished pair to the record worker, which prices its calls and stores it. */
  store(
    item: { pair: ShadowPair; candidateCall?: PairCallUsage; judgeCall?: PairCallUsage },
    onPriced: (costUsd: number) => void,
  ): void;
  /** The worst a copy can cost on a deployment, for the job's budget; null when unpriced. */
  estimate(request: ChatCompletionRequest, deployment: Deployment): number | null;
  /** A judge's call, routed and executed like a request of the gateway's own. */
  judge?(request: ChatCompletionRequest, callId: string, signal: AbortSignal): Promise<JudgeAnswer>;
  metrics: {
    shadowCopy(route: string, candidate: string, outcome: string): void;
    shadowDropped(route: string, reason: string): void;
    shadowSpend(route: string, candidate: string, usd: number): void;
  };
  /** Spend already recorded for a route's shadow job (pairs stored before a restart). */
  spentUsd(routeId: string): number;
  scorerFor?(routeId: string): Scorer | undefined;
  now?: () => number;
  log?: (message: string) => void;
}

export interface JudgeAnswer {
  completion: ChatCompletion;
  call: PairCallUsage;
}

interface Job {
  offer: ShadowOffer;
  candidate: string;
}

/** One route's shadow job: its queue, what runs, what it has spent. */
interface Lane {
  routeId: string;
  config: ShadowConfig;
  untilMs: number | null;
  queue: Job[];
  running: number;
  spentUsd: number;
  reservedUsd: number;
}

const SHADOW_RETRIES = { max: 0, on: [], baseDelayMs: 0, maxDelayMs: 0, deadlineMs: 60_000 } as const;

const shutDown = () =>
  new GatewayError({
    status: 503,
    type: 'server_error',
    code: 'shutting_down',
    message: 'The gateway shut down before the shadow copy finished.',
  });

/**
 * Shadow traffic: a sampled share of each shadowed route's successful requests is copied to its
 * candidates after the primary has answered, so the client pays no latency for it. Copies wait in a
 * bounded queue and run on bounded concurrency per route; a full queue drops copies (counted), never
 * primary work. A copy runs on the same executor as every request, never streamed, with the whole
 * conversation, tools and response format; restricted data is never copied to an external candidate,
 * and a route that redacts for external deployments redacts the copy the same way. Copies are kept
 * out of the caller's budgets, rate limits and records; each pair is stored (both answers where the
 * route keeps bodies, with detected personal data redacted) and the job stops at its own budget and
 * end date.
 */
export class ShadowDispatcher {
  private readonly lanes = new Map<string, Lane>();
  private readonly stop = new AbortController();
  private readonly idle = new Set<() => void>();
  private readonly now: () => number;
  private readonly log: (message: string) => void;

  constructor(
    routes: ReadonlyArray<{ id: string; shadow?: ShadowConfig }>,
    private readonly deps: ShadowDependencies,
  ) {
    this.now = deps.now ?? Date.now;
    this.log = deps.log ?? ((m) => void process.stderr.write(`switchyard: ${m}\n`));
    for (const route of routes) {
      if (!route.shadow) continue;
      this.lanes.set(route.id, {
        routeId: route.id,
        config: route.shadow,
        untilMs: route.shadow.until === undefined ? null : Date.parse(route.shadow.until),
        queue: [],
        running: 0,
        spentUsd: deps.spentUsd(route.id),
        reservedUsd: 0,
      });
    }
  }

  /** Whether a route has shadow candidates (a cheap check for the request path). */
  shadows(routeId: string | null): boolean {
    return routeId !== null && this.lanes.has(routeId);
  }

  /**
   * Offers a finished primary for copying: O(1), never waits. The choice comes from a stable hash of
   * the conversation (or request) id, so every replica makes the same one.
   */
  offer(offer: ShadowOffer): void {
    const lane = this.lanes.get(offer.routeId);
    if (!lane || this.stop.signal.aborted) return;
    const point = stableUnit(`shadow\u0000${offer.routeId}\u0000${offer.sessionId ?? offer.requestId}`);
    if (point >= lane.config.sample) return;
    for (const candidate of lane.config.candidates) {
      const stopped = this.stopped(lane);
      if (stopped) {
        this.deps.metrics.shadowDropped(lane.routeId, stopped);
        continue;
      }
      const job = { offer, candidate };
      if (lane.running < lane.config.maxConcurrency) this.start(lane, job);
      else if (lane.queue.length < lane.config.maxQueue) lane.queue.push(job);
      else this.deps.metrics.shadowDropped(lane.routeId, 'queue_full');
    }
  }

  /** Stops taking copies, abandons the queue and cuts the copies in flight; resolves when they have ended. */
  async close(): Promise<void> {
    this.stop.abort(shutDown());
    for (const lane of this.lanes.values()) {
      for (const _ of lane.queue) this.deps.metrics.shadowDropped(lane.routeId, 'shutdown');
      lane.queue = [];
    }
    while ([...this.lanes.values()].some((l) => l.running > 0))
      await new Promise<void>((resolve) => this.idle.add(resolve));
  }

  private stopped(lane: Lane): string | null {
    if (lane.untilMs !== null && this.now() >= lane.untilMs) return 'until';
    if (lane.config.budgetUsd !== undefined && lane.spentUsd + lane.reservedUsd >= lane.config.budgetUsd)
      return 'budget';
    return null;
  }

  private start(lane: Lane, job: Job): void {
    lane.running++;
    void this.copy(lane, job)
      .catch((err: unknown) =>
        this.log(`shadow copy on route ${lane.routeId} failed: ${(err as Error).message}`),
      )
      .finally(() => {
        lane.running--;
        const next = lane.queue.shift();
        if (next && !this.stop.signal.aborted) this.start(lane, next);
        if (lane.running > 0) return;
        for (const resolve of this.idle) resolve();
        this.idle.clear();
      });
  }

  private async copy(lane: Lane, job: Job): Promise<void> {
    const { offer, candidate } = job;
    const routeId = lane.routeId;
    const deployments = this.deps.execution.deployments;
    // Restricted data never leaves for an external candidate, whatever the candidate list says.
    const ids = this.deps.resolve(candidate).filter((id) => mayReceive(offer.residency, deployments.get(id)));
    if (ids.length === 0) {
      this.deps.metrics.shadowDropped(routeId, 'residency');
      return;
    }
    const stopped = this.stopped(lane);
    if (stopped) {
      this.deps.metrics.shadowDropped(routeId, stopped);
      return;
    }
    const chat: ChatCompletionRequest = { ...offer.chat, stream: false };
    delete chat.stream_options;
    const estimate = this.deps.estimate(chat, deployments.get(ids[0])!) ?? 0;
    if (
      lane.config.budgetUsd !== undefined &&
      lane.spentUsd + lane.reservedUsd + estimate > lane.config.budgetUsd
    ) {
      this.deps.metrics.shadowDropped(routeId, 'budget');
      return;
    }
    lane.reservedUsd += estimate;
    const pairId = `pair_${randomUUID().replaceAll('-', '')}`;
    const plan: RoutePlan = {
      routeId,
      rule: 'shadow',
      targetKind: 'deployment',
      candidates: ids.map((deployment) => ({ deployment, reason: 'primary' as const })),
      retryPolicy: { ...SHADOW_RETRIES, on: [] },
      fallbackOn: ['connection', '5xx', '429', 'timeout', 'first_token_timeout'],
      residency: offer.residency,
      spilled: false,
    };
    const started = performance.now();
    let status = 200;
    let errorCode: string | null = null;
    let output: AnswerOutput | null = null;
    let usage: Usage | null = null;
    let served: Deployment | null = null;
    try {
      const execution = await executeAttempts(this.deps.execution, {
        requestId: pairId,
        model: chat.model,
        plan,
        call: createChatCall(chatInbound, chat, chat),
        signal: this.stop.signal,
      });
      if (execution.kind !== 'completion') throw new Error('a shadow copy is never streamed');
      output = execution.answer.tally.output();
      usage = execution.answer.tally.usage;
      served = execution.deployment;
    } catch (err) {
      const error = err instanceof ExecutionFailed ? err.error : undefined;
      status = error?.status ?? 500;
      errorCode = error?.code ?? 'internal_error';
      if (this.stop.signal.aborted) {
        lane.reservedUsd -= estimate;
        this.deps.metrics.shadowDropped(routeId, 'shutdown');
        return;
      }
    }
    const latencyMs = round(performance.now() - started);
    const servedId = served?.id ?? ids[0];
    this.deps.metrics.shadowCopy(routeId, servedId, errorCode ?? 'ok');

    const scored = await this.score(lane, pairId, offer, chat, output, status, errorCode);
    const primaryAnswer = answerOf(offer.primary.output);
    const shadowAnswer = output ? answerOf(output) : null;
    const keepBodies = lane.config.logBodies ?? offer.logBodies;
    const redactor = createRedactor();
    const pair: ShadowPair = {
      id: pairId,
      createdAt: this.now(),
      routeId,
      requestId: offer.requestId,
      endpoint: offer.endpoint,
      modelRequested: offer.chat.model,
      candidate,
      status,
      errorCode,
      primary: {
        deploymentId: offer.primary.deploymentId,
        latencyMs: offer.primary.latencyMs,
        inputTokens: offer.primary.usage?.prompt_tokens ?? null,
        outputTokens: offer.primary.usage?.completion_tokens ?? null,
        costUsd: null,
      },
      shadow: {
        deploymentId: servedId,
        latencyMs,
        inputTokens: usage?.prompt_tokens ?? null,
        outputTokens: usage?.completion_tokens ?? null,
        costUsd: null,
      },
      judgeCostUsd: null,
      scorer: scored?.scorer ?? null,
      scoreDifference: scored?.difference ?? null,
      scoreDetails: scored?.details ?? null,
      // One redactor for the request and both answers: the same value gets the same placeholder.
      request: keepBodies ? redactRequest(chat as Record<string, unknown>, redactor) : null,
      primaryAnswer: keepBodies ? redactAnswer(primaryAnswer, redactor) : null,
      shadowAnswer: keepBodies && shadowAnswer ? redactAnswer(shadowAnswer, redactor) : null,
    };
    const candidateCall = served ? pairCallUsage(pairId, served, usage, latencyMs, status) : undefined;
    this.deps.store({ pair, candidateCall, judgeCall: scored?.judgeCall }, (costUsd) => {
      lane.reservedUsd -= estimate;
      lane.spentUsd += costUsd;
      this.deps.metrics.shadowSpend(routeId, servedId, costUsd);
    });
  }

  private async score(
    lane: Lane,
    pairId: string,
    offer: ShadowOffer,
    chat: ChatCompletionRequest,
    output: AnswerOutput | null,
    status: number,
    errorCode: string | null,
  ): Promise<
    | {
        scorer: string;
        difference: number | null;
        details: Record<string, unknown>;
        judgeCall?: PairCallUsage;
      }
    | undefined
  > {
    const scorer = this.deps.scorerFor?.(lane.routeId);
    if (!scorer) return undefined;
    const evalCase: EvalCase = caseFromChat(pairId, chat, { request: offer.requestId, route: lane.routeId });
    let judgeCall: PairCallUsage | undefined;
    const judge = this.deps.judge;
    const context: ScorerContext = {
      chat: async (request) => {
        if (!judge) throw new Error('no judge model is configured for this route (shadow.score.judge)');
        const answer = await judge(request, `${pairId}:judge`, this.stop.signal);
        judgeCall = answer.call;
        return answer.completion;
      },
      embed: () => Promise.reject(new Error('embedding scorers are not available for shadow pairs')),
      random: seededRandom(stableHash32(pairId)),
    };
    try {
      const scores = await scoreCase(
        scorer,
        evalCase,
        {
          baseline: { ok: true, output: offer.primary.output },
          candidate: output
            ? { ok: true, output }
            : { ok: false, error: { status, code: errorCode, message: 'the shadow call failed' } },
        },
        () => context,
      );
      return {
        scorer: scorer.name,
        difference: pairDifference(scores),
        details: {
          scores: scores.map((s): LiveScore => ({
            role: s.role,
            value: s.score.value,
            explanation: s.score.explanation ?? null,
          })),
        },
        judgeCall,
      };
    } catch (err) {
      this.log(`scoring a shadow pair of route ${lane.routeId} failed: ${(err as Error).message}`);
      return { scorer: scorer.name, difference: null, details: { error: (err as Error).message }, judgeCall };
    }
  }
}

function answerOf(output: AnswerOutput): PairAnswer {
  return { text: output.text, toolCalls: output.toolCalls, finishReason: output.finishReason };
}

function redactAnswer(answer: PairAnswer, redactor: ReturnType<typeof createRedactor>): PairAnswer {
  return {
    text: answer.text === null ? null : redactor.redact(answer.text),
    toolCalls: answer.toolCalls.map((c) => ({ name: c.name, arguments: redactor.redact(c.arguments) })),
    finishReason: answer.finishReason,
  };
}

const round = (ms: number) => Math.round(ms * 100) / 100;
