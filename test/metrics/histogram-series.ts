import parsePrometheusTextFormat, { type ParsedSample } from 'parse-prometheus-text-format';

/**
 * One labelled series of a histogram, parsed. parse-prometheus-text-format merges every label set
 * of a histogram into one (it keeps only unlabelled sums and counts), so the family is cut down to
 * the lines of one label set before parsing.
 */
export function histogramSeries(text: string, name: string, labels: Record<string, string>): ParsedSample {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const lines = text.split('\n').filter((line) => {
    if (line === `# TYPE ${name} histogram`) return true;
    if (!line.startsWith(`${name}_`)) return false;
    const open = line.indexOf('{');
    const labelText = open < 0 ? '' : line.slice(open + 1, line.lastIndexOf('}'));
    const pairs = labelText.split(',').filter((p) => !p.startsWith('le='));
    return wanted.length === pairs.length && wanted.every((w) => pairs.includes(w));
  });
  const stripped = lines.map((line) =>
    line.replace(/\{([^}]*)\}/, (_m, inner: string) => {
      const le = inner.split(',').find((p) => p.startsWith('le='));
      return le ? `{${le}}` : '';
    }),
  );
  const family = parsePrometheusTextFormat(`${stripped.join('\n')}\n`).find((f) => f.name === name);
  if (!family || family.metrics.length !== 1)
    throw new Error(`no single series of ${name} with ${wanted.join(',')}`);
  return family.metrics[0];
}
