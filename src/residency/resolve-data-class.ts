import type { DataClass, DataClassSource } from '../routing/route-plan.js';
import { invalidRequest } from '../spec/gateway-error.js';

/** The header a client sets to declare its request's data class. */
export const DATA_CLASS_HEADER = 'x-switchyard-data-class';

export interface DataClassSources {
  /** Value of the `x-switchyard-data-class` header, as received. */
  header?: string | null;
  /** Data class configured on the API key. */
  key?: DataClass | null;
  /** Data class configured on the workload. */
  workload?: DataClass | null;
}

/**
 * Combines the explicit declarations: `restricted` from any source wins, so a client cannot lower
 * what its key or workload imposes. An unknown header value is an error rather than a silent `normal`.
 */
export function resolveDataClass(sources: DataClassSources): {
  dataClass: DataClass;
  source?: DataClassSource;
} {
  const header = sources.header?.trim().toLowerCase();
  if (header !== undefined && header !== '' && header !== 'restricted' && header !== 'normal')
    throw invalidRequest(
      `${DATA_CLASS_HEADER}: '${sources.header}' is not a data class; use 'restricted' or 'normal'`,
      DATA_CLASS_HEADER,
      'invalid_data_class',
    );
  if (sources.key === 'restricted') return { dataClass: 'restricted', source: 'key' };
  if (sources.workload === 'restricted') return { dataClass: 'restricted', source: 'workload' };
  if (header === 'restricted') return { dataClass: 'restricted', source: 'header' };
  return { dataClass: 'normal' };
}
