// The source documents the targets come from (../shared/seeds), by the file
// name the catalogue and the plans cite them with: what each is, in words an
// evaluator can check against the file. Pure data, no I/O.

export interface SourceDocument {
  /** File name as cited, e.g. 003_2c62b06a88ff33d5.txt. */
  file: string;
  /** Title in simplified Chinese, as the document names itself. */
  zh: string;
  en: string;
  /** A short name for dense tables (the full title in its tooltip). */
  short: { zh: string; en: string };
  /** Who issued it or where it comes from, as far as the copy says. */
  origin: { zh: string; en: string };
  /** Year of the document (publication or plan period), when the copy gives it. */
  year?: number;
  /** The title exactly as it appears in the file (some copies are in traditional characters). */
  verbatim: string;
  /** Caveats about the copy itself. */
  note?: { zh: string; en: string };
}

export const SOURCE_DOCUMENTS: readonly SourceDocument[] = [
  {
    file: '000_e0c2374e029ca582.txt',
    zh: '和谐社区试点方案',
    en: 'Harmonious-community pilot plan',
    short: { zh: '和谐社区试点方案', en: 'Harmonious-community pilot' },
    origin: { zh: '市级和谐社区试点（网页转载，未署发文机关）', en: "a city's harmonious-community pilot (web copy, issuer not named)" },
    year: 2013,
    verbatim: '和谐社区试点方案',
    note: { zh: '试点社区名单（盐海、苑北、五星村、洋西、新民、南映）亦取自本文', en: 'the pilot communities (盐海, 苑北, 五星村, 洋西, 新民, 南映) are named here too' },
  },
  {
    file: '001_9648e96bae6bc10e.txt',
    zh: '襄阳“一站四化”社区公共服务体系解读',
    en: 'Xiangyang\'s "one station, four -isations" community public-service system, explained',
    short: { zh: '襄阳“一站四化”解读', en: 'Xiangyang one-station explainer' },
    origin: { zh: '湖北省襄阳市（文库转载的解读文档）', en: 'Xiangyang, Hubei (an explainer from a document-sharing site)' },
    year: 2011,
    verbatim: '襄阳一站四化社区公共服务体系解读',
  },
  {
    file: '002_d61f4bd436e6a52f.txt',
    zh: '进一步深化社区建设意见',
    en: 'Opinions on further deepening community building',
    short: { zh: '深化社区建设意见', en: 'Deepening community building' },
    origin: { zh: '南京市秦淮区（网页转载）', en: 'Qinhuai District, Nanjing (web copy)' },
    verbatim: '進一步深化社區(qū)建設意見',
    note: { zh: '转载件为繁体，夹有拼音注音残留', en: 'the copy is in traditional characters with stray pinyin' },
  },
  {
    file: '003_2c62b06a88ff33d5.txt',
    zh: '关于创建“全国社区治理和服务创新实验区”实施方案',
    en: 'Implementation plan for creating a "national community governance and service innovation experimental zone"',
    short: { zh: '实验区实施方案', en: 'Experimental-zone plan' },
    origin: { zh: '山西省阳泉市城区（区政府网站，2015-10-28 发布）', en: 'Chengqu District, Yangquan, Shanxi (district website, published 2015-10-28)' },
    year: 2015,
    verbatim: '关于创建“全国社区治理和服务创新实验区”实施方案',
  },
  {
    file: '004_84408c70bbfe21a3.txt',
    zh: '2023年县城社区建立落实方案',
    en: '2023 plan for establishing county-town communities',
    short: { zh: '县城社区落实方案', en: 'County-town community plan' },
    origin: { zh: '某县（文库转载，未署发文机关）', en: 'a county (document-sharing site, issuer not named)' },
    year: 2023,
    verbatim: '2023年縣城社區(qū)建立落實(shí)方案',
    note: {
      zh: '转载件为繁体、部分数字留空；示例区的中心街、北关、解放路、南关、东关社区取自本文',
      en: "traditional characters, some figures left blank; the sample district's 中心街, 北关, 解放路, 南关, 东关 come from it",
    },
  },
];

const BY_FILE: ReadonlyMap<string, SourceDocument> = new Map(SOURCE_DOCUMENTS.map((d) => [d.file, d]));

/** Seed file names look like 003_2c62b06a88ff33d5.txt. */
export const SOURCE_FILE_PATTERN = /\d{3}_[0-9a-f]{16}\.txt/g;

export function sourceDocument(file: string): SourceDocument | undefined {
  return BY_FILE.get(file);
}

/** Every seed file name a citation text mentions, in order, once each. */
export function citedFiles(text: string | null | undefined): string[] {
  return [...new Set(text?.match(SOURCE_FILE_PATTERN) ?? [])];
}
