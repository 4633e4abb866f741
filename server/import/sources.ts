// Turns the paths given to an import (files, folders, zips) into documents:
// the leaf files to read, each with its SHA-256, its display name and the
// export group it belongs to (the workbook, zip or folder it came in).

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, extname, join, relative } from 'node:path';
import { ReadError } from './problems.ts';
import { LineCounter, type LineStats } from './read/lines.ts';
import { readZip } from './read/zip.ts';

export interface ImportLimits {
  /** Largest single file read into memory (text or xlsx). */
  maxFileBytes: number;
  /** Largest total expansion of one zip. */
  maxZipBytes: number;
}

export const DEFAULT_LIMITS: ImportLimits = { maxFileBytes: 200 * 1024 * 1024, maxZipBytes: 200 * 1024 * 1024 };

/** Text files from this size on take the bulk path (server/import/bulk.ts). */
export const BULK_MIN_BYTES = 16 * 1024 * 1024;

export type DocFormat = 'xlsx' | 'text' | 'zip' | 'other';

export interface Document {
  /** As the user knows it: `2016Q4/盐海社区.zip/志愿者.csv`. */
  display: string;
  /** Documents of one group share the profile's unit and period. */
  group: string;
  format: DocFormat;
  /** '' for a large text file on disk until `docFacts` has settled. */
  sha256: string;
  bytes: number;
  /** Path on disk when the document is a plain file (enables streaming reads). */
  diskPath?: string;
  /** Content when it came out of a zip. */
  data?: Buffer;
  /** Zip the document came from, if any. */
  container?: string;
  /** For large text files on disk: line statistics taken while hashing. */
  lineStats?: LineStats;
  /**
   * A large text file on disk (a bulk path candidate): its SHA-256 and line
   * statistics are taken by one streaming read (`docFacts`), which the
   * importer overlaps with DuckDB's staging of the same file.
   */
  large?: boolean;
  /** The streaming read of a large file, once started. */
  facts?: Promise<void>;
}

export interface Unreadable {
  display: string;
  error: ReadError;
  /** Files of other types found while walking a folder are only noted. */
  severity: 'error' | 'warning';
}

export function formatOf(name: string): DocFormat {
  const ext = extname(name).toLowerCase();
  if (ext === '.xlsx' || ext === '.xlsm') return 'xlsx';
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv') return 'text';
  if (ext === '.zip') return 'zip';
  if (ext === '.xls') return 'xlsx'; // read as xlsx so the reader can say it is the old format
  return 'other';
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Chunk size of the streaming read of a large file. */
const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * SHA-256 and line statistics of a file in one streaming read through one
 * reused buffer: the file is never held whole in memory, and the JavaScript
 * thread hashes between chunks while DuckDB works on its own threads.
 */
export async function streamFacts(path: string): Promise<{ sha256: string; lineStats: LineStats }> {
  const hash = createHash('sha256');
  const lines = new LineCounter();
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      hash.update(chunk);
      lines.push(chunk);
    }
  } finally {
    await fh.close();
  }
  return { sha256: hash.digest('hex'), lineStats: lines.finish() };
}

/**
 * Start (once) and await the streaming read of a large document, which fills
 * in its `sha256` and `lineStats`; settles at once for other documents.
 */
export function docFacts(doc: Document): Promise<void> {
  if (!doc.large) return Promise.resolve();
  if (!doc.facts) {
    doc.facts = streamFacts(doc.diskPath!).then((f) => {
      doc.sha256 = f.sha256;
      doc.lineStats = f.lineStats;
    });
    // Started ahead of need: an error surfaces where it is awaited, not as an unhandled rejection.
    doc.facts.catch(() => {});
  }
  return doc.facts;
}

/** Walk paths; folders recursively in name order so results are deterministic. */
export function collectDocuments(paths: string[], limits: ImportLimits = DEFAULT_LIMITS): { docs: Document[]; unreadable: Unreadable[] } {
  const docs: Document[] = [];
  const unreadable: Unreadable[] = [];
  const visitFile = (path: string, display: string, inFolder = false) => {
    const fmt = formatOf(path);
    const size = statSync(path).size;
    if (fmt === 'other') {
      const message = inFolder ? '不是可导入的文件类型，已跳过' : '不支持的文件类型（支持 .xlsx、.csv、.txt、.tsv、.zip）';
      return void unreadable.push({ display, error: new ReadError('UNSUPPORTED_FILE', message), severity: inFolder ? 'warning' : 'error' });
    }
    if (fmt === 'zip') {
      if (size > limits.maxZipBytes) return void unreadable.push({ display, error: tooLarge(size, limits.maxZipBytes), severity: 'error' });
      const data = readFileSync(path);
      try {
        const entries = readZip(data, { maxTotalBytes: limits.maxZipBytes });
        for (const e of entries) {
          const f = formatOf(e.name);
          if (f === 'other' || f === 'zip') continue;
          const inner = `${display}/${e.name}`;
          // Entries of one zip form one export unless they sit in sub-folders.
          const sub = dirname(e.name) === '.' ? '' : `/${dirname(e.name)}`;
          docs.push({ display: inner, group: `${display}${sub}`, format: f, sha256: sha256(e.data), bytes: e.data.length, data: e.data, container: display });
        }
      } catch (err) {
        if (err instanceof ReadError) unreadable.push({ display, error: err, severity: 'error' });
        else throw err;
      }
      return;
    }
    if (size > limits.maxFileBytes && fmt === 'xlsx') return void unreadable.push({ display, error: tooLarge(size, limits.maxFileBytes), severity: 'error' });
    // Large text files are hashed later, streaming (docFacts); the rest now.
    const large = fmt === 'text' && size >= BULK_MIN_BYTES;
    docs.push({
      display,
      group: fmt === 'xlsx' ? display : dirname(display),
      format: fmt,
      sha256: large ? '' : sha256(readFileSync(path)),
      bytes: size,
      diskPath: path,
      ...(large ? { large } : {}),
    });
  };
  for (const p of paths) {
    if (!existsSync(p)) {
      unreadable.push({ display: p, error: new ReadError('UNSUPPORTED_FILE', '文件或文件夹不存在'), severity: 'error' });
      continue;
    }
    const st = statSync(p);
    if (st.isDirectory()) {
      const root = dirname(p);
      const walk = (dir: string) => {
        for (const name of readdirSync(dir).sort()) {
          if (name.startsWith('.')) continue;
          const full = join(dir, name);
          if (statSync(full).isDirectory()) walk(full);
          else visitFile(full, relative(root, full), true);
        }
      };
      walk(p);
    } else visitFile(p, basename(p));
  }
  return { docs, unreadable };
}

function tooLarge(size: number, limit: number): ReadError {
  return new ReadError('FILE_TOO_LARGE', `文件大小 ${(size / 1048576).toFixed(1)} MB 超过上限 ${Math.round(limit / 1048576)} MB`);
}

export function docBytes(d: Document): Buffer {
  return d.data ?? readFileSync(d.diskPath!);
}
