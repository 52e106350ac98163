/** Returns f(x) and writes ∇f(x) into `grad`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  maxIterations: number;
  /** Pairs of past steps kept to approximate the curvature. */
  memory?: number;
  /** Stop when the gradient norm falls below this, relative to max(1, |x|). */
  tolerance?: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Limited-memory BFGS with a backtracking (Armijo) line search, minimising `f` from `x` in place.
 * The router's objective is smooth and convex, where this converges in far fewer passes over the
 * data than stochastic gradient descent and needs no learning-rate tuning.
 */
export function minimizeLbfgs(
  f: Objective,
  x: Float64Array,
  options: LbfgsOptions,
): { value: number; iterations: number } {
  const n = x.length;
  const m = options.memory ?? 10;
  const tol = options.tolerance ?? 1e-6;
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(m);
  const g = new Float64Array(n);
  const gNew = new Float64Array(n);
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  let fx = f(x, g);
  let it = 0;
  for (; it < options.maxIterations; it++) {
    const gNorm = Math.sqrt(dot(g, g));
    if (gNorm <= tol * Math.max(1, Math.sqrt(dot(x, x)))) break;
    // Two-loop recursion: d = -H·g.
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let k = s.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(s[k], d);
      const yk = y[k];
      for (let i = 0; i < n; i++) d[i] -= alpha[k] * yk[i];
    }
    if (s.length > 0) {
      const last = s.length - 1;
      const gamma = dot(s[last], y[last]) / dot(y[last], y[last]);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    } else {
      for (let i = 0; i < n; i++) d[i] /= gNorm;
    }
    for (let k = 0; k < s.length; k++) {
      const beta = rho[k] * dot(y[k], d);
      const sk = s[k];
      for (let i = 0; i < n; i++) d[i] += (alpha[k] - beta) * sk[i];
    }
    let slope = dot(g, d);
    if (slope >= 0) {
      // Not a descent direction (curvature estimate went stale): restart from steepest descent.
      s.length = y.length = rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i] / gNorm;
      slope = dot(g, d);
    }
    let step = 1;
    let fNew = 0;
    let accepted = false;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      fNew = f(xNew, gNew);
      if (Number.isFinite(fNew) && fNew <= fx + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) break;
    const sk = new Float64Array(n);
    const yk = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sk[i] = xNew[i] - x[i];
      yk[i] = gNew[i] - g[i];
    }
    const sy = dot(sk, yk);
    if (sy > 1e-12) {
      if (s.length === m) {
        s.shift();
        y.shift();
        rho.shift();
      }
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
    }
    x.set(xNew);
    g.set(gNew);
    const improvement = fx - fNew;
    fx = fNew;
    if (improvement <= 1e-10 * Math.max(1, Math.abs(fx))) {
      it++;
      break;
    }
  }
  return { value: fx, iterations: it };
}
