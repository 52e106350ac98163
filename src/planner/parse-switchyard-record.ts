import { emptyRow, type UsageRow } from './usage-row.js';
import { bucketWidthMs, pick, readAmount, readText, readTimestamp, readTokenCount } from './usage-values.js';

/**
 * A Switchyard request record (`switchyard records export`), JSONL or CSV, camelCase or snake_case
 * keys. The incumbent model is the one the client asked for; the route says how hard the router
 * judged the request and whether residency rules marked it restricted.
 */
export function parseSwitchyardRecord(obj: Record<string, unknown>): UsageRow {
  const row = emptyRow();
  const started = readTimestamp(pick(obj, 'startedAt'), 'startedAt');
  row.startMs = started.ms;
  row.durationMs = bucketWidthMs(started);
  const model = readText(pick(obj, 'modelRequested')) ?? readText(pick(obj, 'upstreamModel'));
  if (!model) throw new Error('modelRequested is missing');
  row.model = model;
  row.apiKey = readText(pick(obj, 'keyId'));
  const team = readText(obj.team);
  row.project = team;
  row.workload = readText(obj.workload);
  for (const [tag, field] of [
    ['team', 'team'],
    ['endpoint', 'endpoint'],
    ['provider', 'provider'],
    ['deployment', 'deploymentId'],
  ] as const) {
    const v = readText(pick(obj, field));
    if (v) row.tags[tag] = v;
  }
  row.inputTokens = readTokenCount(pick(obj, 'inputTokens'), 'inputTokens') ?? 0;
  row.outputTokens = readTokenCount(pick(obj, 'outputTokens'), 'outputTokens') ?? 0;
  row.cachedInputTokens = readTokenCount(pick(obj, 'cachedTokens'), 'cachedTokens') ?? 0;
  if (row.cachedInputTokens > row.inputTokens) throw new Error('cachedTokens exceeds inputTokens');
  row.costUsd = readAmount(pick(obj, 'costUsd'), 'costUsd');
  row.latencyMs = readAmount(pick(obj, 'latencyMs'), 'latencyMs');
  row.ttftMs = readAmount(pick(obj, 'ttftMs'), 'ttftMs');
  let route = obj.route;
  if (typeof route === 'string' && route.trim() !== '') route = JSON.parse(route);
  if (route && typeof route === 'object') {
    const r = route as Record<string, unknown>;
    const score = r.routerScore ?? r.router_score;
    if (typeof score === 'number') row.routerScore = score;
    const choice = r.routerChoice ?? r.router_choice;
    if (choice === 'strong' || choice === 'weak') row.routedStrong = choice === 'strong';
    const residency = r.residency as Record<string, unknown> | undefined;
    const dataClass = residency?.dataClass ?? residency?.data_class;
    if (dataClass === 'restricted' || dataClass === 'normal') row.restricted = dataClass === 'restricted';
  }
  return row;
}
