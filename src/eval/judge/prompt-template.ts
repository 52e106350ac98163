import { ScorerError } from '../scorers/scorer.js';

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

/**
 * Checks once, when a prompt file is loaded, that it uses only the placeholders this judge fills
 * and all the ones it must: a misspelt `{{answr_a}}` would otherwise send the judge a prompt with
 * the answer missing and quietly produce nonsense verdicts.
 */
export function checkTemplate(
  template: string,
  allowed: readonly string[],
  required: readonly string[],
  what: string,
): void {
  const used = new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]));
  const unknown = [...used].filter((u) => !allowed.includes(u));
  if (unknown.length)
    throw new ScorerError(
      `${what}: unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `{{${u}}}`).join(', ')}; available: ${allowed.map((a) => `{{${a}}}`).join(', ')}`,
    );
  const missing = required.filter((r) => !used.has(r));
  if (missing.length)
    throw new ScorerError(`${what}: the prompt must contain ${missing.map((m) => `{{${m}}}`).join(', ')}`);
}

export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => values[name] ?? '');
}
