import type { RouteExplanation } from '../spec/request-record.js';

/**
 * The `x-switchyard-route` response header: one line a person can read in curl output, e.g.
 * `route=support-auto; target=llama-local; score=0.31; threshold=0.42; choice=weak;
 * residency=restricted(email); fallbacks=1`. Values are reduced to printable ASCII without `;` so the
 * header is always valid.
 */
export function formatRouteHeader(explanation: RouteExplanation): string {
  const parts: string[] = [`route=${clean(explanation.routeId ?? 'default')}`];
  const attempts = explanation.attempts;
  const served = attempts.find((a) => a.outcome === 'ok') ?? attempts[attempts.length - 1];
  if (served) parts.push(`target=${clean(served.deployment)}`);
  parts.push(`kind=${explanation.targetKind}`);
  if (explanation.routerScore !== undefined) parts.push(`score=${explanation.routerScore.toFixed(2)}`);
  if (explanation.routerThreshold !== undefined)
    parts.push(`threshold=${explanation.routerThreshold.toFixed(2)}`);
  if (explanation.routerChoice !== undefined) parts.push(`choice=${clean(explanation.routerChoice)}`);
  const r = explanation.residency;
  if (r) {
    const why = r.reason ? `(${clean(r.reason.replace(/^detected\((.*)\)$/, '$1'))})` : '';
    parts.push(`residency=${r.dataClass}${why}`);
    if (r.redacted) parts.push(`redacted=${r.redacted}`);
  }
  if (explanation.spilled) parts.push('spilled=1');
  if (explanation.rollout)
    parts.push(`rollout=${explanation.rollout.arm}@${explanation.rollout.candidatePercent}%`);
  const failed = attempts.filter((a) => a.outcome !== 'ok');
  if (failed.length) {
    parts.push(`fallbacks=${failed.length}`);
    parts.push(`failed=${failed.map((a) => `${clean(a.deployment)}:${clean(a.outcome)}`).join(',')}`);
    const unfinished = failed.filter((a) => a.unfinished).length;
    // Attempts abandoned while the upstream may still be generating them: possibly billed twice.
    if (unfinished) parts.push(`unfinished=${unfinished}`);
  }
  return parts.join('; ');
}

const clean = (value: string) => value.replace(/[^\x21-\x7e]|;/g, '_');
