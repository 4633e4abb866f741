// The importer: one code path for the CLI, the HTTP upload and the sample
// district. A batch of paths is read, staged, typed, checked and loaded in one
// transaction; any error anywhere rolls the whole batch back and is reported
// with every problem found. Byte-identical files already stored are skipped.

import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import type { Store } from '../db/store.ts';
import { storedFields, type TableDef } from './contract/tables.ts';
import { periodFromName } from './contract/values.ts';
import { bulkEligible, stageBulk } from './bulk.ts';
import { checkTyped, loadExports, loadRegistry, loadUnitsFromProfiles, type PendingExport } from './load.ts';
import { ImportRejected, type Problem } from './problems.ts';
import { hmacPads, loadOrCreateSecret } from './secret.ts';
import { type MappedSheet, readDocument } from './sheets.ts';
import { collectDocuments, DEFAULT_LIMITS, type Document, type ImportLimits } from './sources.ts';
import { stageSheet, type StagedSheet } from './stage.ts';
import { type TypedSheet, typeSheet } from './typing.ts';

export interface ImportOptions {
  importedBy?: string;
  source?: 'cli' | 'http' | 'sample' | 'test';
  dryRun?: boolean;
  limits?: Partial<ImportLimits>;
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportProgress {
  phase: 'read' | 'check' | 'load' | 'done';
  done: number;
  total: number;
  file?: string;
}

export interface FileSummary {
  file: string;
  sha256: string;
  bytes: number;
  status: 'loaded' | 'unchanged' | 'checked';
  rows: number;
  tables: string[];
}

export interface ImportSummary {
  batchId: number | null;
  status: 'committed' | 'unchanged' | 'dry_run';
  files: FileSummary[];
  rows: number;
  /** Warnings (errors reject the import instead). */
  problems: Problem[];
  dataVersion: number;
}

class DryRunDone extends Error {}

export async function importPaths(store: Store, paths: string[], opts: ImportOptions = {}): Promise<ImportSummary> {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const progress = opts.onProgress ?? (() => {});
  const problems: Problem[] = [];
  const { docs, unreadable } = collectDocuments(paths, limits);
  for (const u of unreadable) problems.push({ code: u.error.code, severity: 'error', file: u.display, message: u.error.message });

  // Byte-identical files already stored (or twice in this batch) change nothing.
  const known = new Set((await store.all<{ sha256: string }>(`SELECT DISTINCT sha256 FROM import_files`)).map((r) => r.sha256));
  const fresh: Document[] = [];
  const files: FileSummary[] = [];
  for (const d of docs) {
    if (known.has(d.sha256)) {
      files.push({ file: d.display, sha256: d.sha256, bytes: d.bytes, status: 'unchanged', rows: 0, tables: [] });
    } else {
      known.add(d.sha256);
      fresh.push(d);
    }
  }
  if (fresh.length === 0 && !problems.some((p) => p.severity === 'error')) {
    return { batchId: null, status: 'unchanged', files, rows: 0, problems, dataVersion: await store.dataVersion() };
  }

  const sheets: MappedSheet[] = [];
  const bulkDocs = fresh.filter(bulkEligible);
  const readInJs = (d: Document) => {
    const out = readDocument(d);
    sheets.push(...out.sheets);
    problems.push(...out.problems);
    encodings.set(d, out.encoding);
  };
  const encodings = new Map<Document, string | undefined>();
  fresh.forEach((d, i) => {
    progress({ phase: 'read', done: i, total: fresh.length, file: d.display });
    if (!bulkEligible(d)) readInJs(d);
  });
  const tempDirs: string[] = [];

  const secret = loadOrCreateSecret(store.path);
  const pads = hmacPads(secret);
  try {
    return await store.transaction(async () => {
      const batchId = ((await store.one<{ n: number }>(`SELECT coalesce(max(batch_id), 0)::INTEGER + 1 AS n FROM import_batches`))?.n ?? 1) as number;
      await store.run(`INSERT INTO import_batches VALUES ($id, now(), NULL, $by, $src, 'committed', $n, 0, NULL)`, {
        id: batchId,
        by: opts.importedBy ?? process.env.USER ?? 'unknown',
        src: opts.source ?? 'cli',
        n: fresh.length,
      });
      const fileIds = new Map<Document, number>();
      const firstFile = ((await store.one<{ n: number }>(`SELECT coalesce(max(file_id), 0)::INTEGER AS n FROM import_files`))?.n ?? 0) as number;
      for (const [i, d] of fresh.entries()) {
        const id = firstFile + i + 1;
        fileIds.set(d, id);
        await store.run(`INSERT INTO import_files VALUES ($id, $batch, $path, $name, $container, $sha, $bytes, $format, $enc, 0)`, {
          id,
          batch: batchId,
          path: d.display,
          name: basename(d.display),
          container: d.container ?? null,
          sha: d.sha256,
          bytes: d.bytes,
          format: d.format,
          enc: encodings.get(d) ?? null,
        });
      }

      // Stage every sheet as text: large text files through DuckDB's reader.
      const staged: StagedSheet[] = [];
      let seq = 0;
      for (const [i, d] of bulkDocs.entries()) {
        progress({ phase: 'read', done: i, total: bulkDocs.length, file: d.display });
        const r = await stageBulk(store, d, seq++, problems);
        if (r?.tempDir) tempDirs.push(r.tempDir);
        if (r === null) readInJs(d);
        else {
          encodings.set(d, r.encoding);
          if (r.staged) staged.push(r.staged);
        }
      }
      for (const [d, e] of encodings) {
        if (e) await store.run(`UPDATE import_files SET encoding = $e WHERE file_id = $f`, { e, f: fileIds.get(d)! });
      }
      for (const [i, s] of sheets.entries()) {
        progress({ phase: 'check', done: i, total: sheets.length, file: s.doc.display });
        const st = await stageSheet(store, s, seq++, problems);
        if (st) staged.push(st);
      }
      const byShape = (shape: TableDef['shape']) => staged.filter((s) => s.source.table.shape === shape);

      // Registries, then profiles, define the units the rosters may name.
      for (const st of byShape('registry')) {
        const t = await typeSheet(store, st, st.source.table.fields, { ...pads }, problems);
        await loadRegistry(store, t, batchId);
      }
      const profiles: TypedSheet[] = [];
      for (const st of byShape('profile')) {
        const period = periodFromName(st.source.doc.display);
        profiles.push(await typeSheet(store, st, profileFields(st.source.table), { ...pads, defaultPeriod: period }, problems));
      }
      await loadUnitsFromProfiles(store, profiles, batchId);
      const groupDefaults = await profileDefaults(store, profiles);
      const unitNames = await store.all<{ code: string; name: string }>(
        `SELECT code, name FROM org_units WHERE name IS NOT NULL AND length(name) >= 2 ORDER BY length(name) DESC`,
      );

      const rosters: TypedSheet[] = [];
      for (const st of byShape('roster')) {
        const doc = st.source.doc;
        const g = groupDefaults.get(doc.group);
        const defaultUnit = g?.unit ?? unitNames.find((u) => doc.display.includes(u.name))?.code;
        const defaultPeriod = periodFromName(basename(doc.display)) ?? g?.period ?? periodFromName(doc.display);
        rosters.push(await typeSheet(store, st, storedFields(st.source.table), { ...pads, defaultUnit, defaultPeriod }, problems));
      }
      for (const t of [...profiles, ...rosters]) await checkTyped(store, t, problems);
      rejectOnErrors(problems);

      progress({ phase: 'load', done: 0, total: 1 });
      const pending: PendingExport[] = [...profiles, ...rosters].map((typed) => ({ typed, fileId: fileIds.get(typed.staged.source.doc)! }));
      const empty = rosters
        .filter((t) => t.staged.rowCount === 0)
        .map((t) => {
          const doc = t.staged.source.doc;
          const g = groupDefaults.get(doc.group);
          const unit = g?.unit ?? unitNames.find((u) => doc.display.includes(u.name))?.code;
          const period = periodFromName(basename(doc.display)) ?? g?.period;
          return { fileId: fileIds.get(doc)!, sheet: t.staged.source.sheet, table: t.staged.source.table, unit, period, file: doc.display };
        })
        .filter((e): e is typeof e & { unit: string; period: string } => !!e.unit && !!e.period);
      const rows = await loadExports(store, batchId, pending, empty, problems);
      rejectOnErrors(problems);

      await store.run(
        `UPDATE import_files f SET row_count = coalesce((SELECT sum(row_count) FROM exports e WHERE e.file_id = f.file_id), 0) WHERE batch_id = $b`,
        { b: batchId },
      );
      const warnings = problems.filter((p) => p.severity === 'warning');
      await store.run(`UPDATE import_batches SET finished_at = now(), row_count = $rows, warnings = $w WHERE batch_id = $b`, {
        rows,
        w: JSON.stringify(warnings),
        b: batchId,
      });
      await store.run(`UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR) WHERE key = 'data_version'`);
      const perFile = await store.all<{ file_id: number; rows: number; tables: string[] }>(
        `SELECT file_id, sum(row_count)::BIGINT AS rows, list(DISTINCT table_name ORDER BY table_name) AS tables FROM exports WHERE batch_id = $b GROUP BY file_id`,
        { b: batchId },
      );
      const pf = new Map(perFile.map((r) => [r.file_id, r]));
      for (const d of fresh) {
        const r = pf.get(fileIds.get(d)!);
        files.push({ file: d.display, sha256: d.sha256, bytes: d.bytes, status: opts.dryRun ? 'checked' : 'loaded', rows: Number(r?.rows ?? 0), tables: r?.tables ?? [] });
      }
      const summary: ImportSummary = {
        batchId: opts.dryRun ? null : batchId,
        status: opts.dryRun ? 'dry_run' : 'committed',
        files,
        rows,
        problems: warnings,
        dataVersion: opts.dryRun ? await store.dataVersion() - 1 : await store.dataVersion(),
      };
      await dropTemps(store);
      for (const t of tempDirs) rmSync(t, { recursive: true, force: true });
      progress({ phase: 'done', done: 1, total: 1 });
      if (opts.dryRun) throw Object.assign(new DryRunDone(), { summary });
      return summary;
    });
  } catch (err) {
    await dropTemps(store).catch(() => {});
    for (const t of tempDirs) rmSync(t, { recursive: true, force: true });
    if (err instanceof DryRunDone) return (err as DryRunDone & { summary: ImportSummary }).summary;
    throw err;
  }
}

function rejectOnErrors(problems: Problem[]): void {
  if (problems.some((p) => p.severity === 'error')) throw new ImportRejected(problems);
}

/** A profile keeps its unit code as org_unit; its stored fields follow. */
function profileFields(t: TableDef) {
  return storedFields(t);
}

/** Per export group, the (unit, period) its single profile row names. */
async function profileDefaults(store: Store, profiles: TypedSheet[]): Promise<Map<string, { unit?: string; period?: string }>> {
  const out = new Map<string, { unit?: string; period?: string }>();
  for (const p of profiles) {
    const r = await store.all<{ org_unit: string; period: string }>(`SELECT DISTINCT org_unit, period FROM ${p.table} WHERE org_unit IS NOT NULL`);
    if (r.length === 1) out.set(p.staged.source.doc.group, { unit: r[0].org_unit, period: r[0].period ?? undefined });
    else if (r.length > 1) {
      const periods = new Set(r.map((x) => x.period));
      if (periods.size === 1) out.set(p.staged.source.doc.group, { period: r[0].period });
    }
  }
  return out;
}

async function dropTemps(store: Store): Promise<void> {
  // Views first: they depend on the staging and dictionary tables.
  const views = await store.all<{ name: string }>(
    `SELECT view_name AS name FROM duckdb_views() WHERE temporary AND regexp_matches(view_name, '^stg_')`,
  );
  for (const v of views) await store.run(`DROP VIEW IF EXISTS temp.main.${v.name}`);
  const tables = await store.all<{ name: string }>(
    `SELECT table_name AS name FROM duckdb_tables() WHERE temporary AND regexp_matches(table_name, '^(stg|typ|dct|ctx|raw)_|^prof_units$')`,
  );
  for (const t of tables) await store.run(`DROP TABLE IF EXISTS temp.main.${t.name}`);
}
