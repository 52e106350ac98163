import type { RouteConfig } from '../config/schema/routes-schema.js';
import type { Deployment } from '../spec/deployment.js';
import type { ResidencyVerdict, RouteInput } from './route-plan.js';

/**
 * The residency verdict for a request under the route that matched. An explicit `restricted` (header,
 * key, workload) always keeps the request internal. Detector findings do too, unless the route asks
 * for redaction: then the spans are replaced before the request leaves and the request counts as
 * normal data.
 */
export function assessResidency(input: RouteInput, route: RouteConfig | undefined): ResidencyVerdict {
  const kinds = [...new Set(input.sensitiveKinds ?? [])];
  if (input.dataClass === 'restricted') {
    const source = input.dataClassSource ?? 'header';
    return restricted(kinds.length ? `${source}+detected(${kinds.join(',')})` : source);
  }
  if (kinds.length > 0) {
    if (route?.redact)
      return {
        dataClass: 'normal',
        reason: `redacted(${kinds.join(',')})`,
        allowExternal: true,
        redact: true,
        removedExternal: [],
      };
    return restricted(`detected(${kinds.join(',')})`);
  }
  return { dataClass: 'normal', reason: null, allowExternal: true, redact: false, removedExternal: [] };
}

const restricted = (reason: string): ResidencyVerdict => ({
  dataClass: 'restricted',
  reason,
  allowExternal: false,
  redact: false,
  removedExternal: [],
});

/**
 * Whether a deployment may receive this request for any purpose: serving it, a fallback, or a shadow
 * copy for evaluation. Unknown deployments count as external.
 */
export function mayReceive(
  residency: ResidencyVerdict,
  deployment: Pick<Deployment, 'location'> | undefined,
): boolean {
  return residency.allowExternal || deployment?.location === 'internal';
}

/** Whether the copy sent to this deployment must have its detected spans replaced first. */
export function mustRedactFor(
  residency: ResidencyVerdict,
  deployment: Pick<Deployment, 'location'> | undefined,
): boolean {
  return residency.redact && deployment?.location !== 'internal';
}
