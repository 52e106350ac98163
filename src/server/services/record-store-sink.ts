import type { RecordStore } from '../../spec/request-record.js';
import type { RecordSink } from '../gateway-services.js';

/** Appends finished records to the store; pricing and metrics wrap it. */
export function recordStoreSink(store: RecordStore): RecordSink {
  return { finish: (record) => store.append(record) };
}
