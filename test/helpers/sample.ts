// The generated sample district, shared by every test file of a run (and by
// later runs): generated once into the system temp folder under a key made
// of the generator's own source, so a changed generator never serves stale
// files. A directory lock keeps parallel test workers from generating twice.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSampleDistrict } from '../../datasets/sample/generate.ts';

const GENERATOR_DIR = join(import.meta.dirname, '../../datasets/sample');

function generatorKey(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(GENERATOR_DIR).sort()) if (f.endsWith('.ts')) h.update(f).update(readFileSync(join(GENERATOR_DIR, f)));
  // The writers it uses (zip) shape the bytes too.
  h.update(readFileSync(join(import.meta.dirname, '../../server/import/read/zip.ts')));
  return h.digest('hex').slice(0, 16);
}

/** Path of a complete generated sample district (read-only: copy before changing it). */
export async function sampleDistrictDir(): Promise<string> {
  const dir = join(tmpdir(), `sanshe-sample-${generatorKey()}`);
  if (existsSync(join(dir, 'manifest.json'))) return dir;
  const lock = `${dir}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(join(dir, 'manifest.json'))) return dir;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (!existsSync(join(dir, 'manifest.json'))) {
      const work = `${dir}.tmp-${process.pid}`;
      rmSync(work, { recursive: true, force: true });
      await generateSampleDistrict(work);
      renameSync(work, dir);
    }
    return dir;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
