import type { PlanConfig, WorkloadMatch } from './plan-config.js';
import type { UsageRow } from './usage-row.js';

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

type CompiledRule = { name: string; test: (row: UsageRow) => boolean };

function compileMatch(m: WorkloadMatch): (row: UsageRow) => boolean {
  const checks: Array<(row: UsageRow) => boolean> = [];
  const field = (pattern: string | undefined, get: (r: UsageRow) => string | null) => {
    if (pattern === undefined) return;
    const re = globToRegExp(pattern);
    checks.push((r) => re.test(get(r) ?? ''));
  };
  field(m.project, (r) => r.project);
  field(m.key, (r) => r.apiKey);
  field(m.model, (r) => r.model);
  field(m.workload, (r) => r.workload);
  for (const [tag, pattern] of Object.entries(m.tags ?? {})) field(pattern, (r) => r.tags[tag] ?? null);
  return (row) => checks.every((c) => c(row));
}

/**
 * Builds the workload classifier once: the first rule whose every condition matches (globs with
 * `*`) names the workload; otherwise the workload the gateway recorded, then the project, then
 * the configured name for unassigned usage.
 */
export function workloadAssigner(config: PlanConfig): (row: UsageRow) => string {
  const rules: CompiledRule[] = config.workloads.map((w) => ({ name: w.name, test: compileMatch(w.match) }));
  return (row) => {
    for (const rule of rules) if (rule.test(row)) return rule.name;
    return row.workload ?? row.project ?? config.unassignedName;
  };
}
