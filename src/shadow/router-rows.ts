import { liveScoresOf, type LiveScore, type ShadowPair } from './shadow-pair.js';

/** One training row for the complexity router, in the shape of its labelled data. */
export interface RouterRow {
  prompt: string;
  /** Quality of the strong model's answer (the incumbent that served the primary), in [0, 1]. */
  strong: number;
  /** Quality of the weak model's answer (the shadow candidate), in [0, 1]. */
  weak: number;
  benchmark: string;
  group: string;
}

/** The text a router scores: the last user turn of the conversation. */
function lastUserText(request: Record<string, unknown> | null): string | null {
  const messages = (request?.messages ?? []) as Array<{ role?: string; content?: unknown }>;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content))
      return m.content
        .map((p) => (typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : ''))
        .join('\n');
  }
  return null;
}

/**
 * Judged pairs as router training rows: a pairwise verdict v (1 candidate better) gives weak = v,
 * strong = 1 - v, the convention of AlpacaEval's win shares; two answers scored on their own give
 * their scores; the candidate's agreement a with the incumbent gives strong = 1, weak = a. Pairs
 * without a stored request or a live score are skipped.
 */
export function routerRowsFromPairs(pairs: readonly ShadowPair[]): RouterRow[] {
  const rows: RouterRow[] = [];
  for (const pair of pairs) {
    const prompt = lastUserText(pair.request);
    const scores = liveScoresOf(pair);
    if (!prompt || scores.length === 0) continue;
    const value = (role: LiveScore['role']) => scores.find((s) => s.role === role)?.value ?? null;
    let strong: number | null = null;
    let weak: number | null = null;
    const verdict = value('pair');
    if (verdict !== null) {
      weak = verdict;
      strong = 1 - verdict;
    } else if (value('candidate') !== null) {
      weak = value('candidate');
      strong = value('baseline') ?? 1;
    }
    if (strong === null || weak === null) continue;
    rows.push({ prompt, strong, weak, benchmark: `shadow:${pair.routeId}`, group: pair.candidate });
  }
  return rows;
}
