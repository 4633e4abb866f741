// tsx datasets/sample/cli.ts OUT_DIR — writes the sample district and prints a one-line summary.

import { stat } from 'node:fs/promises';
import { generateSampleDistrict } from './generate.ts';
import { buildSampleModel } from './model.ts';

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: tsx datasets/sample/cli.ts OUT_DIR');
  process.exit(2);
}
const t0 = performance.now();
const { files } = await generateSampleDistrict(outDir);
let bytes = 0;
for (const f of files) bytes += (await stat(f)).size;
const m = buildSampleModel();
const rural = m.communities.filter((c) => c.spec.unit.areaType === 'rural').length;
console.log(
  `sample district ${m.district.code} ${m.district.name}: ${m.streets.length} streets, ${m.communities.length} communities (${rural} rural), ` +
    `${m.quarters[0]}..${m.quarters[m.quarters.length - 1]}, ${files.length} files, ${(bytes / 1048576).toFixed(1)} MB, ` +
    `missing ${m.missing.name} ${m.missing.quarter}, ${((performance.now() - t0) / 1000).toFixed(1)} s -> ${outDir}`,
);
