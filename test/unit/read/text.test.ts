// Tests for text decoding (BOMs, UTF-8, GBK/GB18030, UTF-16), the fast binary
// rejection, empty files, and delimiter sniffing.

import { randomBytes } from 'node:crypto';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ReadError } from '../../../server/import/problems.ts';
import { decodeText, sniffDelimiter } from '../../../server/import/read/text.ts';
import { writeZip } from '../../../server/import/read/zip.ts';

function readError(fn: () => unknown): ReadError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ReadError) return err;
    throw err;
  }
  throw new Error('expected a ReadError');
}

const SAMPLE = '身份证号,姓名,注册日期,服务时长(小时)\r\n110101199001011234,张三,2015/7/1,12.5\r\n';

describe('decodeText', () => {
  it('reads UTF-8 without BOM', () => {
    expect(decodeText(Buffer.from(SAMPLE))).toEqual({ text: SAMPLE, encoding: 'utf-8' });
  });

  it('reads UTF-8 with BOM and drops the BOM', () => {
    const buf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE)]);
    expect(decodeText(buf)).toEqual({ text: SAMPLE, encoding: 'utf-8-bom' });
  });

  it('reads GBK as written by Excel on Chinese Windows', () => {
    const buf = iconv.encode(SAMPLE, 'gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(buf)).toThrow();
    expect(decodeText(buf)).toEqual({ text: SAMPLE, encoding: 'gb18030' });
  });

  it('reads GB18030 four-byte characters', () => {
    const text = '名称\n𠀀社区,㐀\n';
    expect(decodeText(iconv.encode(text, 'gb18030'))).toEqual({ text, encoding: 'gb18030' });
  });

  it('reads a large GBK file beyond the inspected prefix', () => {
    const text = SAMPLE.repeat(5000);
    const out = decodeText(iconv.encode(text, 'gbk'));
    expect(out.encoding).toBe('gb18030');
    expect(out.text).toBe(text);
  });

  it('rejects UTF-8 with a few damaged bytes instead of misreading it as GB18030', () => {
    const good = Buffer.from(SAMPLE.repeat(20));
    const lines = SAMPLE.repeat(20).split('\n');
    const at = Buffer.byteLength(lines.slice(0, 7).join('\n')) + 2; // inside line 8
    const damaged = Buffer.concat([good.subarray(0, at), Buffer.from([0xff]), good.subarray(at)]);
    const err = readError(() => decodeText(damaged));
    expect(err.code).toBe('NOT_TEXT');
    expect(err.message).toContain('第 8 行');
  });

  it('reads UTF-16 LE with BOM, tab separated (Excel "Unicode text")', () => {
    const text = '社区代码\t社区名称\t常住人口\r\n140302001003\t盐海社区\t5230\r\n';
    const buf = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const out = decodeText(buf);
    expect(out).toEqual({ text, encoding: 'utf-16le' });
    expect(sniffDelimiter(out.text)).toBe('\t');
  });

  it('reads UTF-16 BE with BOM', () => {
    const text = 'a,b\n1,2\n';
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.alloc(le.length);
    for (let i = 0; i < le.length; i += 2) {
      be[i] = le[i + 1];
      be[i + 1] = le[i];
    }
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toEqual({ text, encoding: 'utf-16be' });
  });

  it('rejects 50 MB of random bytes as NOT_TEXT in milliseconds', () => {
    const garbage = randomBytes(50 * 1024 * 1024);
    const t0 = performance.now();
    const err = readError(() => decodeText(garbage));
    const ms = performance.now() - t0;
    expect(err.code).toBe('NOT_TEXT');
    expect(err.message).toContain('文件不是可识别的文本（支持 UTF-8、GBK/GB18030、UTF-16）');
    expect(ms).toBeLessThan(200);
  });

  it('rejects random bytes without NULs (control characters)', () => {
    const garbage = randomBytes(1024 * 1024);
    for (let i = 0; i < garbage.length; i++) if (garbage[i] === 0) garbage[i] = 1;
    expect(readError(() => decodeText(garbage)).code).toBe('NOT_TEXT');
  });

  it('rejects UTF-16 without BOM (NUL bytes) with a hint', () => {
    const err = readError(() => decodeText(Buffer.from('a,b\n1,2\n', 'utf16le')));
    expect(err.code).toBe('NOT_TEXT');
    expect(err.message).toContain('BOM');
  });

  it('recognises an xlsx or zip given as text', () => {
    const zip = writeZip([{ name: 'a.csv', data: Buffer.from('1') }]);
    const err = readError(() => decodeText(zip));
    expect(err.code).toBe('NOT_TEXT');
    expect(err.message).toContain('.xlsx');
  });

  it('recognises an old .xls given as text', () => {
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    expect(readError(() => decodeText(xls)).message).toContain('.xls');
  });

  it('rejects empty and whitespace-only files as EMPTY_FILE', () => {
    for (const buf of [
      Buffer.alloc(0),
      Buffer.from('   \r\n\t\n'),
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from([0xff, 0xfe]),
      Buffer.from([0xff, 0xfe, 0x20, 0x00]),
      iconv.encode('\u3000\u3000\n', 'gbk'),
    ]) {
      const err = readError(() => decodeText(buf));
      expect(err.code).toBe('EMPTY_FILE');
      expect(err.message).toContain('文件为空');
    }
  });
});

describe('sniffDelimiter', () => {
  it('finds comma, tab and semicolon', () => {
    expect(sniffDelimiter('a,b,c\n1,2,3\n4,5,6\n')).toBe(',');
    expect(sniffDelimiter('a\tb\tc\n1\t2\t3\n')).toBe('\t');
    expect(sniffDelimiter('a;b;c\n1;2,5;3\n4;5,5;6\n')).toBe(';');
  });

  it('respects quotes, also across lines', () => {
    expect(sniffDelimiter('"a,x";"b,y";c\n"1,2";"3\n,4,5,6";7\n8;9;10\n')).toBe(';');
    expect(sniffDelimiter('名称,地址\n"盐海;社区","幸福路;1号"\n"甲;乙",丙\n')).toBe(',');
  });

  it('ignores a title row and blank lines', () => {
    const text = 'XX社区2016年第四季度志愿者名册\n\n身份证号\t姓名\t注册日期\n1\t张三\t2015-07-01\n2\t李四\t2015-08-01\n';
    expect(sniffDelimiter(text)).toBe('\t');
  });

  it('prefers the consistent delimiter over one appearing in text', () => {
    const text = '名称\t说明\n甲\t有逗号,在这里\n乙\t没有\n丙\t也没有\n';
    expect(sniffDelimiter(text)).toBe('\t');
  });

  it('defaults to comma', () => {
    expect(sniffDelimiter('just one column\nanother\n')).toBe(',');
    expect(sniffDelimiter('')).toBe(',');
  });
});
