import { emptyRow, type UsageRow } from './usage-row.js';
import {
  bucketWidthMs,
  readAmount,
  readFlag,
  readText,
  readTimestamp,
  readTokenCount,
} from './usage-values.js';

/** Fields a generic CSV can map columns onto (`--map date=Date,model=Model,input_tokens=In`). */
export const MAPPABLE_FIELDS = [
  'date',
  'model',
  'project',
  'key',
  'workload',
  'input_tokens',
  'output_tokens',
  'cached_tokens',
  'requests',
  'cost_usd',
  'latency_ms',
  'ttft_ms',
  'service_tier',
  'batch',
] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];

export interface ColumnMap {
  fields: Partial<Record<MappableField, string>>;
  /** tag name → column */
  tags: Record<string, string>;
}

/** `date=Date,model=Model,tag.team=Team` → a column map; throws on unknown fields. */
export function parseColumnMap(text: string): ColumnMap {
  const map: ColumnMap = { fields: {}, tags: {} };
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`'${pair}' is not field=Column`);
    const field = pair.slice(0, eq).trim();
    const column = pair.slice(eq + 1).trim();
    if (field.startsWith('tag.')) map.tags[field.slice(4)] = column;
    else if ((MAPPABLE_FIELDS as readonly string[]).includes(field))
      map.fields[field as MappableField] = column;
    else throw new Error(`unknown field '${field}' (known: ${MAPPABLE_FIELDS.join(', ')}, tag.NAME)`);
  }
  for (const required of ['date', 'model', 'input_tokens', 'output_tokens'] as const)
    if (!map.fields[required]) throw new Error(`the column map needs ${required}=COLUMN`);
  return map;
}

export function missingColumns(map: ColumnMap, header: string[]): string[] {
  const have = new Set(header);
  return [...Object.values(map.fields), ...Object.values(map.tags)].filter((c) => !have.has(c));
}

/**
 * A generic CSV row through a column map. A date without a time is a daily bucket: its usage is
 * spread over that UTC day, so a day's total is not read as one hour's peak.
 */
export function parseMappedRow(r: Record<string, string>, map: ColumnMap): UsageRow {
  const f = map.fields;
  const get = (k: MappableField) => (f[k] ? r[f[k]] : undefined);
  const row = emptyRow();
  const date = readTimestamp(get('date'), f.date ?? 'date');
  row.startMs = date.ms;
  row.durationMs = bucketWidthMs(date);
  const model = readText(get('model'));
  if (!model) throw new Error(`${f.model} is empty`);
  row.model = model;
  row.project = readText(get('project'));
  row.apiKey = readText(get('key'));
  row.workload = readText(get('workload'));
  const input = readTokenCount(get('input_tokens'), f.input_tokens ?? 'input_tokens');
  const output = readTokenCount(get('output_tokens'), f.output_tokens ?? 'output_tokens');
  if (input === null || output === null) throw new Error('input and output tokens are required');
  row.inputTokens = input;
  row.outputTokens = output;
  row.cachedInputTokens = readTokenCount(get('cached_tokens'), f.cached_tokens ?? 'cached_tokens') ?? 0;
  row.requests = readTokenCount(get('requests'), f.requests ?? 'requests') ?? 1;
  row.costUsd = readAmount(get('cost_usd'), f.cost_usd ?? 'cost_usd');
  row.latencyMs = readAmount(get('latency_ms'), f.latency_ms ?? 'latency_ms');
  row.ttftMs = readAmount(get('ttft_ms'), f.ttft_ms ?? 'ttft_ms');
  if (readFlag(get('batch')) === true) row.serviceTier = 'batch';
  else {
    const tier = readText(get('service_tier'))?.toLowerCase();
    if (tier && tier !== 'default' && tier !== 'auto') row.serviceTier = tier;
  }
  for (const [tag, column] of Object.entries(map.tags)) {
    const v = readText(r[column]);
    if (v) row.tags[tag] = v;
  }
  return row;
}
