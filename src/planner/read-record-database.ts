import BetterSqlite3 from 'better-sqlite3';
import { parseSwitchyardRecord } from './parse-switchyard-record.js';
import type { UsageItem } from './usage-row.js';
import { RECORD_COLUMNS } from '../records/record-row.js';

// Bodies are never needed for planning and can be large.
const COLUMNS = ['seq', ...RECORD_COLUMNS.filter((c) => c !== 'request_body' && c !== 'response_body')];

/**
 * Records straight from a gateway's SQLite database, opened read-only and read a row at a time
 * (better-sqlite3's `iterate` steps the cursor), so a live gateway can keep writing. Problems name
 * the record's sequence number.
 */
export async function* readRecordDatabase(file: string, name: string): AsyncGenerator<UsageItem> {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const stmt = db.prepare(`SELECT ${COLUMNS.join(', ')} FROM records ORDER BY seq`);
    for (const row of stmt.iterate() as Iterable<Record<string, unknown>>) {
      try {
        yield { row: parseSwitchyardRecord(row) };
      } catch (err) {
        yield { problem: { file: name, where: `seq ${String(row.seq)}`, message: (err as Error).message } };
      }
    }
  } finally {
    db.close();
  }
}
