// Fake but well-formed personal data: Chinese names, 18-digit resident ID
// numbers with a valid check digit, mobile numbers, unified social credit
// codes. None of it belongs to a real person or organisation.

import { type Rng, int, pick } from './prng.ts';

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬燕彩春菊凤洁梅琳素云莲真环雪荣爱妹香月莺媛瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽峰建国志刚海波文斌永福德明';

export function fakeName(rng: Rng): string {
  const s = pick(rng, [...SURNAMES]);
  const g = [...GIVEN];
  return rng() < 0.35 ? s + pick(rng, g) : s + pick(rng, g) + pick(rng, g);
}

export function fakePhone(rng: Rng): string {
  const prefix = pick(rng, ['130', '131', '132', '135', '136', '137', '138', '139', '150', '151', '152', '155', '158', '159', '177', '186', '187', '188', '189']);
  return prefix + String(int(rng, 0, 99_999_999)).padStart(8, '0');
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
export function idCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11];
}

/** Issues resident ID numbers that are unique within one generator run. */
export class IdIssuer {
  private used = new Set<string>();
  /** areaCode: 6 digits; birth year range inclusive. */
  next(rng: Rng, areaCode: string, minYear: number, maxYear: number): string {
    for (;;) {
      const y = int(rng, minYear, maxYear);
      const m = int(rng, 1, 12);
      const d = int(rng, 1, 28);
      const seq = String(int(rng, 1, 999)).padStart(3, '0');
      const first = `${areaCode}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${seq}`;
      const id = first + idCheckDigit(first);
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }
}

// GB 32100-2015 unified social credit code.
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
export function usccCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return USCC_CHARS[(31 - (sum % 31)) % 31];
}
export class UsccIssuer {
  private used = new Set<string>();
  next(rng: Rng, areaCode: string): string {
    for (;;) {
      let body = '';
      for (let i = 0; i < 8; i++) body += USCC_CHARS[int(rng, 0, 9)];
      body += USCC_CHARS[int(rng, 0, 30)];
      const first = `52${areaCode}${body}`;
      const code = first + usccCheck(first);
      if (!this.used.has(code)) {
        this.used.add(code);
        return code;
      }
    }
  }
}

/** Organisation name stems by canonical org_type. */
export const ORG_STEMS: Record<string, string[]> = {
  service: ['便民服务队', '为老服务中心', '家政服务社', '助残服务队', '青少年服务站', '邻里服务社', '法律服务站', '健康服务队'],
  public_welfare: ['爱心公益协会', '慈善互助会', '公益读书会', '环保志愿协会', '关爱留守儿童协会', '扶贫济困会'],
  mutual_aid: ['邻里互助会', '老年互助协会', '睦邻互助社', '妇女互助组', '失独家庭互助会'],
  culture_sports: ['夕阳红舞蹈队', '京剧票友会', '太极拳协会', '书画协会', '合唱团', '秧歌队', '乒乓球协会', '摄影协会', '广场舞队'],
  rights: ['老年人维权协会', '消费者维权站', '业主维权小组'],
  other: ['居民议事会', '楼栋长联谊会', '乡贤理事会', '红白理事会'],
};
