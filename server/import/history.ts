// Reading the import history: batches with their files, and superseded exports.

import type { Store } from '../db/store.ts';
import { utcIsoSql } from '../db/time.ts';

export interface BatchFile {
  file_id: number;
  path: string;
  sha256: string;
  bytes: number;
  format: string;
  encoding: string | null;
  row_count: number;
}

export interface BatchRow {
  batch_id: number;
  /** ISO 8601 UTC, e.g. 2026-11-25T08:10:57Z. */
  started_at: string;
  finished_at: string | null;
  imported_by: string;
  source: string;
  status: string;
  file_count: number;
  row_count: number;
  files: BatchFile[];
}

export async function listBatches(store: Store): Promise<BatchRow[]> {
  const rows = await store.all<Omit<BatchRow, 'files'> & { files: BatchFile[] | null }>(
    `SELECT b.batch_id, ${utcIsoSql('b.started_at')} AS started_at,
            ${utcIsoSql('b.finished_at')} AS finished_at, b.imported_by, b.source, b.status,
            b.file_count, b.row_count::INTEGER AS row_count,
            (SELECT list({file_id: f.file_id, path: f.path, sha256: f.sha256, bytes: f.bytes, format: f.format,
                          encoding: f.encoding, row_count: f.row_count} ORDER BY f.file_id)
             FROM import_files f WHERE f.batch_id = b.batch_id) AS files
     FROM import_batches b ORDER BY b.batch_id DESC`,
  );
  return rows.map((r) => ({
    ...r,
    row_count: Number(r.row_count),
    files: (r.files ?? []).map((f) => ({ ...f, bytes: Number(f.bytes), row_count: Number(f.row_count) })),
  }));
}
