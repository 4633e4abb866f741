// Our own small zip reader and writer. Communities send CSV folders as .zip,
// and every .xlsx is a zip: we read the central directory ourselves so that
// we control memory (a zip bomb can never expand past the limit, because every
// inflate runs with `maxOutputLength`), decode GBK entry names written by
// Chinese Windows, verify CRC-32, and fail with a clear Chinese message.
// Only what real exports use is supported: methods stored (0) and deflate (8),
// no encryption, no zip64, no multi-volume archives.

import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { ReadError } from '../problems.ts';
import type { FileEntry } from './types.ts';

export interface ZipLimits {
  /** Sum of the uncompressed sizes of the returned entries. Default 200 MiB. */
  maxTotalBytes?: number;
  /** Number of entries in the central directory. Default 10,000. */
  maxEntries?: number;
  /** Highest uncompressed/compressed ratio of one entry (checked only when given, for entries over 1 MiB). */
  maxRatio?: number;
}

export const DEFAULT_MAX_TOTAL_BYTES = 200 * 1024 * 1024;
export const DEFAULT_MAX_ENTRIES = 10_000;

/** One entry of the central directory, not yet extracted. */
export interface ZipEntryInfo {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Offset of the local header (already corrected for data prepended to the archive). */
  localOffset: number;
  isDirectory: boolean;
  /** Directory, `__MACOSX/` resource fork, or dot-file: never returned. */
  skipped: boolean;
}

/** An opened archive: the entry list plus an extractor sharing one size budget. */
export interface OpenedZip {
  entries: ZipEntryInfo[];
  /** Decompress one entry; throws ZIP_TOO_LARGE when the shared budget runs out. */
  extract(entry: ZipEntryInfo): Buffer;
}

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const MIB = 1024 * 1024;

function corrupt(detail: string): ReadError {
  return new ReadError('ZIP_CORRUPT', `压缩包已损坏或不完整（${detail}），请重新压缩或重新下载后再导入。`);
}

function tooLarge(limit: number, detail = ''): ReadError {
  const mb = Math.round((limit / MIB) * 10) / 10;
  return new ReadError(
    'ZIP_TOO_LARGE',
    `压缩包解压后超过 ${mb} MB 上限${detail ? `（${detail}）` : ''}，请拆分成多个较小的压缩包后分别导入。`,
  );
}

function unsupported(message: string): ReadError {
  return new ReadError('UNSUPPORTED_FILE', message);
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** Entry names: UTF-8 when flagged (bit 11); otherwise strict UTF-8, then GB18030 (Chinese Windows). */
function decodeName(raw: Buffer, utf8Flag: boolean): string {
  if (utf8Flag) return raw.toString('utf8');
  let ascii = true;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return raw.toString('latin1');
  try {
    return utf8Strict.decode(raw);
  } catch {
    return iconv.decode(raw, 'gb18030');
  }
}

/** Info-ZIP Unicode Path extra field (0x7075): a UTF-8 name some Windows tools add beside a GBK name. */
function unicodePathExtra(extra: Buffer, rawName: Buffer): string | undefined {
  let p = 0;
  while (p + 4 <= extra.length) {
    const id = extra.readUInt16LE(p);
    const len = extra.readUInt16LE(p + 2);
    if (p + 4 + len > extra.length) return undefined;
    if (id === 0x7075 && len >= 5 && extra[p + 4] === 1) {
      const nameCrc = extra.readUInt32LE(p + 5);
      if (nameCrc !== crc32(rawName)) return undefined;
      try {
        return utf8Strict.decode(extra.subarray(p + 9, p + 4 + len));
      } catch {
        return undefined;
      }
    }
    p += 4 + len;
  }
  return undefined;
}

function normaliseName(name: string): string {
  let n = name.replace(/\\/g, '/');
  while (n.startsWith('./')) n = n.slice(2);
  while (n.startsWith('/')) n = n.slice(1);
  return n;
}

function isSkipped(name: string, isDirectory: boolean): boolean {
  if (isDirectory) return true;
  const parts = name.split('/');
  if (parts[0] === '__MACOSX') return true;
  return parts.some((p) => p.startsWith('.'));
}

/** Locate and parse the central directory. Extraction is lazy (see `extract`). */
export function openZip(buf: Buffer, limits: ZipLimits = {}): OpenedZip {
  const maxTotal = limits.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
  const maxEntries = limits.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const maxRatio = limits.maxRatio;

  if (buf.length < 22) throw corrupt('文件太短，不是完整的 ZIP 文件');

  // End of central directory: the last 22 bytes plus a comment of up to 64 KiB.
  let eocd = -1;
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  for (let p = buf.length - 22; p >= stop; p--) {
    if (buf[p] === 0x50 && buf.readUInt32LE(p) === SIG_EOCD) {
      const commentLen = buf.readUInt16LE(p + 20);
      if (p + 22 + commentLen <= buf.length) {
        eocd = p;
        break;
      }
    }
  }
  if (eocd < 0) throw corrupt('找不到 ZIP 目录，文件可能被截断');

  const disk = buf.readUInt16LE(eocd + 4);
  const cdDisk = buf.readUInt16LE(eocd + 6);
  const entriesOnDisk = buf.readUInt16LE(eocd + 8);
  const totalEntries = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffsetDeclared = buf.readUInt32LE(eocd + 16);

  const zip64 =
    (eocd >= 20 && buf.readUInt32LE(eocd - 20) === SIG_ZIP64_LOCATOR) ||
    totalEntries === 0xffff ||
    cdSize === 0xffffffff ||
    cdOffsetDeclared === 0xffffffff;
  if (zip64) {
    throw unsupported('压缩包使用了 ZIP64 格式（超过 4 GB 或 65535 个文件），不受支持，请拆分成较小的压缩包后再导入。');
  }
  if (disk !== 0 || cdDisk !== 0 || entriesOnDisk !== totalEntries) {
    throw unsupported('这是分卷压缩包，不受支持，请合并成一个完整的 .zip 文件后再导入。');
  }
  if (totalEntries > maxEntries) {
    throw new ReadError(
      'ZIP_TOO_LARGE',
      `压缩包内有 ${totalEntries} 个文件，超过 ${maxEntries} 个的上限，请拆分后分别导入。`,
    );
  }
  if (cdSize > eocd) throw corrupt('ZIP 目录位置无效');
  // Data prepended to the archive (self-extractors) shifts every offset by the same amount.
  const shift = eocd - cdSize - cdOffsetDeclared;
  if (shift < 0) throw corrupt('ZIP 目录位置无效');
  const cdStart = cdOffsetDeclared + shift;

  const entries: ZipEntryInfo[] = [];
  let p = cdStart;
  for (let i = 0; i < totalEntries; i++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== SIG_CENTRAL) throw corrupt('ZIP 目录记录无效');
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    const end = p + 46 + nameLen + extraLen + commentLen;
    if (end > eocd) throw corrupt('ZIP 目录记录无效');
    const rawName = buf.subarray(p + 46, p + 46 + nameLen);
    const extra = buf.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
    const utf8Flag = (flags & 0x0800) !== 0;
    const decoded = (!utf8Flag && unicodePathExtra(extra, rawName)) || decodeName(rawName, utf8Flag);
    const name = normaliseName(decoded);
    if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) {
      throw unsupported('压缩包使用了 ZIP64 格式（单个文件超过 4 GB），不受支持。');
    }
    const isDirectory = name === '' || name.endsWith('/');
    entries.push({
      name,
      method,
      flags,
      crc,
      compressedSize,
      size,
      localOffset: localOffset + shift,
      isDirectory,
      skipped: isSkipped(name, isDirectory),
    });
    p = end;
  }

  let used = 0;
  const extract = (e: ZipEntryInfo): Buffer => {
    if (e.flags & 0x0001 || e.method === 99) {
      throw unsupported(`压缩包中的文件「${e.name}」已加密（设置了密码），请解除密码后重新压缩再导入。`);
    }
    if (e.method !== 0 && e.method !== 8) {
      throw unsupported(
        `压缩包中的文件「${e.name}」使用了不支持的压缩方式（方法 ${e.method}），请用标准 ZIP（Deflate）格式重新压缩后再导入。`,
      );
    }
    const remaining = maxTotal - used;
    if (e.size > remaining) throw tooLarge(maxTotal);
    const lp = e.localOffset;
    if (lp + 30 > buf.length || buf.readUInt32LE(lp) !== SIG_LOCAL) throw corrupt(`文件「${e.name}」的本地头无效`);
    const dataStart = lp + 30 + buf.readUInt16LE(lp + 26) + buf.readUInt16LE(lp + 28);
    const dataEnd = dataStart + e.compressedSize;
    if (dataEnd > buf.length) throw corrupt(`文件「${e.name}」的数据被截断`);
    const raw = buf.subarray(dataStart, dataEnd);
    let out: Buffer;
    if (e.method === 0) {
      if (e.compressedSize !== e.size) throw corrupt(`文件「${e.name}」的大小不一致`);
      out = Buffer.from(raw); // copy: do not keep the whole archive alive
    } else {
      try {
        // maxOutputLength stops inflation as soon as the output would pass the budget.
        // An honest declared size lets zlib write into one buffer (no chunk concatenation).
        const chunkSize = Math.max(16 * 1024, Math.min(e.size + 64, remaining + 1, 64 * MIB));
        out = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(1, remaining), chunkSize });
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
          throw tooLarge(maxTotal, `文件「${e.name}」解压后的实际大小超过上限`);
        }
        throw corrupt(`文件「${e.name}」无法解压`);
      }
      if (out.length > remaining) throw tooLarge(maxTotal);
      if (out.length !== e.size) throw corrupt(`文件「${e.name}」解压后的大小与记录不符`);
    }
    if (maxRatio !== undefined && out.length > MIB && out.length > Math.max(1, e.compressedSize) * maxRatio) {
      throw tooLarge(maxTotal, `文件「${e.name}」的压缩比异常，疑似“压缩炸弹”`);
    }
    if (crc32(out) !== e.crc) throw corrupt(`文件「${e.name}」的 CRC 校验失败`);
    used += out.length;
    return out;
  };

  return { entries, extract };
}

/**
 * Read every file of a zip archive (directories, `__MACOSX/` and dot-files skipped).
 * Names are the entry paths inside the archive; the importer prefixes the archive name.
 */
export function readZip(
  buf: Buffer,
  limits?: { maxTotalBytes?: number; maxEntries?: number; maxRatio?: number },
): FileEntry[] {
  const zip = openZip(buf, limits);
  const maxTotal = limits?.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
  const wanted = zip.entries.filter((e) => !e.skipped);
  // Declared sizes first: a bomb that tells the truth fails before any inflation.
  let declared = 0;
  for (const e of wanted) declared += e.size;
  if (declared > maxTotal) throw tooLarge(maxTotal);
  return wanted.map((e) => ({ name: e.name, data: zip.extract(e) }));
}

// ---------------------------------------------------------------------------
// CRC-32

let crcTable: Uint32Array | undefined;

function crc32Table(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const nativeCrc32: ((data: Uint8Array) => number) | undefined =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (data) => (zlib as unknown as { crc32: (d: Uint8Array) => number }).crc32(data) >>> 0
    : undefined;

/** CRC-32 (zip polynomial): node:zlib's when available (Node 20.15+), else a table implementation. */
export function crc32(data: Uint8Array): number {
  return nativeCrc32 ? nativeCrc32(data) : crc32Table(data);
}

/** Exposed for tests: the table implementation used when node:zlib has no crc32. */
export const crc32Fallback = crc32Table;

// ---------------------------------------------------------------------------
// Writer

export interface WriteZipOptions {
  /** Write names in GB18030 without the UTF-8 flag, as Chinese Windows does. */
  gbkNames?: boolean;
  /** Modification time stored for every entry (default 2020-01-01 00:00, so output is reproducible). */
  date?: Date;
}

function dosDateTime(d: Date): { date: number; time: number } {
  const year = Math.min(2107, Math.max(1980, d.getFullYear()));
  return {
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
  };
}

/** Write a zip archive: deflate, UTF-8 names (or GB18030 names with `gbkNames`), no zip64. */
export function writeZip(entries: { name: string; data: Buffer }[], options: WriteZipOptions = {}): Buffer {
  if (entries.length > 0xfffe) throw new Error('writeZip: too many entries for a zip without zip64');
  const { date, time } = dosDateTime(options.date ?? new Date(2020, 0, 1));
  const flags = options.gbkNames ? 0 : 0x0800;
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = options.gbkNames ? iconv.encode(e.name, 'gb18030') : Buffer.from(e.name, 'utf8');
    const isDir = e.name.endsWith('/');
    const compressed = isDir ? Buffer.alloc(0) : zlib.deflateRawSync(e.data);
    const method = isDir ? 0 : 8;
    const crc = crc32(e.data);
    if (e.data.length > 0xfffffffe || compressed.length > 0xfffffffe || offset > 0xfffffffe) {
      throw new Error('writeZip: archive too large for a zip without zip64');
    }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(SIG_LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(SIG_CENTRAL, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(isDir ? 0x10 : 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(SIG_EOCD, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}
