import { randomUUID } from 'node:crypto';

/** An id in the vendor's style (`resp_…`, `msg_…`, `fc_…`, `toolu_…`); clients only compare them. */
export function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll('-', '')}`;
}
