// The source-document registry: every seed file the catalogue and the preset
// plans cite is in it, and (where the seeds are beside the project) each
// entry's title is the one its file carries. The client's rendering of a
// citation: titles for known files, the text around them kept.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sourceParts, sourceText } from '../../../client/lib/sources.tsx';
import { CATALOGUE } from '../../../metrics/catalogue/index.ts';
import { loadPlan, PRESETS } from '../../../metrics/plans/load.ts';
import { citedFiles, SOURCE_DOCUMENTS, SOURCE_FILE_PATTERN, sourceDocument } from '../../../metrics/sources.ts';

const SEEDS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/seeds');

function allCitations(): string[] {
  const texts: (string | undefined)[] = CATALOGUE.map((c) => c.source);
  for (const id of PRESETS) {
    const p = loadPlan(id);
    texts.push(p.source, ...p.indicators.map((i) => i.source));
  }
  return texts.filter((t): t is string => !!t);
}

describe('source documents', () => {
  it('every seed file cited by the catalogue or a preset plan is registered, with a title', () => {
    const cited = new Set(allCitations().flatMap(citedFiles));
    expect(cited.size).toBeGreaterThanOrEqual(4);
    for (const f of cited) {
      const d = sourceDocument(f);
      expect(d, f).toBeDefined();
      expect(d!.zh.length).toBeGreaterThan(3);
      expect(d!.en.length).toBeGreaterThan(3);
    }
    // Registered names are seed file names, once each.
    const files = SOURCE_DOCUMENTS.map((d) => d.file);
    expect(new Set(files).size).toBe(files.length);
    for (const f of files) expect(f).toMatch(new RegExp(`^${SOURCE_FILE_PATTERN.source}$`));
  });

  it('finds every file a citation names, once each', () => {
    expect(citedFiles('000_e0c2374e029ca582.txt (001_9648e96bae6bc10e.txt: >= 10 %), 000_e0c2374e029ca582.txt')).toEqual([
      '000_e0c2374e029ca582.txt',
      '001_9648e96bae6bc10e.txt',
    ]);
    expect(citedFiles('社区基本情况表')).toEqual([]);
    expect(citedFiles(undefined)).toEqual([]);
  });

  it.skipIf(!existsSync(SEEDS))('each entry is a file in the seeds whose text carries its title; every seed is registered', () => {
    const seeds = readdirSync(SEEDS).filter((f) => f.endsWith('.txt'));
    expect(seeds.sort()).toEqual(SOURCE_DOCUMENTS.map((d) => d.file).sort());
    for (const d of SOURCE_DOCUMENTS) expect(readFileSync(join(SEEDS, d.file), 'utf8'), d.file).toContain(d.verbatim);
  });

  it('renders a citation with titles for known files and the rest as it is', () => {
    const text = '003_2c62b06a88ff33d5.txt（以居民满意作为根本评价标准，未规定数值）';
    expect(sourceText(text, 'zh')).toBe('《关于创建“全国社区治理和服务创新实验区”实施方案》（003_2c62b06a88ff33d5.txt）（以居民满意作为根本评价标准，未规定数值）');
    expect(sourceText('000_e0c2374e029ca582.txt (001_9648e96bae6bc10e.txt: >= 10 %)', 'en')).toBe(
      `Harmonious-community pilot plan (000_e0c2374e029ca582.txt) (Xiangyang's "one station, four -isations" community public-service system, explained (001_9648e96bae6bc10e.txt): >= 10 %)`,
    );
    // In English a Chinese remark after the file keeps its words in ASCII brackets.
    expect(sourceText(text, 'en')).toBe(
      'Implementation plan for creating a "national community governance and service innovation experimental zone" (003_2c62b06a88ff33d5.txt) (以居民满意作为根本评价标准，未规定数值)',
    );
    // An unknown file name and a document cited by name stay as written.
    expect(sourceText('999_0000000000000000.txt', 'zh')).toBe('999_0000000000000000.txt');
    expect(sourceParts('民政部《培育发展社区社会组织专项行动方案（2021—2023年）》')).toEqual([{ text: '民政部《培育发展社区社会组织专项行动方案（2021—2023年）》' }]);
    expect(sourceParts(null)).toEqual([]);
  });
});
