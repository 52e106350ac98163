import type { RecordStore, StoredRecord } from '../../spec/request-record.js';
import { seededRandom } from '../../stats/index.js';

export interface RouteSampleOptions {
  route: string;
  sample: number;
  seed: number;
  fromMs?: number;
  toMs?: number;
}

export interface RouteSample {
  records: StoredRecord[];
  /** Records of the route in the range, before sampling. */
  matched: number;
  /** Of those, how many had no request body (bodies are kept only where `logBodies` is on). */
  withoutBody: number;
}

/**
 * A uniform sample of a route's successful recorded requests that kept their bodies, drawn in one
 * pass in constant memory (reservoir sampling, Vitter's algorithm R) with a seeded generator, so
 * the same seed over the same records draws the same sample. Traffic Switchyard's own evals sent
 * (tagged `eval_run` or `eval_role`: runs, judges, readiness replays) is left out. Returned oldest
 * first.
 */
export async function sampleRouteRecords(
  store: RecordStore,
  options: RouteSampleOptions,
): Promise<RouteSample> {
  const random = seededRandom(options.seed);
  const reservoir: StoredRecord[] = [];
  let eligible = 0;
  let matched = 0;
  let withoutBody = 0;
  for await (const record of store.iterate({ fromMs: options.fromMs, toMs: options.toMs })) {
    if (record.route?.routeId !== options.route || record.status >= 400) continue;
    if (record.tags?.eval_run !== undefined || record.tags?.eval_role !== undefined) continue;
    matched++;
    if (!record.requestBody) {
      withoutBody++;
      continue;
    }
    eligible++;
    if (reservoir.length < options.sample) reservoir.push(record);
    else {
      const j = Math.floor(random() * eligible);
      if (j < options.sample) reservoir[j] = record;
    }
  }
  reservoir.sort((a, b) => a.startedAt - b.startedAt || a.seq - b.seq);
  return { records: reservoir, matched, withoutBody };
}
