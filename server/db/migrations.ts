// Versioned schema migrations. Each entry upgrades the store by one version;
// `migrate` applies the missing ones in order inside one transaction, so an
// older store is upgraded in place and a half-applied upgrade cannot exist.
// Canonical table columns come from the data contract (contract/tables.ts).

import { type FieldDef, storedFields, TABLES, type TableDef } from '../import/contract/tables.ts';

export interface Migration {
  version: number;
  description: string;
  sql: string[];
}

/** Column types as migration 1 created them (frozen: migration 1 is pinned). */
const SQL_TYPE_V1: Record<string, string> = {
  code: 'VARCHAR',
  text: 'VARCHAR',
  count: 'BIGINT',
  number: 'DOUBLE',
  area: 'DOUBLE',
  date: 'DATE',
  bool: 'BOOLEAN',
  enum: 'VARCHAR',
  period: 'VARCHAR',
  secret: 'VARCHAR',
  score: 'INTEGER',
};

/**
 * Column types now. A personal identifier (kind `secret`) is stored, since
 * migration 4, as the first 128 bits of its HMAC-SHA-256 read as an unsigned
 * big-endian integer (UHUGEINT): 128 bits are plenty for a pseudonymous key
 * (a collision among 10^9 people has odds of about 10^-21), and a fixed-size
 * integer is far cheaper to write, group and compare than 64 hex characters.
 */
const SQL_TYPE: Record<string, string> = { ...SQL_TYPE_V1, secret: 'UHUGEINT' };

export function columnType(f: FieldDef): string {
  const t = SQL_TYPE[f.kind];
  if (!t) throw new Error(`no column type for ${f.kind}`);
  return t;
}

function columnTypeV1(f: FieldDef): string {
  const t = SQL_TYPE_V1[f.kind];
  if (!t) throw new Error(`no column type for ${f.kind}`);
  return t;
}

/**
 * The stored key of a lower-case hex HMAC-SHA-256 (as DuckDB's sha256 writes
 * it): its first 32 hex digits (128 bits), big-endian, as UHUGEINT. DuckDB
 * parses '0x' hex into at most 64 bits, hence two halves.
 */
export function hexKeySql(hex: string): string {
  return `((('0x' || ${hex}[1:16])::UBIGINT::UHUGEINT << 64) | ('0x' || ${hex}[17:32])::UBIGINT::UHUGEINT)`;
}

/** Every stored row says where it came from (lineage). */
const LINEAGE = `export_id INTEGER NOT NULL, batch_id INTEGER NOT NULL, file_id INTEGER NOT NULL,
  sheet VARCHAR, src_row INTEGER NOT NULL, org_unit VARCHAR NOT NULL, period VARCHAR NOT NULL`;

function dataTableSql(t: TableDef): string {
  const cols = storedFields(t).map((f) => `${f.name} ${columnTypeV1(f)}`);
  return `CREATE TABLE ${t.name} (${LINEAGE}, ${cols.join(', ')})`;
}

/** Rows of exports that no newer export of the same (unit, period, table) replaced. */
function currentViewSql(t: TableDef): string {
  return `CREATE VIEW cur_${t.name} AS SELECT d.* FROM ${t.name} d
    JOIN exports e ON e.export_id = d.export_id WHERE e.superseded_by IS NULL`;
}

const dataTables = TABLES.filter((t) => t.shape !== 'registry');

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'import batches, files, exports, org units and the canonical tables',
    sql: [
      `CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
      `INSERT INTO meta VALUES ('data_version', '0')`,
      `CREATE TABLE import_batches (
        batch_id INTEGER PRIMARY KEY, started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP,
        imported_by VARCHAR NOT NULL, source VARCHAR NOT NULL, status VARCHAR NOT NULL,
        file_count INTEGER NOT NULL, row_count BIGINT NOT NULL, warnings JSON)`,
      `CREATE TABLE import_files (
        file_id INTEGER PRIMARY KEY, batch_id INTEGER NOT NULL, path VARCHAR NOT NULL,
        name VARCHAR NOT NULL, container VARCHAR, sha256 VARCHAR NOT NULL, bytes BIGINT NOT NULL,
        format VARCHAR NOT NULL, encoding VARCHAR, row_count BIGINT NOT NULL)`,
      `CREATE TABLE exports (
        export_id INTEGER PRIMARY KEY, batch_id INTEGER NOT NULL, file_id INTEGER NOT NULL,
        sheet VARCHAR, table_name VARCHAR NOT NULL, org_unit VARCHAR NOT NULL, period VARCHAR NOT NULL,
        row_count BIGINT NOT NULL, superseded_by INTEGER)`,
      `CREATE TABLE org_units (
        code VARCHAR PRIMARY KEY, name VARCHAR, level VARCHAR NOT NULL, parent_code VARCHAR,
        area_type VARCHAR, batch_id INTEGER NOT NULL)`,
      ...dataTables.map(dataTableSql),
      ...dataTables.map(currentViewSql),
    ],
  },
  {
    version: 2,
    description: 'accounts, sessions and the append-only audit log',
    sql: [
      `CREATE TABLE accounts (
        username VARCHAR PRIMARY KEY, role VARCHAR NOT NULL, scope VARCHAR, password_hash VARCHAR NOT NULL,
        disabled BOOLEAN NOT NULL DEFAULT false, must_change BOOLEAN NOT NULL DEFAULT false,
        created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)`,
      `CREATE TABLE sessions (
        id_hash VARCHAR PRIMARY KEY, username VARCHAR NOT NULL, csrf VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL, expires_at TIMESTAMP NOT NULL)`,
      `CREATE TABLE audit_log (
        seq BIGINT PRIMARY KEY, ts TIMESTAMP NOT NULL, actor VARCHAR NOT NULL, role VARCHAR, action VARCHAR NOT NULL,
        target VARCHAR, outcome VARCHAR NOT NULL, ip VARCHAR, detail JSON)`,
    ],
  },
  {
    version: 3,
    description: 'metrics: registry of the per-export roster summaries (derived tables metric_export_<table>, see metrics/summaries.ts)',
    sql: [
      `CREATE TABLE metric_summaries (table_name VARCHAR PRIMARY KEY, signature VARCHAR NOT NULL, built_at TIMESTAMP NOT NULL)`,
      `CREATE TABLE metric_summary_marks (table_name VARCHAR NOT NULL, ys SMALLINT NOT NULL, last_export_id INTEGER NOT NULL, PRIMARY KEY (table_name, ys))`,
    ],
  },
  {
    version: 4,
    description: 'personal identifier keys: 64-char hex HMAC-SHA-256 -> its first 128 bits as UHUGEINT',
    // The same truncation the importer applies now, so a person imported
    // before and after the upgrade keeps one key. A value that is not a hex
    // HMAC (only stores built by benchmarks hold such) still gets a distinct
    // 128-bit key (its MD5), so the upgrade never fails on it.
    sql: dataTables.flatMap((t) =>
      storedFields(t)
        .filter((f) => f.kind === 'secret')
        .map(
          (f) =>
            `ALTER TABLE ${t.name} ALTER COLUMN ${f.name} SET DATA TYPE UHUGEINT USING
             CASE WHEN regexp_full_match(${f.name}, '[0-9a-f]{64}') THEN ${hexKeySql(f.name)} ELSE md5_number(${f.name}) END`,
        ),
    ),
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
