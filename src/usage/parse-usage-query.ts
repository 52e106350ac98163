import { invalidRequest, type GatewayError } from '../spec/gateway-error.js';
import { USAGE_GROUP_KEYS, type UsageGroupKey } from './aggregate-usage.js';

export interface UsageQuery {
  fromMs?: number;
  toMs?: number;
  groupBy: UsageGroupKey[];
  format: 'json' | 'csv';
}

const DEFAULT_GROUP_BY: UsageGroupKey[] = ['workload', 'model'];

/**
 * Reads `GET /admin/usage?from&to&group_by=workload,model&format=json|csv`: ISO times (`to`
 * exclusive) and group keys, refusing anything else with a 400 that names the parameter.
 */
export function parseUsageQuery(params: URLSearchParams): UsageQuery | GatewayError {
  const query: UsageQuery = { groupBy: DEFAULT_GROUP_BY, format: 'json' };
  for (const name of ['from', 'to'] as const) {
    const text = params.get(name);
    if (text === null || text === '') continue;
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) return invalidRequest(`'${name}' must be an ISO date or time, got '${text}'`, name);
    if (name === 'from') query.fromMs = ms;
    else query.toMs = ms;
  }
  if (query.fromMs !== undefined && query.toMs !== undefined && query.toMs <= query.fromMs)
    return invalidRequest("'to' must be after 'from'", 'to');
  const groupBy = params.get('group_by');
  if (groupBy !== null) {
    const keys = groupBy
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean);
    const unknown = keys.find((k) => !(USAGE_GROUP_KEYS as readonly string[]).includes(k));
    if (unknown !== undefined)
      return invalidRequest(
        `'group_by' accepts ${USAGE_GROUP_KEYS.join(', ')}; got '${unknown}'`,
        'group_by',
      );
    query.groupBy = keys as UsageGroupKey[];
  }
  const format = params.get('format');
  if (format !== null && format !== 'json' && format !== 'csv')
    return invalidRequest(`'format' must be json or csv, got '${format}'`, 'format');
  if (format === 'csv') query.format = 'csv';
  return query;
}
