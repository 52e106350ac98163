import type { RolloutSnapshot } from './rollout-controller.js';
import type { GateResult, RolloutTransition } from './rollout-state.js';

/** UTC to the second: rollouts span hours, and every replica and operator reads the same clock. */
export function formatTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
}

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;

function stageLine(r: RolloutSnapshot): string {
  const where =
    r.stageIndex < 0 ? 'before the first stage' : `stage ${r.stageIndex + 1} of ${r.stages.length}`;
  return `${where}: ${r.stages.map((p) => `${p}%`).join(' → ')}`;
}

/** One line per rollout, for `rollout status` without a route. */
export function formatRolloutTable(rollouts: readonly RolloutSnapshot[]): string {
  if (rollouts.length === 0) return 'No rollouts configured.\n';
  const header = ['ROUTE', 'BASELINE', 'CANDIDATE', 'SHARE', 'STAGE', 'STATUS', 'LAST CHECK', 'DECISION'];
  const rows = rollouts.map((r) => [
    r.route,
    r.baseline,
    r.candidate,
    `${r.candidatePercent}%`,
    r.stageIndex < 0 ? '-' : `${r.stageIndex + 1}/${r.stages.length}`,
    r.status.replace('_', ' ') + (r.dryRun ? ' (dry run)' : ''),
    r.lastCheck ? formatTime(r.lastCheck.atMs) : '-',
    r.lastCheck ? r.lastCheck.decision : '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

function gateLines(gates: readonly GateResult[]): string[] {
  if (gates.length === 0) return ['    (no gate applies at 0%)'];
  const width = Math.max(...gates.map((g) => g.gate.length));
  return gates.map((g) => `    ${g.gate.padEnd(width)}  ${g.status.padEnd(12)}  ${g.reason}`);
}

function armLine(
  name: string,
  arm: { requests: number; errors: number; latencyP95Ms: number | null },
): string {
  const p95 =
    arm.latencyP95Ms === null
      ? ''
      : `, p95 latency ${Math.round(arm.latencyP95Ms).toLocaleString('en-US')} ms`;
  return `${name} ${arm.requests.toLocaleString('en-US')} requests, ${arm.errors.toLocaleString('en-US')} errors${p95}`;
}

/** The full picture of one rollout, for `rollout status ROUTE`. */
export function formatRolloutDetail(r: RolloutSnapshot, history: readonly RolloutTransition[]): string {
  const lines = [
    `${r.route}: ${r.baseline} → ${r.candidate}, ${r.status.replace('_', ' ')} at ${r.candidatePercent}%${r.dryRun ? ' (dry run: traffic moves only by hand)' : ''}`,
    `  ${stageLine(r)}`,
    `  stage started ${formatTime(r.stageStartedAtMs)}` +
      (r.minDwellMs === null
        ? ''
        : `; needs ${minutes(r.minDwellMs)} and ${r.minRequests} candidate requests`),
    `  failed checks in a row: ${r.consecutiveFailedChecks} (rollback after ${r.rollbackAfterFailedChecks})`,
  ];
  const check = r.lastCheck;
  if (!check) lines.push('  not checked yet');
  else {
    lines.push(
      `  last check ${formatTime(check.atMs)}: ${check.decision}${check.dryRun ? ' (dry run)' : ''}`,
    );
    lines.push(...gateLines(check.gates));
    if (check.decision === 'hold') lines.push(...check.reasons.map((reason) => `    held: ${reason}`));
    lines.push(
      `    evidence: ${armLine('candidate', check.evidence.candidate)}; ${armLine('baseline', check.evidence.baseline)}; ${check.evidence.qualityPairs.toLocaleString('en-US')} judged pairs`,
    );
  }
  if (r.nextCheckAtMs !== null) lines.push(`  next check ${formatTime(r.nextCheckAtMs)}`);
  if (history.length) {
    lines.push('', 'History (newest first):');
    lines.push(...history.map(formatTransition));
  }
  return `${lines.join('\n')}\n`;
}

export function formatTransition(t: RolloutTransition): string {
  const move = `${t.fromPercent}% → ${t.toPercent}%`;
  return `  ${formatTime(t.atMs)}  ${t.kind.padEnd(8)}  ${move.padEnd(12)}  ${t.actor.padEnd(10)}  ${t.dryRun ? '[dry run] ' : ''}${t.reason}`;
}
