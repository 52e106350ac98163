import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { Env } from '../../config/load-config.js';
import type { EvalCase } from '../case/eval-case.js';
import { readDataset } from '../case/read-cases.js';
import { createGatewayModelClient } from '../model-client/gateway-model-client.js';
import { withRetries } from '../model-client/retrying-model-client.js';
import { buildEvalReport } from '../report/build-eval-report.js';
import type { EvalReport } from '../report/eval-report.js';
import { isScorerPath } from '../scorers/load-custom-scorer.js';
import { resolveScorers } from '../scorers/registry.js';
import type { Scorer } from '../scorers/scorer.js';
import { EvalStore, type RunSettings, type StoredRun } from '../store/eval-store.js';
import { costsFromRecords } from './costs-from-records.js';
import { connectGateway } from './gateway-connection.js';
import { createProgress } from './progress.js';
import { runEval, type RunEvalResult } from './run-eval.js';

export interface NewRunOptions {
  dataset: string;
  baseline: string;
  candidate: string;
  scorerSpecs: string[];
  judge?: string;
  judgePromptPath?: string;
  rubricPath?: string;
  bothOrdersShare: number;
  embeddingModel?: string;
  seed: number;
}

export interface EvalSessionOptions {
  dataDir: string;
  cwd: string;
  env: Env;
  /** A new run, or the id of one to resume. */
  run: NewRunOptions | { resume: string };
  gateway: { url?: string; apiKey?: string; configPath?: string };
  concurrency: number;
  retries: number;
  timeoutMs?: number;
  progressOut: Writable;
  progressTty: boolean;
  signal?: AbortSignal;
  warn: (message: string) => void;
}

export interface EvalSessionResult {
  runId: string;
  result: RunEvalResult;
  report: EvalReport;
  retries: Map<string, number>;
}

/** `ev-20261202-101530-3f9a`: sortable, readable, and a valid `x-switchyard-tags` value. */
export function newRunId(now = new Date()): string {
  const iso = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `ev-${iso}-${randomBytes(2).toString('hex')}`;
}

function readText(path: string | undefined, cwd: string, what: string): string | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(resolve(cwd, path), 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${what} ${path}: ${(err as Error).message}`, { cause: err });
  }
}

export class RunNotFoundError extends Error {
  constructor(id: string, dataDir: string) {
    super(`no eval run '${id}' in ${dataDir}; 'switchyard eval list' shows the runs there`);
    this.name = 'RunNotFoundError';
  }
}

interface StoredPrompts {
  judgePromptText?: string;
  rubricText?: string;
}

async function scorersFor(settings: RunSettings & StoredPrompts, cwd: string): Promise<Scorer[]> {
  return resolveScorers(
    settings.scorerSpecs,
    {
      judgeModel: settings.judge,
      judgePrompt: settings.judgePromptText,
      rubric: settings.rubricText,
      bothOrdersShare: settings.bothOrdersShare,
      embeddingModel: settings.embeddingModel,
    },
    cwd,
  );
}

/**
 * An `eval run` from start to report: creates the run (or loads it to resume), starts or reaches
 * the gateway, sends every case to both models and scores them, prices self-hosted calls from the
 * gateway's records, and builds the report from what the store holds.
 */
export async function runEvalSession(options: EvalSessionOptions): Promise<EvalSessionResult> {
  const store = EvalStore.open(options.dataDir);
  try {
    let run: StoredRun;
    let scorers: Scorer[];
    let newCases: EvalCase[] | undefined;
    const gatewayDescription = options.gateway.url
      ? `--gateway ${options.gateway.url}`
      : `--config ${options.gateway.configPath}`;
    if ('resume' in options.run) {
      const found = store.getRun(options.run.resume);
      if (!found) throw new RunNotFoundError(options.run.resume, options.dataDir);
      run = found;
      scorers = await scorersFor(run.settings, options.cwd);
    } else {
      const r = options.run;
      const dataset = readDataset(resolve(options.cwd, r.dataset));
      const judgePromptText = readText(r.judgePromptPath, options.cwd, 'judge prompt');
      const rubricText = readText(r.rubricPath, options.cwd, 'rubric');
      const settings: RunSettings & StoredPrompts = {
        dataset: r.dataset,
        datasetSha256: dataset.sha256,
        baseline: r.baseline,
        candidate: r.candidate,
        // Custom scorer paths are kept absolute, so a resume from another folder finds them.
        scorerSpecs: r.scorerSpecs.map((spec) => (isScorerPath(spec) ? resolve(options.cwd, spec) : spec)),
        scorerNames: [],
        ...(r.judge ? { judge: r.judge } : {}),
        ...(r.judgePromptPath ? { judgePrompt: r.judgePromptPath, judgePromptText } : {}),
        ...(r.rubricPath ? { rubric: r.rubricPath, rubricText } : {}),
        bothOrdersShare: r.bothOrdersShare,
        ...(r.embeddingModel ? { embeddingModel: r.embeddingModel } : {}),
        seed: r.seed,
        concurrency: options.concurrency,
        retries: options.retries,
        gateway: gatewayDescription,
      };
      // Scorers are resolved before anything is stored or sent: a bad spec costs nothing.
      scorers = await scorersFor(settings, options.cwd);
      settings.scorerNames = scorers.map((s) => s.name);
      run = { id: newRunId(), createdAtMs: Date.now(), caseCount: dataset.cases.length, settings };
      newCases = dataset.cases;
    }
    // The gateway is reached before the run is stored: a wrong key or config leaves nothing behind.
    const gateway = await connectGateway({
      gatewayUrl: options.gateway.url,
      apiKey: options.gateway.apiKey,
      configPath: options.gateway.configPath,
      cwd: options.cwd,
      env: options.env,
      warn: options.warn,
    });
    if (newCases) store.createRun(run, newCases);
    const settings: RunSettings = {
      ...run.settings,
      concurrency: options.concurrency,
      retries: options.retries,
    };
    const cases = store.cases(run.id);
    const resumed = 'resume' in options.run;
    store.appendEvent(run.id, resumed ? 'resumed' : 'started', gateway.description);
    options.progressOut.write(
      `eval ${run.id}${resumed ? ' resumed' : ''}: ${cases.length} cases, ${settings.baseline} (baseline) vs ${settings.candidate} (candidate), scorers ${settings.scorerNames.join(', ')}\n` +
        `  results in ${resolve(options.dataDir, 'evals.db')}; if stopped, continue with --resume ${run.id}\n`,
    );
    const retries = new Map<string, number>();
    const onRetry = (err: { status: number | null; kind: string }) => {
      const key = err.status === null ? err.kind : String(err.status);
      retries.set(key, (retries.get(key) ?? 0) + 1);
    };
    const client = (role: string) =>
      withRetries(
        createGatewayModelClient({
          baseURL: gateway.baseURL,
          apiKey: gateway.apiKey,
          headers: {
            'x-switchyard-tags': role ? `eval_run=${run.id}, eval_role=${role}` : `eval_run=${run.id}`,
          },
          timeoutMs: options.timeoutMs,
        }),
        { retries: options.retries, onRetry },
      );
    let result: RunEvalResult;
    try {
      result = await runEval({
        store,
        run: { ...run, settings },
        cases,
        scorers,
        client: client(''),
        evaluatorClient: client('judge'),
        pricer: gateway.pricer,
        signal: options.signal,
        progress: createProgress({
          out: options.progressOut,
          tty: options.progressTty,
          label: `eval ${run.id}`,
        }),
      });
    } catch (err) {
      store.appendEvent(run.id, 'failed', (err as Error).message);
      throw err;
    } finally {
      await gateway.close();
    }
    if (gateway.recordsDataDir) await costsFromRecords(store, run.id, gateway.recordsDataDir);
    const complete = result.status === 'finished' && result.scoringErrors.length === 0;
    store.appendEvent(run.id, complete ? 'finished' : 'interrupted', result.scoringErrors.join('\n') || null);
    const report = buildEvalReport({
      run,
      cases,
      calls: store.calls(run.id),
      scores: store.scores(run.id),
      recordCosts: store.recordCosts(run.id),
      events: store.events(run.id),
      scorers,
    });
    return { runId: run.id, result, report, retries };
  } finally {
    store.close();
  }
}

/** A stored run's report, without calling anything. */
export async function reportForRun(dataDir: string, runId: string, cwd: string): Promise<EvalReport> {
  const store = EvalStore.open(dataDir);
  try {
    const run = store.getRun(runId);
    if (!run) throw new RunNotFoundError(runId, dataDir);
    let scorers: Scorer[] | undefined;
    try {
      scorers = await scorersFor(run.settings, cwd);
    } catch {
      // A custom scorer that moved away: what each needs is inferred from its stored rows.
      scorers = undefined;
    }
    return buildEvalReport({
      run,
      cases: store.cases(run.id),
      calls: store.calls(run.id),
      scores: store.scores(run.id),
      recordCosts: store.recordCosts(run.id),
      events: store.events(run.id),
      scorers,
    });
  } finally {
    store.close();
  }
}
