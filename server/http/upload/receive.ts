// Receives a multipart upload (field `files`, one or many files or zips)
// into a fresh temp folder with busboy, enforcing the size limits while the
// bytes arrive: a file over the limit, too many files or too many bytes in
// all end the request with 413 and nothing is kept.

import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import busboy from 'busboy';
import type { Request } from 'express';
import type { UploadLimits } from '../context.ts';
import { ApiError } from '../errors.ts';

export interface Received {
  dir: string;
  files: { name: string; path: string; bytes: number }[];
}

const mb = (n: number) => `${Math.round(n / 1048576)} MB`;
export const tooLarge = (zh: string, en: string) => new ApiError(413, 'TOO_LARGE', `上传过大：${zh} (${en})`);

/** A safe file name that keeps the unit and period a community wrote into it. */
export function safeName(raw: string): string {
  const base = basename(raw.replace(/\\/g, '/')).replace(/[\u0000-\u001f<>:"|?*]/g, '_').trim();
  return base && base !== '.' && base !== '..' ? base.slice(0, 200) : 'upload';
}

export function receive(req: Request, limits: UploadLimits): Promise<Received> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limits.maxTotalBytes) {
    return Promise.reject(tooLarge(`请求 ${mb(declared)} 超过上限 ${mb(limits.maxTotalBytes)}`, 'request too large'));
  }
  if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
    return Promise.reject(new ApiError(415, 'NOT_MULTIPART', '请以 multipart/form-data 上传文件，字段名 files (upload files as multipart/form-data, field "files")'));
  }
  const dir = mkdtempSync(join(tmpdir(), 'sanshe-upload-'));
  return new Promise<Received>((resolve, reject) => {
    const files: Received['files'] = [];
    const writes: Promise<void>[] = [];
    let total = 0;
    let failed: ApiError | null = null;
    const fail = (e: ApiError) => {
      if (failed) return;
      failed = e;
      req.unpipe(bb);
      req.resume();
      Promise.allSettled(writes).then(() => {
        rmSync(dir, { recursive: true, force: true });
        reject(e);
      });
    };
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: 20 }, defParamCharset: 'utf8' });
    } catch {
      rmSync(dir, { recursive: true, force: true });
      reject(new ApiError(400, 'BAD_MULTIPART', '上传格式错误 (malformed multipart body)'));
      return;
    }
    bb.on('file', (field, stream, info) => {
      if (failed || field !== 'files') {
        stream.resume();
        return;
      }
      let name = safeName(info.filename ?? 'upload');
      if (files.some((f) => f.name === name)) name = `${files.length}_${name}`;
      const path = join(dir, name);
      const entry = { name, path, bytes: 0 };
      files.push(entry);
      const out = createWriteStream(path);
      stream.on('data', (chunk: Buffer) => {
        entry.bytes += chunk.length;
        total += chunk.length;
        if (total > limits.maxTotalBytes) fail(tooLarge(`上传总量超过上限 ${mb(limits.maxTotalBytes)}`, 'upload exceeds the total size limit'));
      });
      stream.on('limit', () => fail(tooLarge(`文件「${name}」超过单个文件上限 ${mb(limits.maxFileBytes)}`, `file ${name} exceeds the per-file limit`)));
      writes.push(
        new Promise((res, rej) => {
          out.on('finish', () => res());
          out.on('error', rej);
          stream.pipe(out);
        }),
      );
    });
    bb.on('filesLimit', () => fail(tooLarge(`文件数超过上限 ${limits.maxFiles} 个`, 'too many files')));
    bb.on('error', () => fail(new ApiError(400, 'BAD_MULTIPART', '上传格式错误 (malformed multipart body)')));
    bb.on('close', () => {
      if (failed) return;
      Promise.all(writes).then(
        () => {
          if (files.length === 0) {
            rmSync(dir, { recursive: true, force: true });
            reject(new ApiError(400, 'NO_FILES', '没有收到文件，字段名应为 files (no files received in field "files")'));
          } else resolve({ dir, files });
        },
        () => {
          rmSync(dir, { recursive: true, force: true });
          reject(new ApiError(500, 'INTERNAL_ERROR', '保存上传文件失败 (could not store the upload)'));
        },
      );
    });
    req.pipe(bb);
  });
}
