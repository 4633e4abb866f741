// Versioned schema migrations. Each entry upgrades the store by one version;
// `migrate` applies the missing ones in order inside one transaction, so an
// older store is upgraded in place and a half-applied upgrade cannot exist.
// Canonical table columns come from the data contract (contract/tables.ts).

import { storedFields, TABLES, type FieldDef, type TableDef } from '../import/contract/tables.ts';

export interface Migration {
  version: number;
  description: string;
  sql: string[];
}

const SQL_TYPE: Record<string, string> = {
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

export function columnType(f: FieldDef): string {
  const t = SQL_TYPE[f.kind];
  if (!t) throw new Error(`no column type for ${f.kind}`);
  return t;
}

/** Every stored row says where it came from (lineage). */
const LINEAGE = `export_id INTEGER NOT NULL, batch_id INTEGER NOT NULL, file_id INTEGER NOT NULL,
  sheet VARCHAR, src_row INTEGER NOT NULL, org_unit VARCHAR NOT NULL, period VARCHAR NOT NULL`;

function dataTableSql(t: TableDef): string {
  const cols = storedFields(t).map((f) => `${f.name} ${columnType(f)}`);
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
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
