import type { EvalCase, JsonValue } from '../eval/case/eval-case.js';
import type { ModelClient } from '../eval/model-client/model-client.js';
import type { ModelOutput } from '../eval/output/model-output.js';
import { buildEvalReport } from '../eval/report/build-eval-report.js';
import type { EvalReport } from '../eval/report/eval-report.js';
import { scoreCase } from '../eval/scorers/score-case.js';
import type { Scorer, ScorerContext } from '../eval/scorers/scorer.js';
import type { StoredCall, StoredScore } from '../eval/store/eval-store.js';
import { stableHash32 } from '../routing/stable-hash.js';
import type { ChatCompletionRequest } from '../spec/chat.js';
import { seededRandom } from '../stats/seeded-random.js';
import { caseFromChat } from '../eval/case/case-from-chat.js';
import { liveScoresOf, type PairAnswer, type ShadowPair } from './shadow-pair.js';

export interface ShadowReportOptions {
  routeId: string;
  /** Scorers applied now, to every pair with both answers stored. */
  scorers: readonly Scorer[];
  /** For judge and embedding scorers. */
  client?: ModelClient;
  /** Shown in the report: what the pairs were drawn from. */
  window: string;
  seed?: number;
}

/** One candidate's report, and what could not be scored. */
export interface ShadowReport {
  routeId: string;
  candidate: string;
  pairs: number;
  /** Pairs whose answers were not stored (the route keeps no bodies): figures only, no scores. */
  withoutAnswers: number;
  report: EvalReport;
}

const output = (answer: PairAnswer | null): ModelOutput | null =>
  answer && { text: answer.text, toolCalls: answer.toolCalls, finishReason: answer.finishReason };

function call(pair: ShadowPair, role: 'baseline' | 'candidate'): StoredCall {
  const side = role === 'baseline' ? pair.primary : pair.shadow;
  const failed = role === 'candidate' && pair.status !== 200;
  return {
    caseId: pair.id,
    role,
    model: role === 'baseline' ? (side.deploymentId ?? 'primary') : pair.candidate,
    servedBy: side.deploymentId,
    requestId: role === 'baseline' ? pair.requestId : pair.id,
    status: role === 'baseline' ? 200 : pair.status,
    errorCode: failed ? pair.errorCode : null,
    errorMessage: failed ? `the shadow call failed (${pair.errorCode ?? pair.status})` : null,
    output: failed
      ? null
      : (output(role === 'baseline' ? pair.primaryAnswer : pair.shadowAnswer) ?? {
          text: null,
          toolCalls: [],
          finishReason: null,
        }),
    inputTokens: side.inputTokens,
    outputTokens: side.outputTokens,
    latencyMs: side.latencyMs ?? 0,
    attempts: 1,
    costUsd: side.costUsd,
    priceSource: role === 'baseline' ? 'the primary request’s record' : 'the shadow pair',
    completedAtMs: pair.createdAt,
  };
}

/** Scores the gateway recorded while the pair completed (`shadow.score`), as rows of the report. */
function liveScores(pair: ShadowPair): StoredScore[] {
  if (!pair.scorer) return [];
  const scores = liveScoresOf(pair);
  return scores.map((s) => ({
    caseId: pair.id,
    scorer: `${pair.scorer} (live)`,
    role: s.role,
    reference: s.role === 'candidate' && scores.length === 1 ? 'baseline' : null,
    value: s.value,
    fields: null,
    details: null,
    explanation: s.explanation,
    spendUsd: pair.judgeCostUsd,
    spendCalls: pair.judgeCostUsd === null ? 0 : 1,
    spendUnpricedCalls: 0,
    completedAtMs: pair.createdAt,
  }));
}

/**
 * A route's shadow pairs as eval reports, one per candidate: the primary is the baseline and each
 * stored pair a case without an expected answer, so reference scorers measure the candidate's
 * agreement with what users were served. The same statistics as eval runs (bootstrap intervals,
 * paired differences and paired tests, win/tie/loss, cost and latency per side, worst cases first).
 */
export async function buildShadowReports(
  pairs: readonly ShadowPair[],
  options: ShadowReportOptions,
): Promise<ShadowReport[]> {
  const byCandidate = new Map<string, ShadowPair[]>();
  for (const p of pairs) {
    const group = byCandidate.get(p.candidate);
    if (group) group.push(p);
    else byCandidate.set(p.candidate, [p]);
  }
  const seed = options.seed ?? 1;
  const reports: ShadowReport[] = [];
  for (const [candidate, group] of byCandidate) {
    const scorable = group.filter((p) => p.request && p.primaryAnswer);
    const cases: EvalCase[] = group.map((p) =>
      caseFromChat(p.id, (p.request ?? { model: p.modelRequested, messages: [] }) as ChatCompletionRequest, {
        request: p.requestId,
        route: p.routeId,
        at: new Date(p.createdAt).toISOString(),
      } satisfies Record<string, JsonValue>),
    );
    const caseOf = new Map(cases.map((c) => [c.id, c]));
    const calls = group.flatMap((p) => [call(p, 'baseline'), call(p, 'candidate')]);
    const scores: StoredScore[] = group.flatMap(liveScores);
    for (const scorer of options.scorers)
      for (const pair of scorable) {
        const c = caseOf.get(pair.id)!;
        const baseline = call(pair, 'baseline');
        const shadow = call(pair, 'candidate');
        const context: ScorerContext = {
          chat: async (request) => {
            if (!options.client) throw new Error(`scorer '${scorer.name}' calls a model: give --gateway`);
            return (await options.client.chat(request)).completion;
          },
          embed: async (model, input) => {
            if (!options.client) throw new Error(`scorer '${scorer.name}' calls a model: give --gateway`);
            return (await options.client.embed(model, input)).vectors;
          },
          random: seededRandom(stableHash32(`${seed}:${pair.id}`)),
        };
        const roleScores = await scoreCase(
          scorer,
          c,
          {
            baseline: { ok: true, output: baseline.output! },
            candidate: shadow.output
              ? { ok: true, output: shadow.output }
              : {
                  ok: false,
                  error: { status: pair.status, code: pair.errorCode, message: shadow.errorMessage ?? '' },
                },
          },
          () => context,
        );
        for (const r of roleScores)
          scores.push({
            caseId: pair.id,
            scorer: scorer.name,
            role: r.role,
            reference: r.reference,
            value: r.score.value,
            fields: r.score.fields ?? null,
            details: (r.score.details as Record<string, JsonValue> | undefined) ?? null,
            explanation: r.score.explanation ?? null,
            spendUsd: null,
            spendCalls: 0,
            spendUnpricedCalls: 0,
            completedAtMs: pair.createdAt,
          });
      }
    const scorerNames = [...new Set(scores.map((s) => s.scorer))];
    const report = buildEvalReport({
      run: {
        id: `shadow:${options.routeId}:${candidate}`,
        createdAtMs: Math.max(...group.map((p) => p.createdAt)),
        caseCount: group.length,
        settings: {
          dataset: `shadow pairs of route ${options.routeId} (${options.window})`,
          datasetSha256: '',
          baseline: mostCommon(group.map((p) => p.primary.deploymentId ?? 'primary')),
          candidate,
          scorerSpecs: scorerNames,
          scorerNames,
          bothOrdersShare: 0,
          seed,
          concurrency: 1,
          retries: 0,
          gateway: 'recorded traffic',
        },
      },
      cases,
      calls,
      scores,
      events: [{ atMs: Date.now(), event: 'finished', detail: null }],
      scorers: options.scorers,
    });
    reports.push({
      routeId: options.routeId,
      candidate,
      pairs: group.length,
      withoutAnswers: group.length - scorable.length,
      report,
    });
  }
  return reports;
}

function mostCommon(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'primary';
}
