import { setMaxListeners } from 'node:events';
import type { EvalCase } from '../case/eval-case.js';
import { requestForCase } from '../case/eval-case.js';
import { ModelCallError, type ModelClient } from '../model-client/model-client.js';
import { outputFromCompletion } from '../output/model-output.js';
import { callUsageOf, type CallPricer } from '../pricing/call-pricer.js';
import { rolesToScore, scoreCase, type CallOutcome, type ScoreRole } from '../scorers/score-case.js';
import type { Scorer } from '../scorers/scorer.js';
import type { EvalStore, ModelRole, StoredCall, StoredRun } from '../store/eval-store.js';
import { caseRandom } from './case-random.js';
import { meteredContext, newSpend, type Spend } from './metered-context.js';
import { silentProgress, type Progress } from './progress.js';
import { Semaphore } from './semaphore.js';

export interface RunEvalInput {
  store: EvalStore;
  run: StoredRun;
  cases: readonly EvalCase[];
  scorers: readonly Scorer[];
  /** Already retrying (withRetries) and tagged with the run. */
  client: ModelClient;
  /** For judge and embedding calls (tagged apart); `client` when not given. */
  evaluatorClient?: ModelClient;
  pricer: CallPricer;
  progress?: Progress;
  /** Stops taking new cases; calls in flight are cancelled and not stored. */
  signal?: AbortSignal;
  now?: () => number;
}

export interface RunEvalResult {
  status: 'finished' | 'interrupted';
  callsMade: number;
  scoresMade: number;
  /** Scores that could not be computed this time (a judge that failed); a resume retries them. */
  scoringErrors: string[];
}

/** The gateway itself is unreachable: nothing about the models can be learnt, so the run stops. */
export class GatewayUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GatewayUnreachableError';
  }
}

export function outcomeOf(call: StoredCall): CallOutcome {
  return call.output
    ? { ok: true, output: call.output }
    : {
        ok: false,
        error: { status: call.status, code: call.errorCode, message: call.errorMessage ?? 'failed' },
      };
}

const ROLES: readonly ModelRole[] = ['baseline', 'candidate'];

/**
 * Runs (or resumes) an eval: every case to both models through the gateway, at most `concurrency`
 * model calls at once (judge calls included), then every scorer on the pair. Each call and each
 * score is stored the moment it completes and is never made twice: a resumed run asks the store
 * what is done and does only the rest.
 */
export async function runEval(input: RunEvalInput): Promise<RunEvalResult> {
  const { store, run, client, pricer, signal } = input;
  const evaluator = input.evaluatorClient ?? client;
  const now = input.now ?? Date.now;
  const progress = input.progress ?? silentProgress;
  const settings = run.settings;
  const gate = new Semaphore(settings.concurrency);
  const calls = new Map<string, StoredCall>();
  for (const c of store.calls(run.id)) calls.set(`${c.caseId}\u0000${c.role}`, c);
  const scored = new Set<string>();
  for (const s of store.scores(run.id)) scored.add(`${s.caseId}\u0000${s.scorer}\u0000${s.role}`);
  const result: RunEvalResult = { status: 'finished', callsMade: 0, scoresMade: 0, scoringErrors: [] };
  let fatal: unknown;
  const controller = new AbortController();
  // Every call in flight listens to it (the SDK and the backoff sleep): far more than Node's
  // default warning threshold of 10 at any useful concurrency.
  setMaxListeners(0, controller.signal);
  const stop = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', stop, { once: true });

  const isDone = (c: EvalCase) =>
    ROLES.every((r) => calls.has(`${c.id}\u0000${r}`)) &&
    input.scorers.every((s) =>
      rolesToScore(s, c).every((r) => scored.has(`${c.id}\u0000${s.name}\u0000${r}`)),
    );

  async function callModel(c: EvalCase, role: ModelRole): Promise<StoredCall> {
    const model = role === 'baseline' ? settings.baseline : settings.candidate;
    try {
      const call = await gate.use(() => client.chat(requestForCase(c, model), { signal: controller.signal }));
      const usage = call.completion.usage;
      const priced = pricer.price({
        requestedModel: model,
        servedModel: call.completion.model ?? null,
        deploymentId: call.servedBy,
        usage: callUsageOf(usage),
      });
      return {
        caseId: c.id,
        role,
        model,
        servedBy: call.servedBy,
        requestId: call.requestId,
        status: 200,
        errorCode: null,
        errorMessage: null,
        output: outputFromCompletion(call.completion),
        inputTokens: usage?.prompt_tokens ?? null,
        outputTokens: usage?.completion_tokens ?? null,
        latencyMs: call.latencyMs,
        attempts: call.attempts,
        costUsd: priced.costUsd,
        priceSource: priced.source,
        completedAtMs: now(),
      };
    } catch (err) {
      if (!(err instanceof ModelCallError) || err.kind === 'aborted' || controller.signal.aborted) throw err;
      if (err.kind === 'connection')
        throw new GatewayUnreachableError(`the gateway did not answer (${err.message})`, { cause: err });
      return {
        caseId: c.id,
        role,
        model,
        servedBy: null,
        requestId: null,
        status: err.status,
        errorCode: err.code ?? (err.kind === 'timeout' ? 'timeout' : null),
        errorMessage: err.message,
        output: null,
        inputTokens: null,
        outputTokens: null,
        latencyMs: 0,
        attempts: err.attempts,
        // Nothing was billed for a call that got no answer.
        costUsd: 0,
        priceSource: 'the call failed; no tokens billed',
        completedAtMs: now(),
      };
    }
  }

  async function runCase(c: EvalCase): Promise<void> {
    let caseSpend = 0;
    let caseUnpriced = 0;
    const outcomes = {} as Record<ModelRole, CallOutcome>;
    await Promise.all(
      ROLES.map(async (role) => {
        const key = `${c.id}\u0000${role}`;
        let call = calls.get(key);
        if (!call) {
          call = await callModel(c, role);
          store.appendCall(run.id, call);
          calls.set(key, call);
          result.callsMade++;
          if (call.costUsd === null) caseUnpriced++;
          else caseSpend += call.costUsd;
        }
        outcomes[role] = outcomeOf(call);
      }),
    );
    for (const scorer of input.scorers) {
      if (controller.signal.aborted) return;
      const skip = new Set<ScoreRole>(
        (['baseline', 'candidate', 'pair'] as const).filter((r) =>
          scored.has(`${c.id}\u0000${scorer.name}\u0000${r}`),
        ),
      );
      const spends = new Map<ScoreRole, Spend>();
      try {
        const rows = await scoreCase(
          scorer,
          c,
          outcomes,
          (role) => {
            const spend = newSpend();
            spends.set(role, spend);
            const rateLimited: ModelClient = {
              chat: (r, o) => gate.use(() => evaluator.chat(r, o)),
              embed: (m, i, o) => gate.use(() => evaluator.embed(m, i, o)),
            };
            return meteredContext(
              rateLimited,
              pricer,
              spend,
              caseRandom(settings.seed, c.id, scorer.name, role),
              controller.signal,
            );
          },
          skip,
        );
        for (const row of rows) {
          const spend = spends.get(row.role) ?? newSpend();
          const value = row.score.value;
          if (value !== null && !(value >= 0 && value <= 1))
            throw new Error(
              `scorer ${scorer.name} returned ${value} for case ${c.id}; scores must be in [0, 1]`,
            );
          store.appendScore(run.id, {
            caseId: c.id,
            scorer: scorer.name,
            role: row.role,
            reference: row.reference,
            value,
            fields: row.score.fields ?? null,
            details: row.score.details ?? null,
            explanation: row.score.explanation ?? null,
            spendUsd: spend.unpricedCalls > 0 ? null : spend.usd,
            spendCalls: spend.calls,
            spendUnpricedCalls: spend.unpricedCalls,
            completedAtMs: now(),
          });
          scored.add(`${c.id}\u0000${scorer.name}\u0000${row.role}`);
          result.scoresMade++;
        }
        for (const spend of spends.values()) {
          caseSpend += spend.usd;
          caseUnpriced += spend.unpricedCalls;
        }
      } catch (err) {
        if (controller.signal.aborted) return;
        if (err instanceof ModelCallError && err.kind === 'connection')
          throw new GatewayUnreachableError(
            `the gateway did not answer a ${scorer.name} call (${err.message})`,
            {
              cause: err,
            },
          );
        const message = `case ${c.id}, scorer ${scorer.name}: ${(err as Error).message}`;
        result.scoringErrors.push(message);
        progress.note(`warning: ${message} (a resume retries it)`);
      }
    }
    progress.caseDone(caseSpend, caseUnpriced);
  }

  const todo = input.cases.filter((c) => !isDone(c));
  let priorSpend = 0;
  let priorUnpriced = 0;
  for (const call of calls.values()) {
    if (call.costUsd === null) priorUnpriced++;
    else priorSpend += call.costUsd;
  }
  for (const s of store.scores(run.id)) {
    priorSpend += s.spendUsd ?? 0;
    priorUnpriced += s.spendUnpricedCalls;
  }
  progress.start(input.cases.length, input.cases.length - todo.length, priorSpend, priorUnpriced);

  let next = 0;
  const workers = Array.from({ length: Math.min(settings.concurrency, todo.length) }, async () => {
    while (next < todo.length && !controller.signal.aborted && fatal === undefined) {
      const c = todo[next++];
      try {
        await runCase(c);
      } catch (err) {
        if (controller.signal.aborted && fatal === undefined) return;
        fatal ??= err;
        controller.abort(err);
      }
    }
  });
  await Promise.all(workers);
  signal?.removeEventListener('abort', stop);
  progress.end();
  if (fatal !== undefined) throw fatal;
  if (signal?.aborted) result.status = 'interrupted';
  return result;
}
