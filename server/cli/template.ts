// `sanshe template --out FILE.xlsx`: the fill-in workbook for communities.

import { resolve } from 'node:path';
import { writeTemplate } from '../import/template.ts';
import { flagString, parseArgs } from './args.ts';

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const out = flagString(args, 'out') ?? args.positional[0];
  if (!out) {
    process.stderr.write('用法: sanshe template --out FILE.xlsx\n');
    return 2;
  }
  await writeTemplate(resolve(out));
  process.stdout.write(`已生成填报模板：${resolve(out)}\n`);
  return 0;
}
