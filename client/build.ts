// `npm start` runs this first: build client/dist with Vite when it is missing
// or older than any client source (or vite.config.ts). Node-side, not bundled.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'dist' || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Whether client/dist is missing or older than the sources. */
export function clientStale(): boolean {
  const index = join(ROOT, 'client', 'dist', 'index.html');
  if (!existsSync(index)) return true;
  const src = Math.max(newest(join(ROOT, 'client')), statSync(join(ROOT, 'vite.config.ts')).mtimeMs);
  return statSync(index).mtimeMs < src;
}

/** Builds when stale; returns whether it built. Throws with Vite's output on failure. */
export function buildClientIfStale(): boolean {
  if (!clientStale()) return false;
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vite build failed (看板前端构建失败):\n${r.stdout}\n${r.stderr}`);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    if (buildClientIfStale()) process.stdout.write('看板前端已构建 client/dist (dashboard built)\n');
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
