/** Turns `gpt-4o*` style patterns into a tester; plain strings compare without a regex. */
export function compileGlob(pattern: string): (value: string) => boolean {
  if (!/[*?]/.test(pattern)) return (value) => value === pattern;
  const source = pattern
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const re = new RegExp(`^${source}$`);
  return (value) => re.test(value);
}

/** Any of several patterns. */
export function compileGlobs(patterns: string | readonly string[]): (value: string) => boolean {
  const testers = (typeof patterns === 'string' ? [patterns] : patterns).map(compileGlob);
  return (value) => testers.some((t) => t(value));
}
