import { setMaxListeners } from 'node:events';
import { requestForCase, type EvalCase } from '../case/eval-case.js';
import { ModelCallError, type ModelClient } from '../model-client/model-client.js';
import { outputFromCompletion, type ModelOutput } from '../output/model-output.js';
import { GatewayUnreachableError } from '../run/run-eval.js';
import { silentProgress, type Progress } from '../run/progress.js';
import { Semaphore } from '../run/semaphore.js';
import type { CallOutcome } from '../scorers/score-case.js';
import {
  applicableChecks,
  assessReply,
  CHECK_TITLES,
  READINESS_CHECKS,
  type ReadinessCheck,
} from './readiness-checks.js';

export interface ReplayCase {
  case: EvalCase;
  /** What the recorded model answered, when the record kept it. */
  recorded: ModelOutput | null;
}

export interface CheckSummary {
  check: ReadinessCheck;
  title: string;
  /** Replayed requests the check applies to (a request without tools cannot break tool calling). */
  applicable: number;
  failing: number;
  examples: Array<{ caseId: string; detail: string }>;
}

export interface ReadinessResult {
  candidate: string;
  replayed: number;
  /** Requests with at least one finding. */
  breaking: number;
  checks: CheckSummary[];
}

export interface ReadinessInput {
  cases: readonly ReplayCase[];
  candidate: string;
  client: ModelClient;
  concurrency: number;
  examplesPerCheck?: number;
  progress?: Progress;
  signal?: AbortSignal;
}

/**
 * Replays recorded requests to a candidate model, as they were sent (tools, response format, stop
 * sequences, max_tokens), and sorts what went wrong into the readiness checks, with counts over the
 * requests each check applies to and a few examples of each.
 */
export async function runReadiness(input: ReadinessInput): Promise<ReadinessResult> {
  const gate = new Semaphore(input.concurrency);
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const stop = () => controller.abort(input.signal?.reason);
  if (input.signal?.aborted) stop();
  else input.signal?.addEventListener('abort', stop, { once: true });
  const progress = input.progress ?? silentProgress;
  const perExample = input.examplesPerCheck ?? 3;
  const summaries = new Map<ReadinessCheck, CheckSummary>(
    READINESS_CHECKS.map((check) => [
      check,
      { check, title: CHECK_TITLES[check], applicable: 0, failing: 0, examples: [] },
    ]),
  );
  let breaking = 0;
  let replayed = 0;
  progress.start(input.cases.length, 0, 0, 0);
  let next = 0;
  let fatal: unknown;
  const workers = Array.from({ length: Math.min(input.concurrency, input.cases.length) }, async () => {
    while (next < input.cases.length && fatal === undefined && !controller.signal.aborted) {
      const { case: c, recorded } = input.cases[next++];
      let outcome: CallOutcome;
      try {
        const call = await gate.use(() =>
          input.client.chat(requestForCase(c, input.candidate), { signal: controller.signal }),
        );
        outcome = { ok: true, output: outputFromCompletion(call.completion) };
      } catch (err) {
        if (!(err instanceof ModelCallError) || err.kind === 'aborted') {
          fatal ??= err;
          return;
        }
        if (err.kind === 'connection') {
          fatal ??= new GatewayUnreachableError(`the gateway did not answer (${err.message})`, {
            cause: err,
          });
          return;
        }
        outcome = {
          ok: false,
          error: {
            status: err.status,
            code: err.code ?? (err.kind === 'timeout' ? 'timeout' : null),
            message: err.message,
          },
        };
      }
      replayed++;
      for (const check of applicableChecks(c)) summaries.get(check)!.applicable++;
      const findings = assessReply(c, recorded, outcome);
      if (findings.length) breaking++;
      for (const check of new Set(findings.map((f) => f.check))) {
        const s = summaries.get(check)!;
        s.failing++;
        if (s.examples.length < perExample) {
          const detail = findings
            .filter((f) => f.check === check)
            .map((f) => f.detail)
            .join('; ');
          s.examples.push({ caseId: c.id, detail });
        }
      }
      progress.caseDone(0, 0);
    }
  });
  await Promise.all(workers);
  input.signal?.removeEventListener('abort', stop);
  progress.end();
  if (fatal !== undefined) throw fatal;
  return { candidate: input.candidate, replayed, breaking, checks: [...summaries.values()] };
}
