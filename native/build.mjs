// Builds the optional identifier-hashing addon (person_key.c) at install
// time with npm's own node-gyp against the local Node.js headers. Never
// fails the install: without a compiler or headers the importer computes
// the same keys in DuckDB SQL, only slower. No download is ever attempted.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    process.env.npm_execpath && join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((p) => p && existsSync(p));
}

/** The Node.js headers: npm's nodedir setting, else those installed beside node. */
function nodeDir() {
  const configured = process.env.npm_config_nodedir;
  if (configured && existsSync(join(configured, 'include', 'node', 'node_api.h'))) return configured;
  const prefix = join(dirname(process.execPath), '..');
  if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) return prefix;
  return undefined;
}

function skip(reason) {
  console.log(`native identifier hashing not built (${reason}); the importer computes the same keys in DuckDB SQL, more slowly`);
  process.exit(0);
}

if (process.env.SANSHE_NATIVE === '0') skip('SANSHE_NATIVE=0');
const gyp = nodeGyp();
if (!gyp) skip('node-gyp not found');
const dir = nodeDir();
if (!dir) skip('Node.js headers not found');
const r = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${dir}`], { cwd: here, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
if (r.status !== 0) {
  process.stderr.write(r.stderr.split('\n').filter((l) => /error/i.test(l)).slice(0, 5).join('\n'));
  skip(`node-gyp exited with ${r.status}`);
}
console.log('native identifier hashing built: native/build/Release/person_key.node');
