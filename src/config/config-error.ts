import type { z } from 'zod';

/** A config problem, with the key path and what to do about it. Printed by `config check` and at start-up. */
export class ConfigError extends Error {
  readonly issues: string[];
  constructor(source: string, issues: string[]) {
    super(`${source}: invalid configuration\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export function describeZodIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.length
      ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.')
      : '(root)';
    const key = path.replace(/\.\[/g, '[');
    if (issue.code === 'unrecognized_keys') {
      return `${key}: unknown key(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}; remove or check the spelling (see docs/config.md)`;
    }
    return `${key}: ${issue.message}`;
  });
}
