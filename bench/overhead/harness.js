// Process and table helpers shared by the gateway benchmarks (overhead, shadow).
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const progress = (line) =>
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** Whether processes can be pinned to a CPU; when they can, this process moves to CPU 1. */
export const haveTaskset = (() => {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const children = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

/** Starts a process pinned to `cpu` and resolves once its output matches `ready`. */
export function start(name, cpu, cmd, args, env = {}, ready = /listening|ready|simulat/i) {
  const full = haveTaskset ? ['taskset', ['-c', String(cpu), cmd, ...args]] : [cmd, args];
  const child = spawn(full[0], full[1], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d) => {
      out += d;
      if (ready.test(out)) resolve(child);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${name} exited (${code}): ${out}`)));
  });
}

export const freePort = (() => {
  let next = 47_100 + Math.floor(Math.random() * 500);
  return () => next++;
})();

export const fixed = (n, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

/** Prints a Markdown table. */
export function table(head, body) {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((l) => String(l[i]).length)));
  const fmt = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  console.log(fmt(head));
  console.log(fmt(widths.map((w) => '-'.repeat(w))));
  body.forEach((l) => console.log(fmt(l)));
}

/** CPU seconds (user and system, every thread) a process has used. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
