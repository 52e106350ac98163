import type { Block } from '../report/document.js';
import { int, share } from '../report/format-figures.js';
import type { ReadinessResult } from './run-readiness.js';

export interface ReadinessReport extends ReadinessResult {
  route: string;
  /** Successful requests of the route in the range. */
  matched: number;
  /** Of them, without a stored request body (logBodies off): they cannot be replayed. */
  withoutBody: number;
  sampled: number;
  seed: number;
  gateway: string;
}

export function readinessBlocks(r: ReadinessReport): Block[] {
  const blocks: Block[] = [
    { kind: 'title', text: `Readiness of ${r.candidate} for route ${r.route}` },
    {
      kind: 'paragraph',
      text: `Replayed ${int(r.replayed)} of ${int(r.sampled)} sampled requests (seed ${r.seed}) out of ${int(r.matched)} successful recorded requests of the route${r.withoutBody ? `, ${int(r.withoutBody)} of which kept no body and could not be replayed (turn on logBodies for the route)` : ''}, through ${r.gateway}. ${int(r.breaking)} request${r.breaking === 1 ? '' : 's'} (${r.replayed ? share(r.breaking / r.replayed) : '—'}) would break in at least one way.`,
    },
    {
      kind: 'table',
      headers: ['check', 'failing', 'of requests it applies to', 'share'],
      alignRight: [1, 2, 3],
      rows: r.checks.map((c) => [
        c.title,
        int(c.failing),
        int(c.applicable),
        c.applicable ? share(c.failing / c.applicable) : '—',
      ]),
    },
  ];
  for (const c of r.checks) {
    if (!c.examples.length) continue;
    blocks.push({ kind: 'heading', text: `${c.title}: ${int(c.failing)} of ${int(c.applicable)}` });
    blocks.push({ kind: 'list', items: c.examples.map((e) => `${e.caseId}: ${e.detail}`) });
  }
  return blocks;
}
