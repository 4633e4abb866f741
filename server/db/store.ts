// The one owner of the DuckDB instance: opening (with a clear message when
// another process holds the file), schema migrations, queries with bound
// parameters, transactions serialised within the process, and closing.
// Callers never open their own connection.

import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, DuckDBTypeId, type DuckDBValue } from '@duckdb/node-api';
import { MIGRATIONS, type Migration } from './migrations.ts';

export type Row = Record<string, unknown>;

const WIDE_INTEGERS = new Set<number>([DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT]);
export type Params = DuckDBValue[] | Record<string, DuckDBValue>;

export const DEFAULT_DB_PATH = 'data/sanshe.duckdb';

/** SANSHE_TRACE=1 prints every statement slower than 50 ms with its time. */
const TRACE = process.env.SANSHE_TRACE === '1';
function trace(sql: string, t0: number): void {
  const ms = performance.now() - t0;
  if (ms > 50) process.stderr.write(`[sql ${ms.toFixed(0)} ms] ${sql.replace(/\s+/g, ' ').slice(0, 160)}\n`);
}

export class StoreBusyError extends Error {
  readonly code = 'STORE_BUSY';
  constructor(path: string, cause: unknown) {
    super(
      `数据库文件 ${path} 正被另一个进程（可能是另一个导入或服务）占用，请等待其完成后重试。` +
        ` (store busy: ${(cause as Error)?.message ?? cause})`,
    );
  }
}

/** Resolve the store path from --db, SANSHE_DB, or the default. */
export function resolveDbPath(flag?: string): string {
  return resolve(flag ?? process.env.SANSHE_DB ?? DEFAULT_DB_PATH);
}

export class Store {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
  ) {}

  /**
   * Open (creating if needed) and migrate the store. When another process
   * holds the file, retry for `waitMs` and then fail with StoreBusyError.
   */
  static async open(path: string, opts: { waitMs?: number; readOnly?: boolean; migrations?: Migration[] } = {}): Promise<Store> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const deadline = Date.now() + (opts.waitMs ?? 0);
    for (;;) {
      try {
        const options: Record<string, string> = {};
        if (opts.readOnly) options.access_mode = 'READ_ONLY';
        const instance = await DuckDBInstance.create(path, options);
        const conn = await instance.connect();
        const store = new Store(path, instance, conn);
        if (!opts.readOnly) await store.migrate(opts.migrations ?? MIGRATIONS);
        return store;
      } catch (err) {
        const msg = String((err as Error)?.message ?? err);
        if (!/lock|Conflicting/i.test(msg)) throw err;
        if (Date.now() >= deadline) throw new StoreBusyError(path, err);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  async run(sql: string, params?: Params): Promise<void> {
    const t0 = TRACE ? performance.now() : 0;
    await this.conn.run(sql, params);
    if (TRACE) trace(sql, t0);
  }

  /** Run a statement and return how many rows it changed. */
  async exec(sql: string, params?: Params): Promise<number> {
    const t0 = TRACE ? performance.now() : 0;
    const res = await this.conn.run(sql, params);
    if (TRACE) trace(sql, t0);
    return Number(res.rowsChanged);
  }

  /**
   * Rows as plain JSON-able objects: dates as 'YYYY-MM-DD' strings, 64- and
   * 128-bit integers as numbers when they fit exactly (else strings).
   */
  async all<T = Row>(sql: string, params?: Params): Promise<T[]> {
    const t0 = TRACE ? performance.now() : 0;
    const reader = await this.conn.runAndReadAll(sql, params);
    if (TRACE) trace(sql, t0);
    const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
    const names = reader.columnNames();
    const wide = names.filter((_, i) => WIDE_INTEGERS.has(reader.columnTypes()[i].typeId));
    if (wide.length > 0) {
      for (const row of rows) {
        for (const n of wide) {
          const v = row[n];
          if (typeof v === 'string' && Number.isSafeInteger(Number(v))) row[n] = Number(v);
        }
      }
    }
    return rows as T[];
  }

  async one<T = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /**
   * Run `fn` inside BEGIN/COMMIT; any throw rolls back. Transactions of one
   * process are queued so two imports in one server never interleave.
   */
  transaction<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    return this.serial(() => this.inTransaction(fn));
  }

  /**
   * Run `fn` alone: queued behind every other serial or transactional work of
   * this process, without opening a transaction itself. An import stages its
   * files into temporary tables here, before BEGIN: DuckDB scans a table
   * created inside an open transaction with one thread only, so the big
   * staged relation is created outside it (it is temporary: a crash loses
   * it, never the store).
   */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn);
    this.queue = next.catch(() => {});
    return next;
  }

  /** BEGIN, `fn`, COMMIT; any throw rolls back. Call only inside `serial`. */
  async inTransaction<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    await this.conn.run('BEGIN TRANSACTION');
    try {
      const out = await fn(this);
      await this.conn.run('COMMIT');
      return out;
    } catch (err) {
      await this.conn.run('ROLLBACK').catch(() => {});
      throw err;
    }
  }

  async dataVersion(): Promise<number> {
    const r = await this.one<{ value: string }>(`SELECT value FROM meta WHERE key = 'data_version'`);
    return Number(r?.value ?? 0);
  }

  async schemaVersion(): Promise<number> {
    const exists = await this.one<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'schema_migrations'`,
    );
    if (!exists?.n) return 0;
    const r = await this.one<{ v: number | null }>(`SELECT max(version)::INTEGER AS v FROM schema_migrations`);
    return r?.v ?? 0;
  }

  private async migrate(migrations: Migration[]): Promise<void> {
    const current = await this.schemaVersion();
    const newest = migrations[migrations.length - 1]?.version ?? 0;
    if (current > newest) {
      this.close();
      throw new Error(`数据库架构版本 ${current} 比本程序支持的 ${newest} 新，请升级程序 (store schema ${current} is newer than this program's ${newest})`);
    }
    const pending = migrations.filter((m) => m.version > current);
    if (pending.length === 0) return;
    await this.transaction(async () => {
      await this.run(
        `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMP, description VARCHAR)`,
      );
      for (const m of pending) {
        for (const sql of m.sql) await this.run(sql);
        await this.run(`INSERT INTO schema_migrations VALUES ($1, now(), $2)`, [m.version, m.description]);
      }
    });
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
