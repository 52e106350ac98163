import type { RecordStore } from '../../spec/request-record.js';
import type { RecordSink } from '../gateway-services.js';
import { aggregateUsage } from '../../usage/aggregate-usage.js';
import { formatUsageCsv } from '../../usage/format-usage.js';
import { parseUsageQuery } from '../../usage/parse-usage-query.js';
import type { AdminApi } from '../gateway-services.js';

/** GET /admin/usage: requests, tokens, spend, baseline and savings from the records, grouped. */
export function usageAdmin(records: RecordStore, sink: Pick<RecordSink, 'flush'>): AdminApi {
  return {
    async handle(method, url) {
      if (method !== 'GET' || url.pathname !== '/admin/usage') return undefined;
      const query = parseUsageQuery(url.searchParams);
      if (query instanceof Error) throw query;
      // Requests finished a moment ago count too.
      await sink.flush();
      const report = await aggregateUsage(records.iterate({ fromMs: query.fromMs, toMs: query.toMs }), {
        groupBy: query.groupBy,
      });
      if (query.format === 'csv')
        return { status: 200, body: formatUsageCsv(report), contentType: 'text/csv' };
      return { status: 200, body: report };
    },
  };
}
