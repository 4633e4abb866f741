// `npm run --silent sanshe -- <command>`: the command-line entry. Each
// command lives in its own module exporting `run(args): Promise<exitCode>`.

const COMMANDS: Record<string, { help: string; load: () => Promise<{ run: (args: string[]) => Promise<number> }> }> = {
  import: { help: 'import [--db FILE] [--dry-run] [--json] PATH...   导入文件、文件夹或 zip', load: () => import('./import.ts') },
  batches: { help: 'batches [--db FILE] [--json]                     导入历史', load: () => import('./batches.ts') },
  template: { help: 'template --out FILE.xlsx                          生成填报模板', load: () => import('./template.ts') },
  report: { help: 'report --db FILE --plan ID|FILE --period P ...    指标报告', load: () => import('./report.ts') },
  check: { help: 'check --db FILE --plan ID --period P              验收检查', load: () => import('./check.ts') },
  user: { help: 'user add|passwd|disable|enable|list --db FILE ...    账号管理', load: () => import('./user.ts') },
  sample: { help: 'sample --out DIR                                  生成示例区数据', load: () => import('./sample.ts') },
};

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const entry = cmd ? COMMANDS[cmd] : undefined;
  if (!entry) {
    process.stderr.write(`用法 usage: sanshe <command>\n${Object.values(COMMANDS).map((c) => `  ${c.help}`).join('\n')}\n`);
    return cmd ? 2 : 0;
  }
  return (await entry.load()).run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`错误 error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
