import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import { runMigrations } from '../../storage/migrations.js';
import type { EvalCase, JsonValue } from '../case/eval-case.js';
import type { ModelOutput } from '../output/model-output.js';
import type { ScoreRole } from '../scorers/score-case.js';
import { EVAL_MIGRATIONS } from './eval-migrations.js';

export const EVAL_DATABASE_FILE = 'evals.db';

export type ModelRole = 'baseline' | 'candidate';

/** Everything a run was started with: a resume reuses it, a report prints it. */
export interface RunSettings {
  dataset: string;
  datasetSha256: string;
  baseline: string;
  candidate: string;
  /** As given on the command line (names or paths), in order. */
  scorerSpecs: string[];
  /** The scorers' own names, the keys of their scores. */
  scorerNames: string[];
  judge?: string;
  judgePrompt?: string;
  rubric?: string;
  bothOrdersShare: number;
  embeddingModel?: string;
  seed: number;
  concurrency: number;
  retries: number;
  /** `--gateway URL` or `--config FILE` (started in-process). */
  gateway: string;
}

export interface StoredRun {
  id: string;
  createdAtMs: number;
  caseCount: number;
  settings: RunSettings;
}

export interface StoredCall {
  caseId: string;
  role: ModelRole;
  model: string;
  servedBy: string | null;
  requestId: string | null;
  /** HTTP status; null when no answer came back at all. */
  status: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** null when the call failed. */
  output: ModelOutput | null;
  inputTokens: number | null;
  outputTokens: number | null;
  latencyMs: number;
  attempts: number;
  costUsd: number | null;
  priceSource: string;
  completedAtMs: number;
}

export interface StoredScore {
  caseId: string;
  scorer: string;
  role: ScoreRole;
  reference: 'expected' | 'baseline' | null;
  value: number | null;
  fields: Record<string, number> | null;
  details: Record<string, JsonValue> | null;
  explanation: string | null;
  /** Judge and embedding calls made for this score: their cost (null if any was unpriced). */
  spendUsd: number | null;
  spendCalls: number;
  spendUnpricedCalls: number;
  completedAtMs: number;
}

export interface RecordCost {
  caseId: string;
  role: ModelRole;
  costUsd: number | null;
  source: string;
}

export interface RunEvent {
  atMs: number;
  event: 'started' | 'resumed' | 'finished' | 'interrupted' | 'failed';
  detail: string | null;
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
const parse = <T>(v: unknown): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : null);

type Row = Record<string, unknown>;

/**
 * Eval runs in SQLite: its own file in the data folder, WAL mode, statements prepared once. Rows are
 * written one by one as they complete (a kill loses at most the calls in flight) and read whole
 * when a report is built.
 */
export class EvalStore {
  private readonly insertCall: Statement;
  private readonly insertScore: Statement;
  private readonly insertEvent: Statement;
  private readonly insertRecordCost: Statement;

  private constructor(private readonly db: Database) {
    this.insertCall = db.prepare(`INSERT OR IGNORE INTO eval_calls (run_id, case_id, role, model, served_by,
      request_id, status, error_code, error_message, output, input_tokens, output_tokens, latency_ms, attempts,
      cost_usd, price_source, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertScore =
      db.prepare(`INSERT OR IGNORE INTO eval_scores (run_id, case_id, scorer, role, reference,
      value, fields, details, explanation, spend_usd, spend_calls, spend_unpriced_calls, completed_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertEvent = db.prepare('INSERT INTO eval_events (run_id, at, event, detail) VALUES (?, ?, ?, ?)');
    this.insertRecordCost = db.prepare(
      'INSERT OR IGNORE INTO eval_record_costs (run_id, case_id, role, cost_usd, source) VALUES (?, ?, ?, ?, ?)',
    );
  }

  static open(dataDir: string): EvalStore {
    mkdirSync(dataDir, { recursive: true });
    const db = new BetterSqlite3(join(dataDir, EVAL_DATABASE_FILE));
    try {
      db.pragma('busy_timeout = 5000');
      db.pragma('journal_mode = WAL');
      // Durable against a killed process (the case resume exists for); only power loss may cost
      // the last transactions. https://www.sqlite.org/pragma.html#pragma_synchronous
      db.pragma('synchronous = NORMAL');
      runMigrations(db, EVAL_MIGRATIONS);
    } catch (err) {
      db.close();
      throw err;
    }
    return new EvalStore(db);
  }

  createRun(run: StoredRun, cases: readonly EvalCase[]): void {
    const insertRun = this.db.prepare(
      'INSERT INTO eval_runs (id, created_at, case_count, settings) VALUES (?, ?, ?, ?)',
    );
    const insertCase = this.db.prepare(
      'INSERT INTO eval_cases (run_id, position, case_id, body) VALUES (?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      insertRun.run(run.id, run.createdAtMs, run.caseCount, JSON.stringify(run.settings));
      cases.forEach((c, i) => insertCase.run(run.id, i, c.id, JSON.stringify(c)));
    })();
  }

  getRun(id: string): StoredRun | undefined {
    const row = this.db.prepare('SELECT * FROM eval_runs WHERE id = ?').get(id) as Row | undefined;
    return row ? toRun(row) : undefined;
  }

  /** Newest first. */
  listRuns(limit = 50): StoredRun[] {
    const rows = this.db
      .prepare('SELECT * FROM eval_runs ORDER BY created_at DESC LIMIT ?')
      .all(limit) as Row[];
    return rows.map(toRun);
  }

  cases(runId: string): EvalCase[] {
    const rows = this.db
      .prepare('SELECT body FROM eval_cases WHERE run_id = ? ORDER BY position')
      .all(runId) as Array<{ body: string }>;
    return rows.map((r) => JSON.parse(r.body) as EvalCase);
  }

  appendCall(runId: string, c: StoredCall): void {
    this.insertCall.run(
      runId,
      c.caseId,
      c.role,
      c.model,
      c.servedBy,
      c.requestId,
      c.status,
      c.errorCode,
      c.errorMessage,
      json(c.output),
      c.inputTokens,
      c.outputTokens,
      c.latencyMs,
      c.attempts,
      c.costUsd,
      c.priceSource,
      c.completedAtMs,
    );
  }

  calls(runId: string): StoredCall[] {
    const rows = this.db
      .prepare('SELECT * FROM eval_calls WHERE run_id = ? ORDER BY seq')
      .all(runId) as Row[];
    return rows.map((r) => ({
      caseId: r.case_id as string,
      role: r.role as ModelRole,
      model: r.model as string,
      servedBy: (r.served_by as string | null) ?? null,
      requestId: (r.request_id as string | null) ?? null,
      status: (r.status as number | null) ?? null,
      errorCode: (r.error_code as string | null) ?? null,
      errorMessage: (r.error_message as string | null) ?? null,
      output: parse<ModelOutput>(r.output),
      inputTokens: (r.input_tokens as number | null) ?? null,
      outputTokens: (r.output_tokens as number | null) ?? null,
      latencyMs: r.latency_ms as number,
      attempts: r.attempts as number,
      costUsd: (r.cost_usd as number | null) ?? null,
      priceSource: r.price_source as string,
      completedAtMs: r.completed_at as number,
    }));
  }

  appendScore(runId: string, s: StoredScore): void {
    this.insertScore.run(
      runId,
      s.caseId,
      s.scorer,
      s.role,
      s.reference,
      s.value,
      json(s.fields),
      json(s.details),
      s.explanation,
      s.spendUsd,
      s.spendCalls,
      s.spendUnpricedCalls,
      s.completedAtMs,
    );
  }

  scores(runId: string): StoredScore[] {
    const rows = this.db
      .prepare('SELECT * FROM eval_scores WHERE run_id = ? ORDER BY seq')
      .all(runId) as Row[];
    return rows.map((r) => ({
      caseId: r.case_id as string,
      scorer: r.scorer as string,
      role: r.role as ScoreRole,
      reference: (r.reference as StoredScore['reference']) ?? null,
      value: (r.value as number | null) ?? null,
      fields: parse<Record<string, number>>(r.fields),
      details: parse<Record<string, JsonValue>>(r.details),
      explanation: (r.explanation as string | null) ?? null,
      spendUsd: (r.spend_usd as number | null) ?? null,
      spendCalls: r.spend_calls as number,
      spendUnpricedCalls: r.spend_unpriced_calls as number,
      completedAtMs: r.completed_at as number,
    }));
  }

  appendRecordCost(runId: string, c: RecordCost): void {
    this.insertRecordCost.run(runId, c.caseId, c.role, c.costUsd, c.source);
  }

  recordCosts(runId: string): RecordCost[] {
    const rows = this.db.prepare('SELECT * FROM eval_record_costs WHERE run_id = ?').all(runId) as Row[];
    return rows.map((r) => ({
      caseId: r.case_id as string,
      role: r.role as ModelRole,
      costUsd: (r.cost_usd as number | null) ?? null,
      source: r.source as string,
    }));
  }

  appendEvent(
    runId: string,
    event: RunEvent['event'],
    detail: string | null = null,
    atMs = Date.now(),
  ): void {
    this.insertEvent.run(runId, atMs, event, detail);
  }

  events(runId: string): RunEvent[] {
    const rows = this.db
      .prepare('SELECT * FROM eval_events WHERE run_id = ? ORDER BY seq')
      .all(runId) as Row[];
    return rows.map((r) => ({
      atMs: r.at as number,
      event: r.event as RunEvent['event'],
      detail: (r.detail as string | null) ?? null,
    }));
  }

  close(): void {
    this.db.close();
  }
}

function toRun(row: Row): StoredRun {
  return {
    id: row.id as string,
    createdAtMs: row.created_at as number,
    caseCount: row.case_count as number,
    settings: JSON.parse(row.settings as string) as RunSettings,
  };
}
