import type { Database, Statement } from 'better-sqlite3';
import type { QualityQuery, QualitySource } from '../rollout/rollout-evidence.js';
import type { PairAnswer, ShadowPair, ShadowPairQuery } from './shadow-pair.js';

interface PairRow {
  seq: number;
  id: string;
  created_at: number;
  route_id: string;
  request_id: string;
  endpoint: string;
  model_requested: string;
  candidate: string;
  status: number;
  error_code: string | null;
  primary_deployment: string | null;
  primary_latency_ms: number | null;
  primary_input_tokens: number | null;
  primary_output_tokens: number | null;
  primary_cost_usd: number | null;
  shadow_deployment: string | null;
  shadow_latency_ms: number | null;
  shadow_input_tokens: number | null;
  shadow_output_tokens: number | null;
  shadow_cost_usd: number | null;
  judge_cost_usd: number | null;
  scorer: string | null;
  score_difference: number | null;
  score_details: string | null;
  request: string | null;
  primary_answer: string | null;
  shadow_answer: string | null;
}

const COLUMNS = [
  'id',
  'created_at',
  'route_id',
  'request_id',
  'endpoint',
  'model_requested',
  'candidate',
  'status',
  'error_code',
  'primary_deployment',
  'primary_latency_ms',
  'primary_input_tokens',
  'primary_output_tokens',
  'primary_cost_usd',
  'shadow_deployment',
  'shadow_latency_ms',
  'shadow_input_tokens',
  'shadow_output_tokens',
  'shadow_cost_usd',
  'judge_cost_usd',
  'scorer',
  'score_difference',
  'score_details',
  'request',
  'primary_answer',
  'shadow_answer',
] as const;

const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
const parse = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

function toParams(p: ShadowPair): Array<string | number | null> {
  return [
    p.id,
    p.createdAt,
    p.routeId,
    p.requestId,
    p.endpoint,
    p.modelRequested,
    p.candidate,
    p.status,
    p.errorCode,
    p.primary.deploymentId,
    p.primary.latencyMs,
    p.primary.inputTokens,
    p.primary.outputTokens,
    p.primary.costUsd,
    p.shadow.deploymentId,
    p.shadow.latencyMs,
    p.shadow.inputTokens,
    p.shadow.outputTokens,
    p.shadow.costUsd,
    p.judgeCostUsd,
    p.scorer,
    p.scoreDifference,
    json(p.scoreDetails),
    json(p.request),
    json(p.primaryAnswer),
    json(p.shadowAnswer),
  ];
}

function fromRow(r: PairRow): ShadowPair {
  return {
    id: r.id,
    createdAt: r.created_at,
    routeId: r.route_id,
    requestId: r.request_id,
    endpoint: r.endpoint,
    modelRequested: r.model_requested,
    candidate: r.candidate,
    status: r.status,
    errorCode: r.error_code,
    primary: {
      deploymentId: r.primary_deployment,
      latencyMs: r.primary_latency_ms,
      inputTokens: r.primary_input_tokens,
      outputTokens: r.primary_output_tokens,
      costUsd: r.primary_cost_usd,
    },
    shadow: {
      deploymentId: r.shadow_deployment,
      latencyMs: r.shadow_latency_ms,
      inputTokens: r.shadow_input_tokens,
      outputTokens: r.shadow_output_tokens,
      costUsd: r.shadow_cost_usd,
    },
    judgeCostUsd: r.judge_cost_usd,
    scorer: r.scorer,
    scoreDifference: r.score_difference,
    scoreDetails: parse<Record<string, unknown>>(r.score_details),
    request: parse<Record<string, unknown>>(r.request),
    primaryAnswer: parse<PairAnswer>(r.primary_answer),
    shadowAnswer: parse<PairAnswer>(r.shadow_answer),
  };
}

/**
 * Shadow pairs in the records database: appended as they complete, never changed (the table
 * refuses updates and deletes), read for reports, for what a route's shadow job has spent, and as
 * the judged quality differences rollout gates read.
 */
export class SqliteShadowStore implements QualitySource {
  private readonly insert: Statement<unknown[]>;
  private readonly statements = new Map<string, Statement<unknown[], PairRow>>();
  private readonly spent: Statement<[string], { usd: number | null }>;
  private readonly diffs: Statement<[string, string, number], { d: number }>;

  constructor(private readonly db: Database) {
    this.insert = db.prepare(
      `INSERT INTO shadow_pairs (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
    );
    this.spent = db.prepare(
      'SELECT sum(coalesce(shadow_cost_usd, 0) + coalesce(judge_cost_usd, 0)) AS usd FROM shadow_pairs WHERE route_id = ?',
    );
    this.diffs = db.prepare(
      'SELECT score_difference AS d FROM shadow_pairs WHERE route_id = ? AND shadow_deployment = ? AND created_at >= ? AND score_difference IS NOT NULL ORDER BY seq',
    );
  }

  append(pairs: readonly ShadowPair[]): void {
    if (pairs.length === 0) return;
    this.db.transaction(() => {
      for (const p of pairs) this.insert.run(toParams(p));
    })();
  }

  query(q: ShadowPairQuery): ShadowPair[] {
    const clauses: string[] = [];
    const params: Array<string | number> = [];
    if (q.routeId !== undefined) {
      clauses.push('route_id = ?');
      params.push(q.routeId);
    }
    if (q.fromMs !== undefined) {
      clauses.push('created_at >= ?');
      params.push(q.fromMs);
    }
    if (q.toMs !== undefined) {
      clauses.push('created_at < ?');
      params.push(q.toMs);
    }
    const sql = `SELECT * FROM shadow_pairs ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY seq LIMIT ?`;
    let stmt = this.statements.get(sql);
    if (!stmt) this.statements.set(sql, (stmt = this.db.prepare<unknown[], PairRow>(sql)));
    return stmt.all(...params, q.limit ?? -1).map(fromRow);
  }

  /** What a route's shadow job has spent so far: candidates' answers and their judging. */
  spentUsd(routeId: string): number {
    return this.spent.get(routeId)?.usd ?? 0;
  }

  /** Fills in what each primary cost, from its request record (priced in the same database). */
  withPrimaryCosts(pairs: readonly ShadowPair[]): ShadowPair[] {
    const cost = this.db.prepare<[string], { cost_usd: number | null }>(
      'SELECT cost_usd FROM records WHERE id = ?',
    );
    return pairs.map((p) => ({
      ...p,
      primary: { ...p.primary, costUsd: cost.get(p.requestId)?.cost_usd ?? null },
    }));
  }

  close(): void {
    this.db.close();
  }

  /** The scored pairs of a rollout's candidate on its route, as candidate − baseline differences. */
  async differences(query: QualityQuery): Promise<readonly number[]> {
    return this.diffs.all(query.route, query.candidate, query.fromMs).map((r) => r.d);
  }
}
