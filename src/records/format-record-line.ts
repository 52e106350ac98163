import type { RequestRecord } from '../spec/request-record.js';

/**
 * Fixed column widths, so the lines `records tail -f` prints as records arrive stay aligned with
 * the header printed before any of them was known.
 */
const COLUMNS = [
  ['TIME (UTC)', 19],
  ['STATUS', 6],
  ['MODEL → DEPLOYMENT', 40],
  ['TOKENS IN/OUT', 13],
  ['LATENCY', 9],
  ['TTFT', 9],
  ['WORKLOAD', 12],
] as const;

export function recordTableHeader(): string {
  return formatCells([...COLUMNS.map(([title]) => title), 'NOTE']);
}

/** One human-readable line for a record; `~` marks token counts the gateway estimated. */
export function formatRecordLine(r: RequestRecord): string {
  const served = r.deploymentId ?? '-';
  const tokens =
    r.inputTokens === null && r.outputTokens === null
      ? '-'
      : `${r.usageEstimated ? '~' : ''}${r.inputTokens ?? '-'}/${r.outputTokens ?? '-'}`;
  const notes = [r.errorCode, r.truncated ? 'truncated' : null, r.streamed ? 'stream' : null];
  return formatCells([
    new Date(r.startedAt).toISOString().slice(0, 19).replace('T', ' '),
    String(r.status),
    `${r.modelRequested} → ${served}`,
    tokens,
    `${Math.round(r.latencyMs)} ms`,
    r.ttftMs === null ? '-' : `${Math.round(r.ttftMs)} ms`,
    r.workload ?? '-',
    notes.filter((n) => n !== null).join(' '),
  ]);
}

function formatCells(cells: string[]): string {
  const padded = cells.map((cell, i) => (i < COLUMNS.length ? cell.padEnd(COLUMNS[i][1]) : cell));
  return padded.join('  ').trimEnd();
}
