/**
 * Keeps a label's distinct values bounded: model names and workloads come from clients, and every
 * new value is a new time series. Past the cap, new values are reported as `other`.
 */
export class LabelCap {
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  value(raw: string | null | undefined): string {
    const v = raw === null || raw === undefined || raw === '' ? 'none' : raw;
    if (this.seen.has(v)) return v;
    if (this.seen.size >= this.max) return 'other';
    this.seen.add(v);
    return v;
  }
}
