// Tests for our zip reader/writer: round trips, GBK names, skipped entries,
// zip bombs (declared and lying sizes, low limit and a realistic 210 MB one),
// truncation, corruption, encryption, unsupported methods and CRC-32.

import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ReadError } from '../../../server/import/problems.ts';
import { crc32, crc32Fallback, readZip, writeZip } from '../../../server/import/read/zip.ts';

function readError(fn: () => unknown): ReadError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ReadError) return err;
    throw err;
  }
  throw new Error('expected a ReadError');
}

/** Offsets of every central directory header in a zip we wrote. */
function centralHeaders(zip: Buffer): number[] {
  const out: number[] = [];
  for (let p = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); p >= 0; p = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), p + 4)) out.push(p);
  return out;
}

/** Make every entry declare `size` bytes uncompressed (a lying zip bomb). */
function lieAboutSizes(zip: Buffer, size: number): Buffer {
  const out = Buffer.from(zip);
  for (const p of centralHeaders(out)) out.writeUInt32LE(size, p + 24);
  return out;
}

describe('writeZip / readZip', () => {
  it('round-trips files, including empty and binary ones', () => {
    const files = [
      { name: 'a.csv', data: Buffer.from('代码,名称\n140302001003,盐海社区\n') },
      { name: 'sub/dir/b.txt', data: randomBytes(100_000) },
      { name: 'empty.csv', data: Buffer.alloc(0) },
    ];
    const zip = writeZip(files);
    const back = readZip(zip);
    expect(back.map((f) => f.name)).toEqual(files.map((f) => f.name));
    for (let i = 0; i < files.length; i++) expect(back[i].data.equals(files[i].data)).toBe(true);
  });

  it('writes the UTF-8 flag by default and reads UTF-8 names', () => {
    const zip = writeZip([{ name: '盐海社区_2016Q4_志愿者.csv', data: Buffer.from('x') }]);
    const [p] = centralHeaders(zip);
    expect(zip.readUInt16LE(p + 8) & 0x0800).toBe(0x0800);
    expect(readZip(zip)[0].name).toBe('盐海社区_2016Q4_志愿者.csv');
  });

  it('decodes GBK names written without the UTF-8 flag (Chinese Windows)', () => {
    const names = ['数据/盐海社区_2016Q4_志愿者.csv', '数据/社会组织名录.csv', 'plain.csv', '𠀀生僻字.csv'];
    const zip = writeZip(
      names.map((name, i) => ({ name, data: Buffer.from(`file ${i}`) })),
      { gbkNames: true },
    );
    const [p] = centralHeaders(zip);
    expect(zip.readUInt16LE(p + 8) & 0x0800).toBe(0);
    // The raw name bytes really are GBK, not UTF-8.
    expect(zip.includes(Buffer.from('志愿者', 'utf8'))).toBe(false);
    const back = readZip(zip);
    expect(back.map((f) => f.name)).toEqual(names);
    expect(back[1].data.toString()).toBe('file 1');
  });

  it('skips directories, __MACOSX/ and dot-files, and normalises backslashes', () => {
    const zip = writeZip([
      { name: 'folder/', data: Buffer.alloc(0) },
      { name: 'folder/x.csv', data: Buffer.from('1') },
      { name: '__MACOSX/folder/._x.csv', data: Buffer.from('junk') },
      { name: '.DS_Store', data: Buffer.from('junk') },
      { name: 'folder/.hidden.csv', data: Buffer.from('junk') },
      { name: 'win\\path\\y.csv', data: Buffer.from('2') },
    ]);
    expect(readZip(zip).map((f) => f.name)).toEqual(['folder/x.csv', 'win/path/y.csv']);
  });

  it('is deterministic (same input, same bytes)', () => {
    const files = [{ name: 'a.csv', data: Buffer.from('1,2,3\n') }];
    expect(writeZip(files).equals(writeZip(files))).toBe(true);
  });

  it('reads an archive with data prepended (self-extractor style)', () => {
    const zip = writeZip([{ name: 'a.csv', data: Buffer.from('hello') }]);
    const shifted = Buffer.concat([Buffer.from('MZ-some-stub-bytes'), zip]);
    expect(readZip(shifted)[0].data.toString()).toBe('hello');
  });
});

describe('zip limits (zip bombs)', () => {
  it('rejects entries that declare more than the limit, before inflating', () => {
    const zip = writeZip([
      { name: 'a.csv', data: Buffer.alloc(600_000) },
      { name: 'b.csv', data: Buffer.alloc(600_000) },
    ]);
    expect(zip.length).toBeLessThan(10_000);
    const err = readError(() => readZip(zip, { maxTotalBytes: 1024 * 1024 }));
    expect(err.code).toBe('ZIP_TOO_LARGE');
    expect(err.message).toContain('1 MB');
    expect(err.message).toContain('压缩包解压后超过');
  });

  it('stops inflating at the limit when the declared sizes lie', () => {
    const zip = lieAboutSizes(writeZip([{ name: 'bomb.csv', data: Buffer.alloc(5 * 1024 * 1024) }]), 100);
    const err = readError(() => readZip(zip, { maxTotalBytes: 1024 * 1024 }));
    expect(err.code).toBe('ZIP_TOO_LARGE');
    expect(err.message).toContain('实际大小');
    // Under the limit, the same lie is a corrupt archive (size mismatch).
    expect(readError(() => readZip(zip)).code).toBe('ZIP_CORRUPT');
  });

  it('rejects a realistic bomb: 210 MB of zeros that is small on disk', () => {
    const zeros = Buffer.alloc(210 * 1024 * 1024);
    const zip = writeZip([{ name: 'zeros.csv', data: zeros }]);
    expect(zip.length).toBeLessThan(1024 * 1024);
    const err = readError(() => readZip(zip));
    expect(err.code).toBe('ZIP_TOO_LARGE');
    expect(err.message).toContain('200 MB');
    // Lying about the size: inflation is cut off at the 200 MiB limit.
    const liar = lieAboutSizes(zip, 1000);
    const err2 = readError(() => readZip(liar));
    expect(err2.code).toBe('ZIP_TOO_LARGE');
    expect(err2.message).toContain('实际大小');
  });

  it('limits the number of entries', () => {
    const zip = writeZip([1, 2, 3].map((i) => ({ name: `${i}.csv`, data: Buffer.from(String(i)) })));
    expect(readError(() => readZip(zip, { maxEntries: 2 })).code).toBe('ZIP_TOO_LARGE');
    expect(readZip(zip, { maxEntries: 3 })).toHaveLength(3);
  });

  it('optionally limits the compression ratio', () => {
    const zip = writeZip([{ name: 'z.csv', data: Buffer.alloc(4 * 1024 * 1024) }]);
    expect(readError(() => readZip(zip, { maxRatio: 100 })).code).toBe('ZIP_TOO_LARGE');
    expect(readZip(zip)).toHaveLength(1);
  });
});

describe('broken archives', () => {
  const zip = writeZip([
    { name: 'a.csv', data: Buffer.from('a,b,c\n'.repeat(1000)) },
    { name: 'b.csv', data: randomBytes(5000) },
  ]);

  it('rejects a truncated zip', () => {
    for (const len of [10, 30, Math.floor(zip.length / 2), zip.length - 10]) {
      const err = readError(() => readZip(zip.subarray(0, len)));
      expect(err.code).toBe('ZIP_CORRUPT');
      expect(err.message).toContain('压缩包已损坏或不完整');
    }
  });

  it('rejects a zip cut off in the data (directory intact)', () => {
    // Keep the tail but make the local data overlap nothing valid.
    const broken = Buffer.from(zip);
    broken.fill(0, 0, 200);
    expect(readError(() => readZip(broken)).code).toBe('ZIP_CORRUPT');
  });

  it('detects a CRC mismatch', () => {
    const stored = Buffer.from(zip);
    const [p] = centralHeaders(stored);
    stored.writeUInt32LE((stored.readUInt32LE(p + 16) ^ 1) >>> 0, p + 16);
    const err = readError(() => readZip(stored));
    expect(err.code).toBe('ZIP_CORRUPT');
    expect(err.message).toContain('CRC');
  });

  it('rejects something that is not a zip at all', () => {
    expect(readError(() => readZip(Buffer.from('just some text, not an archive at all'))).code).toBe('ZIP_CORRUPT');
  });

  it('explains encrypted entries', () => {
    const enc = Buffer.from(zip);
    const [p] = centralHeaders(enc);
    enc.writeUInt16LE(enc.readUInt16LE(p + 8) | 1, p + 8);
    const err = readError(() => readZip(enc));
    expect(err.code).toBe('UNSUPPORTED_FILE');
    expect(err.message).toContain('密码');
  });

  it('explains unsupported compression methods', () => {
    const bz = Buffer.from(zip);
    const [p] = centralHeaders(bz);
    bz.writeUInt16LE(12, p + 10);
    const err = readError(() => readZip(bz));
    expect(err.code).toBe('UNSUPPORTED_FILE');
    expect(err.message).toContain('方法 12');
  });

  it('explains zip64 archives', () => {
    const z64 = Buffer.from(zip);
    const eocd = z64.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    z64.writeUInt32LE(0xffffffff, eocd + 16);
    const err = readError(() => readZip(z64));
    expect(err.code).toBe('UNSUPPORTED_FILE');
    expect(err.message).toContain('ZIP64');
  });
});

describe('crc32', () => {
  it('matches the known value and the fallback table', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32Fallback(Buffer.from('123456789'))).toBe(0xcbf43926);
    const data = randomBytes(10_000);
    expect(crc32Fallback(data)).toBe(crc32(data));
    if (typeof (zlib as { crc32?: unknown }).crc32 === 'function') {
      expect(crc32(data)).toBe((zlib as unknown as { crc32: (d: Buffer) => number }).crc32(data) >>> 0);
    }
  });
});
