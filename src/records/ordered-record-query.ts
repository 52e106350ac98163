import type { RecordQuery } from '../spec/request-record.js';

/**
 * A RecordQuery that may ask for the newest records first, which `records tail -n N` needs to find
 * the last N without reading the whole table.
 */
export interface OrderedRecordQuery extends RecordQuery {
  /** `asc` (default): oldest sequence first. `desc`: newest first. */
  order?: 'asc' | 'desc';
}
