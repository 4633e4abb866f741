// Text files (CSV/TSV/TXT) as communities really send them: decode the bytes
// (UTF-8 with or without BOM, UTF-16 with BOM, else GB18030, which covers GBK
// as written by Excel on Chinese Windows), reject binary files quickly by
// looking only at a bounded prefix, and guess the delimiter.

import iconv from 'iconv-lite';
import { ReadError } from '../problems.ts';

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'gb18030';

/** Bytes inspected by the binary check: enough to judge, small enough to be instant. */
const PREFIX_BYTES = 64 * 1024;

const NOT_TEXT_MESSAGE = '文件不是可识别的文本（支持 UTF-8、GBK/GB18030、UTF-16），可能是二进制文件或已损坏';

function notText(detail?: string): ReadError {
  return new ReadError('NOT_TEXT', detail ? `${NOT_TEXT_MESSAGE}：${detail}` : `${NOT_TEXT_MESSAGE}。`);
}

/** Control characters other than TAB, LF, VT, FF, CR and SUB (DOS end-of-file). */
function isBadControl(c: number): boolean {
  return (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0b && c !== 0x0c && c !== 0x0d && c !== 0x1a) || c === 0x7f;
}

/** Reject raw bytes that are clearly binary (no BOM case): NUL bytes or many control bytes. */
function checkRawPrefix(buf: Buffer): void {
  if (buf.length >= 4) {
    if (buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04) {
      throw notText('内容是 Excel 工作簿（.xlsx）或 ZIP 压缩包，请使用正确的扩展名。');
    }
    if (buf[0] === 0xd0 && buf[1] === 0xcf && buf[2] === 0x11 && buf[3] === 0xe0) {
      throw notText('内容是旧版 Excel 文件（.xls），请在 Excel 中另存为 .xlsx 或 CSV 后再导入。');
    }
  }
  const n = Math.min(buf.length, PREFIX_BYTES);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const c = buf[i];
    if (c === 0) throw notText('文件中含有 NUL 字节（若为 UTF-16 文本，请另存为带 BOM 的 Unicode 文本或 UTF-8）。');
    if (isBadControl(c)) controls++;
  }
  if (n > 0 && controls / n > 0.02) throw notText('文件中含有大量控制字符。');
}

/** Reject decoded text (prefix only) with many control, replacement or private-use characters. */
function checkDecodedPrefix(text: string, allowPrivateUse: boolean): void {
  const n = Math.min(text.length, PREFIX_BYTES);
  let controls = 0;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) throw notText('文件中含有 NUL 字符。');
    if (c < 0x80) {
      if (isBadControl(c)) controls++;
    } else if (c === 0xfffd || (!allowPrivateUse && c >= 0xe000 && c <= 0xf8ff)) {
      bad++;
    }
  }
  if (n > 0 && (controls / n > 0.02 || bad / n > 0.01)) throw notText('文件中含有大量无法识别的字符。');
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function assertNotEmpty(text: string): void {
  if (text.trim() === '') throw new ReadError('EMPTY_FILE', '文件为空（没有任何内容），请检查是否导出了正确的文件。');
}

/**
 * A file that is UTF-8 except for a few bad bytes would turn into nonsense if
 * read as GB18030: reject it, naming the line. (GBK read as UTF-8 gives mostly
 * replacement characters, so it never trips this.)
 */
function rejectDamagedUtf8(buf: Buffer): void {
  const text = buf.toString('utf8');
  let nonAscii = 0;
  let bad = 0;
  let first = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    nonAscii++;
    if (c === 0xfffd) {
      bad++;
      if (first < 0) first = i;
    }
  }
  if (first >= 0 && nonAscii >= 20 && bad / nonAscii < 0.01) {
    let line = 1;
    for (let i = text.indexOf('\n'); i >= 0 && i < first; i = text.indexOf('\n', i + 1)) line++;
    throw notText(`文件基本是 UTF-8 编码，但第 ${line} 行含有无效字节（文件可能已损坏，或混合了不同编码），请检查后另存为 UTF-8 再导入。`);
  }
}

/** Decode a text file's bytes, detecting the encoding. Throws NOT_TEXT for binary, EMPTY_FILE for empty. */
export function decodeText(buf: Buffer): { text: string; encoding: TextEncoding } {
  if (buf.length === 0) throw new ReadError('EMPTY_FILE', '文件为空（0 字节），请检查是否导出了正确的文件。');

  // Byte order marks.
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    const body = buf.subarray(3);
    checkRawPrefix(body);
    let text: string;
    try {
      text = utf8Strict.decode(body);
    } catch {
      throw notText('文件标明为 UTF-8（带 BOM），但含有无效的 UTF-8 字节。');
    }
    assertNotEmpty(text);
    checkDecodedPrefix(text, true);
    return { text, encoding: 'utf-8-bom' };
  }
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    const le = buf[0] === 0xff;
    const body = buf.subarray(2);
    const text = new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(body);
    assertNotEmpty(text);
    checkDecodedPrefix(text, true);
    return { text, encoding: le ? 'utf-16le' : 'utf-16be' };
  }

  checkRawPrefix(buf);
  try {
    const text = utf8Strict.decode(buf);
    assertNotEmpty(text);
    checkDecodedPrefix(text, true);
    return { text, encoding: 'utf-8' };
  } catch (err) {
    if (err instanceof ReadError) throw err;
  }
  rejectDamagedUtf8(buf);
  // GB18030 decodes almost any byte sequence, so judge the result: random bytes
  // come out full of replacement and private-use characters.
  const prefix = iconv.decode(buf.subarray(0, Math.min(buf.length, PREFIX_BYTES)), 'gb18030');
  checkDecodedPrefix(prefix.length > 1 ? prefix.slice(0, -1) : prefix, false);
  const text = buf.length <= PREFIX_BYTES ? prefix : iconv.decode(buf, 'gb18030');
  assertNotEmpty(text);
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, encoding: 'gb18030' };
}

/** Field counts of the first `maxRecords` non-empty records, quotes respected. */
function fieldCounts(text: string, delim: number, maxRecords: number): number[] {
  const counts: number[] = [];
  const n = Math.min(text.length, 1024 * 1024);
  let i = 0;
  let fields = 1;
  let filled = false;
  let atFieldStart = true;
  while (i < n && counts.length < maxRecords) {
    const c = text.charCodeAt(i);
    if (c === 0x22 && atFieldStart) {
      // Quoted field: skip to the closing quote ("" is an escaped quote).
      i++;
      while (i < n) {
        if (text.charCodeAt(i) === 0x22) {
          if (text.charCodeAt(i + 1) === 0x22) i += 2;
          else break;
        } else i++;
      }
      if (i >= n) break; // cut inside a quote: ignore the partial record
      i++;
      filled = true;
      atFieldStart = false;
      continue;
    }
    if (c === delim) {
      fields++;
      filled = true;
      atFieldStart = true;
    } else if (c === 0x0a || c === 0x0d) {
      if (filled) counts.push(fields);
      fields = 1;
      filled = false;
      atFieldStart = true;
      if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
    } else if (c !== 0x20 && c !== 0x09) {
      filled = true;
      atFieldStart = false;
    } else if (c === 0x09) {
      // a tab that is not the delimiter is just whitespace
      if (!atFieldStart) filled = true;
    }
    i++;
  }
  if (filled && i >= text.length && counts.length < maxRecords) counts.push(fields);
  return counts;
}

/**
 * Guess the delimiter from the first ~50 non-empty records: the candidate whose
 * most common field count (> 1) is shared by the most records; ties go to the
 * higher count, then comma, tab, semicolon. Default comma.
 */
export function sniffDelimiter(text: string): ',' | '\t' | ';' {
  const candidates: (',' | '\t' | ';')[] = [',', '\t', ';'];
  let best: ',' | '\t' | ';' = ',';
  let bestMatches = 0;
  let bestCount = 0;
  for (const d of candidates) {
    const counts = fieldCounts(text, d.charCodeAt(0), 50);
    const freq = new Map<number, number>();
    for (const c of counts) if (c > 1) freq.set(c, (freq.get(c) ?? 0) + 1);
    let mode = 0;
    let matches = 0;
    for (const [c, f] of freq) {
      if (f > matches || (f === matches && c > mode)) {
        mode = c;
        matches = f;
      }
    }
    if (matches > bestMatches || (matches === bestMatches && matches > 0 && mode > bestCount)) {
      best = d;
      bestMatches = matches;
      bestCount = mode;
    }
  }
  return best;
}
