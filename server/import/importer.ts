// The importer: one code path for the CLI, the HTTP upload and the sample
// district. A batch of paths is read, staged, typed, checked and loaded in one
// transaction; any error anywhere rolls the whole batch back and is reported
// with every problem found. Byte-identical files already stored are skipped.

import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import type { Store } from '../db/store.ts';
import { bulkEligible, stageBulk } from './bulk.ts';
import { type FieldDef, storedFields, TABLES, type TableDef } from './contract/tables.ts';
import { periodFromName } from './contract/values.ts';
import { checkConflicts, checkTyped, createExports, loadRegistry, loadRows, loadUnitsFromProfiles, supersede } from './load.ts';
import { preparePersonKeys } from './personKey.ts';
import { ImportRejected, type Problem, ReadError } from './problems.ts';
import { hmacPads, loadOrCreateSecret } from './secret.ts';
import { type MappedSheet, readDocument } from './sheets.ts';
import { collectDocuments, DEFAULT_LIMITS, type Document, docFacts, type ImportLimits } from './sources.ts';
import { type StagedRelation, stageSheets } from './stage.ts';
import { type SheetDefaults, type TypedRelation, typeRelation } from './typing.ts';

export interface ImportOptions {
  importedBy?: string;
  source?: 'cli' | 'http' | 'sample' | 'test';
  dryRun?: boolean;
  limits?: Partial<ImportLimits>;
  onProgress?: (p: ImportProgress) => void;
  /**
   * Runs inside the transaction once every row of the batch is loaded (the
   * new batch is the store's latest), on a dry run too; a throw rolls the
   * batch back and reaches the caller (the HTTP upload's scope check).
   */
  beforeCommit?: (store: Store) => Promise<void>;
  /**
   * Key identifiers with the native addon when it is built (the default);
   * false computes the same keys in DuckDB SQL (tests, the benchmark).
   */
  nativeKeys?: boolean;
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
  for (const u of unreadable) problems.push({ code: u.error.code, severity: u.severity, file: u.display, message: u.error.message });

  // Byte-identical files already stored (or twice in this batch) change nothing.
  // Identity is content plus name: the name may carry the unit and period,
  // so the same bytes under another quarter's name are a new export.
  const identity = (sha: string, name: string) => `${sha}\u0000${name}`;
  // A large text file is hashed by a streaming read that runs while DuckDB
  // stages it. Only a file with the name and size of a stored one (or of
  // another file of this batch) can be byte-identical to it: those alone are
  // hashed before deciding, the rest are new whatever their hash.
  const sizeKey = (name: string, bytes: number | bigint) => `${name}\u0000${bytes}`;
  const storedFiles = () => store.all<{ sha256: string; name: string; bytes: number }>(`SELECT DISTINCT sha256, name, bytes FROM import_files`);
  const stored = await storedFiles();
  const known = new Set(stored.map((r) => identity(r.sha256, r.name)));
  const storedSizes = new Set(stored.map((r) => sizeKey(r.name, r.bytes)));
  const sizeOf = (d: Document) => sizeKey(basename(d.display), d.bytes);
  const batchSizes = new Map<string, number>();
  for (const d of docs) batchSizes.set(sizeOf(d), (batchSizes.get(sizeOf(d)) ?? 0) + 1);
  const mayRepeat = (d: Document) => storedSizes.has(sizeOf(d)) || batchSizes.get(sizeOf(d))! > 1;
  await Promise.all(docs.filter(mayRepeat).map(docFacts));
  // The rest start now and are awaited where their hash or line count is needed.
  for (const d of docs) void docFacts(d).catch(() => {});
  const fresh: Document[] = [];
  const files: FileSummary[] = [];
  for (const d of docs) {
    if (d.sha256 === '') {
      fresh.push(d);
      continue;
    }
    const id = identity(d.sha256, basename(d.display));
    if (known.has(id)) {
      files.push({ file: d.display, sha256: d.sha256, bytes: d.bytes, status: 'unchanged', rows: 0, tables: [] });
    } else {
      known.add(id);
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
    return await store.serial(async () => {
      // Another import of this process may have stored some of these files
      // while this one waited for the store: check again, now that it is ours.
      const now = await storedFiles();
      const storedNow = new Set(now.map((r) => identity(r.sha256, r.name)));
      const sizesNow = new Set(now.map((r) => sizeKey(r.name, r.bytes)));
      for (const d of [...fresh]) {
        if (!sizesNow.has(sizeOf(d))) continue;
        await docFacts(d);
        if (!storedNow.has(identity(d.sha256, basename(d.display)))) continue;
        fresh.splice(fresh.indexOf(d), 1);
        if (bulkDocs.includes(d)) bulkDocs.splice(bulkDocs.indexOf(d), 1);
        for (let i = sheets.length - 1; i >= 0; i--) if (sheets[i].doc === d) sheets.splice(i, 1);
        files.push({ file: d.display, sha256: d.sha256, bytes: d.bytes, status: 'unchanged', rows: 0, tables: [] });
      }
      if (fresh.length === 0 && !problems.some((p) => p.severity === 'error')) {
        return { batchId: null, status: 'unchanged' as const, files, rows: 0, problems, dataVersion: await store.dataVersion() };
      }
      // Stage as text: large text files through DuckDB's reader, the rest
      // as one staging table per table kind.
      await preparePersonKeys(store, pads, { native: opts.nativeKeys });
      const relations: StagedRelation[] = [];
      let seq = 0;
      let sheetSeq = 0;
      const nextSheetId = () => ++sheetSeq;
      for (const [i, d] of bulkDocs.entries()) {
        progress({ phase: 'read', done: i, total: bulkDocs.length, file: d.display });
        let r: Awaited<ReturnType<typeof stageBulk>>;
        try {
          r = await stageBulk(store, d, seq++, nextSheetId(), pads, problems);
        } catch (e) {
          if (!(e instanceof ReadError)) throw e;
          problems.push({ code: e.code, severity: 'error', file: d.display, message: e.message });
          continue;
        }
        if (r?.tempDir) tempDirs.push(r.tempDir);
        if (r === null) readInJs(d);
        else {
          encodings.set(d, r.encoding);
          if (r.staged) relations.push(r.staged);
        }
      }
      progress({ phase: 'check', done: 0, total: 1 });
      for (const def of TABLES) {
        const of = sheets.filter((s) => s.table === def);
        if (of.length > 0) relations.push(await stageSheets(store, def, of, `stg_${seq++}`, nextSheetId, problems));
      }
      // Every file's hash is needed from here on (import_files).
      await Promise.all(fresh.map(docFacts));
      return store.inTransaction(async () => {
      const batchId = ((await store.one<{ n: number }>(`SELECT coalesce(max(batch_id), 0)::INTEGER + 1 AS n FROM import_batches`))?.n ?? 1) as number;
      // Wall-clock times from here: now() inside a transaction is its start.
      await store.run(`INSERT INTO import_batches VALUES ($id, CAST($at AS TIMESTAMP), NULL, $by, $src, 'committed', $n, 0, NULL)`, {
        at: new Date().toISOString(),
        id: batchId,
        by: opts.importedBy ?? process.env.USER ?? 'unknown',
        src: opts.source ?? 'cli',
        n: fresh.length,
      });
      const fileIds = new Map<Document, number>();
      const firstFile = ((await store.one<{ n: number }>(`SELECT coalesce(max(file_id), 0)::INTEGER AS n FROM import_files`))?.n ?? 0) as number;
      const files_ = await store.conn.createAppender('import_files');
      for (const [i, d] of fresh.entries()) {
        const id = firstFile + i + 1;
        fileIds.set(d, id);
        files_.appendInteger(id);
        files_.appendInteger(batchId);
        for (const v of [d.display, basename(d.display), d.container ?? null, d.sha256]) {
          if (v == null) files_.appendNull();
          else files_.appendVarchar(v);
        }
        files_.appendBigInt(BigInt(d.bytes));
        files_.appendVarchar(d.format);
        const enc = encodings.get(d);
        if (enc) files_.appendVarchar(enc);
        else files_.appendNull();
        files_.appendBigInt(0n);
        files_.endRow();
      }
      files_.closeSync();
      const sheetFile = new Map<number, number>();
      const sheetDoc = new Map<number, Document>();
      for (const r of relations) {
        for (const sh of r.sheets) {
          sheetFile.set(sh.id, fileIds.get(sh.source.doc)!);
          sheetDoc.set(sh.id, sh.source.doc);
        }
      }
      const byShape = (shape: TableDef['shape']) => relations.filter((r) => r.def.shape === shape);
      const type = (r: StagedRelation, fields: FieldDef[], defaults: Map<number, SheetDefaults>) =>
        typeRelation(store, r, fields, defaults, sheetFile, problems);

      // Registries, then profiles, define the units the rosters may name.
      for (const r of byShape('registry')) await loadRegistry(store, await type(r, r.def.fields, new Map()), batchId);
      const profiles: TypedRelation[] = [];
      for (const r of byShape('profile')) {
        const defaults = new Map(r.sheets.map((sh) => [sh.id, { period: periodFromName(sh.source.doc.display) }]));
        const t = await type(r, storedFields(r.def), defaults);
        await loadUnitsFromProfiles(store, t, batchId);
        profiles.push(t);
      }
      const groupDefaults = await profileDefaults(store, profiles, sheetDoc);
      const unitNames = await store.all<{ code: string; name: string }>(
        `SELECT code, name FROM org_units WHERE name IS NOT NULL AND length(name) >= 2 ORDER BY length(name) DESC`,
      );
      const rosters: TypedRelation[] = [];
      for (const r of byShape('roster')) {
        const defaults = new Map<number, SheetDefaults>();
        for (const sh of r.sheets) {
          const doc = sh.source.doc;
          const g = groupDefaults.get(doc.group);
          defaults.set(sh.id, {
            unit: g?.unit ?? unitNames.find((u) => doc.display.includes(u.name))?.code,
            period: periodFromName(basename(doc.display)) ?? g?.period ?? periodFromName(doc.display),
          });
        }
        rosters.push(await type(r, storedFields(r.def), defaults));
      }
      for (const t of [...profiles, ...rosters]) await checkTyped(store, t, problems);
      rejectOnErrors(problems);

      progress({ phase: 'load', done: 0, total: 1 });
      for (const t of [...profiles, ...rosters]) await createExports(store, batchId, t);
      await checkConflicts(store, batchId, problems);
      rejectOnErrors(problems);
      let rows = 0;
      for (const t of [...profiles, ...rosters]) rows += await loadRows(store, batchId, t);
      await supersede(store, batchId);
      await opts.beforeCommit?.(store);

      await store.run(
        `UPDATE import_files f SET row_count = coalesce((SELECT sum(row_count) FROM exports e WHERE e.file_id = f.file_id), 0) WHERE batch_id = $b`,
        { b: batchId },
      );
      const warnings = problems.filter((p) => p.severity === 'warning');
      await store.run(`UPDATE import_batches SET finished_at = CAST($at AS TIMESTAMP), row_count = $rows, warnings = $w WHERE batch_id = $b`, {
        at: new Date().toISOString(),
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
    });
  } catch (err) {
    // No streaming read outlives the import.
    await Promise.allSettled(docs.map((d) => d.facts));
    await dropTemps(store).catch(() => {});
    for (const t of tempDirs) rmSync(t, { recursive: true, force: true });
    if (err instanceof DryRunDone) return (err as DryRunDone & { summary: ImportSummary }).summary;
    throw err;
  }
}

function rejectOnErrors(problems: Problem[]): void {
  if (problems.some((p) => p.severity === 'error')) throw new ImportRejected(problems);
}

/** Per export group, the (unit, period) its single profile row names. */
async function profileDefaults(
  store: Store,
  profiles: TypedRelation[],
  sheetDoc: Map<number, Document>,
): Promise<Map<string, SheetDefaults>> {
  const byGroup = new Map<string, { units: Set<string>; periods: Set<string | null> }>();
  for (const p of profiles) {
    const rows = await store.all<{ sheet_id: number; org_unit: string; period: string | null }>(
      `SELECT DISTINCT sheet_id, org_unit, period FROM ${p.groups} WHERE org_unit IS NOT NULL`,
    );
    for (const r of rows) {
      const group = sheetDoc.get(r.sheet_id)!.group;
      const g = byGroup.get(group) ?? { units: new Set(), periods: new Set() };
      g.units.add(r.org_unit);
      g.periods.add(r.period);
      byGroup.set(group, g);
    }
  }
  const out = new Map<string, SheetDefaults>();
  for (const [group, g] of byGroup) {
    const period = g.periods.size === 1 ? ([...g.periods][0] ?? undefined) : undefined;
    out.set(group, { unit: g.units.size === 1 ? [...g.units][0] : undefined, period });
  }
  return out;
}

async function dropTemps(store: Store): Promise<void> {
  // Views first: they depend on the staging and dictionary tables.
  const views = await store.all<{ name: string }>(
    `SELECT view_name AS name FROM duckdb_views() WHERE temporary AND regexp_matches(view_name, '^(stg|typ|key)_')`,
  );
  for (const v of views) await store.run(`DROP VIEW IF EXISTS temp.main.${v.name}`);
  const tables = await store.all<{ name: string }>(
    `SELECT table_name AS name FROM duckdb_tables() WHERE temporary AND regexp_matches(table_name, '^(stg|grp|rgp|dct|sht|raw|rej|exm)_|^(prof_units|hmac_key|dup_candidates)$')`,
  );
  for (const t of tables) await store.run(`DROP TABLE IF EXISTS temp.main.${t.name}`);
}
