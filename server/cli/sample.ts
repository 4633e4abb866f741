// `sanshe sample --out DIR`: write the sample district's exports (deterministic).

import { resolve } from 'node:path';
import { generateSampleDistrict } from '../../datasets/sample/generate.ts';
import { flagString, parseArgs } from './args.ts';

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const out = resolve(flagString(args, 'out') ?? args.positional[0] ?? 'datasets/out/sample-district');
  const { files } = await generateSampleDistrict(out);
  process.stdout.write(`已生成示例区数据：${files.length} 个文件，位于 ${out}\n`);
  return 0;
}
