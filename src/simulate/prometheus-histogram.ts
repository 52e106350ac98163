/** A Prometheus histogram rendered in the text exposition format. */
export class PrometheusHistogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly buckets: readonly number[],
  ) {
    this.counts = buckets.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count++;
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]) this.counts[i]++;
  }

  render(labels: string): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    const sep = labels ? ',' : '';
    this.buckets.forEach((le, i) =>
      lines.push(`${this.name}_bucket{${labels}${sep}le="${le}"} ${this.counts[i]}`),
    );
    lines.push(`${this.name}_bucket{${labels}${sep}le="+Inf"} ${this.count}`);
    lines.push(`${this.name}_sum{${labels}} ${this.sum}`);
    lines.push(`${this.name}_count{${labels}} ${this.count}`);
    return lines.join('\n');
  }
}

export function promLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
