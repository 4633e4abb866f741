// The sample district's org units and how each community exports its data.

import type { DateStyle, Quarter } from './dates.ts';

export const SEED = 20150701;
export const GENERATOR_VERSION = 'sample-district/1.1.0';

export type Level = 'district' | 'street' | 'community';
export type AreaType = 'urban' | 'rural';

export interface OrgUnit {
  code: string;
  name: string;
  level: Level;
  parentCode: string | null;
  areaType: AreaType | null;
}

export type ExportForm = 'xlsx' | 'zip' | 'folder';
export type VolunteerPath = 'early' | 'mid' | 'late' | 'never';

/** How one community writes its exports (the same every quarter). */
export interface ExportStyle {
  form: ExportForm;
  /** Picks header synonyms and enum spellings. */
  variant: number;
  dateStyle: DateStyle;
  /** Spelling of the report period in the profile and file names (see periodText). */
  periodStyle: number;
  /** Booleans: 0 是/否, 1 Y/N, 2 √/empty. */
  boolStyle: number;
  /** Survey scores as words (非常满意 ...) instead of 1..5. */
  scoreWords: boolean;
  /** Roster rows carry the community code and period columns. */
  rowUnitColumns: boolean;
  // xlsx only
  codeNumeric: boolean;
  totalsRow: boolean;
  blankRowAfterTitle: boolean;
  unitsInHeaders: boolean;
  // text forms only
  delimiter: ',' | ';' | '\t';
  bom: boolean;
  ext: '.csv' | '.txt';
}

export interface CommunitySpec {
  unit: OrgUnit;
  street: OrgUnit;
  /** Named in the seed documents (000 or 004). */
  seedNamed: boolean;
  volunteerPath: VolunteerPath;
  /** Sends a participation roster (else the profile's participants count). */
  participationRoster: boolean;
  style: ExportStyle;
}

export const DISTRICT: OrgUnit = { code: '140302', name: '城区', level: 'district', parentCode: null, areaType: null };

const STREET_DEFS: { code: string; name: string; communities: string[] }[] = [
  { code: '140302001', name: '大洋街道', communities: ['盐海社区', '海滨社区', '渔港社区', '大洋新村社区', '东升社区', '海口村'] },
  { code: '140302002', name: '五星街道', communities: ['苑北社区', '五星村', '苑南社区', '星光社区', '建设路社区', '富民社区'] },
  { code: '140302003', name: '毓龙街道', communities: ['洋西社区', '洋东社区', '龙湖社区', '文昌社区', '毓秀社区', '龙泉村'] },
  { code: '140302004', name: '新区街道', communities: ['新民社区', '南映社区', '锦绣社区', '阳光社区', '和平社区', '康乐社区'] },
  { code: '140302005', name: '凤栖街道', communities: ['中心街社区', '北关社区', '解放路社区', '南关社区', '东关社区', '西关社区'] },
  { code: '140302100', name: '河口镇', communities: ['河口村', '李家庄村', '王家峪村', '柳树沟村', '石门村', '后河村'] },
];

export const SEED_COMMUNITIES = ['盐海社区', '苑北社区', '五星村', '洋西社区', '新民社区', '南映社区', '中心街社区', '北关社区', '解放路社区', '南关社区', '东关社区'];

/** The one (community, quarter) without an export. */
export const MISSING: { name: string; quarter: Quarter } = { name: '渔港社区', quarter: '2017Q1' };

const PARTICIPATION_ROSTER = new Set(['苑北社区', '南映社区', '东关社区', '锦绣社区', '五星村', '龙湖社区']);
const DATE_STYLES: DateStyle[] = ['excel', 'slash', 'cn', 'compact', 'iso', 'dot'];
const PATHS: VolunteerPath[] = ['early', 'late', 'mid', 'never'];

export const STREETS: OrgUnit[] = STREET_DEFS.map((s) => ({
  code: s.code,
  name: s.name,
  level: 'street',
  parentCode: DISTRICT.code,
  areaType: null,
}));

function styleFor(i: number): ExportStyle {
  const form: ExportForm = (['xlsx', 'zip', 'folder'] as const)[i % 3];
  const k = Math.floor(i / 3);
  let dateStyle = DATE_STYLES[(k + i) % DATE_STYLES.length];
  if (form !== 'xlsx' && dateStyle === 'excel') dateStyle = 'iso';
  return {
    form,
    variant: i,
    dateStyle,
    periodStyle: k % 5,
    boolStyle: (i + k) % 3,
    scoreWords: i % 4 === 1,
    rowUnitColumns: k % 2 === 1,
    codeNumeric: form === 'xlsx' && k % 2 === 0,
    totalsRow: form === 'xlsx' && k % 3 !== 2,
    blankRowAfterTitle: k % 2 === 1,
    unitsInHeaders: k % 3 === 1,
    delimiter: form === 'zip' ? (k % 2 === 0 ? ',' : ';') : k % 4 === 3 ? '\t' : ',',
    bom: form === 'folder' && k % 2 === 0,
    ext: form === 'folder' && k % 4 === 3 ? '.txt' : '.csv',
  };
}

export function buildCommunitySpecs(): CommunitySpec[] {
  const out: CommunitySpec[] = [];
  let i = 0;
  for (const def of STREET_DEFS) {
    const street = STREETS.find((s) => s.code === def.code)!;
    let urbanSeq = 0;
    let ruralSeq = 0;
    for (const name of def.communities) {
      const rural = name.endsWith('村');
      const local = rural ? 200 + ++ruralSeq : ++urbanSeq;
      const unit: OrgUnit = {
        code: def.code + String(local).padStart(3, '0'),
        name,
        level: 'community',
        parentCode: def.code,
        areaType: rural ? 'rural' : 'urban',
      };
      out.push({
        unit,
        street,
        seedNamed: SEED_COMMUNITIES.includes(name),
        volunteerPath: PATHS[(i * 7 + 3) % 4],
        participationRoster: PARTICIPATION_ROSTER.has(name),
        style: styleFor(i),
      });
      i++;
    }
  }
  return out;
}

export function allUnits(specs: CommunitySpec[]): OrgUnit[] {
  return [DISTRICT, ...STREETS, ...specs.map((s) => s.unit)];
}
