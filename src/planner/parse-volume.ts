const SUFFIX: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12 };

/** Reads a volume such as `50M`, `1.2B`, `750k`, `2e6` or `1,000,000`; undefined when it is not one. */
export function parseVolume(text: string): number | undefined {
  const m = /^\s*([0-9][0-9_,]*(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?)\s*([kmbgt]?)\s*$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1].replace(/[_,]/g, ''));
  if (!Number.isFinite(n)) return undefined;
  const mult = m[2] ? SUFFIX[m[2].toLowerCase()] : 1;
  return n * mult;
}

/** Short human form: 1234567 → `1.23M`. */
export function formatVolume(n: number): string {
  const abs = Math.abs(n);
  const fmt = (v: number, s: string) => `${Number(v.toPrecision(3))}${s}`;
  if (abs >= 1e12) return fmt(n / 1e12, 'T');
  if (abs >= 1e9) return fmt(n / 1e9, 'B');
  if (abs >= 1e6) return fmt(n / 1e6, 'M');
  if (abs >= 1e3) return fmt(n / 1e3, 'k');
  return String(Math.round(n));
}
