// Import problems as values: a code, a Chinese message and the English field,
// located by file, sheet, Excel row and column header. Produced here, rendered
// alike by the CLI, the API and the UI.

export type ProblemCode =
  | 'NOT_TEXT' // bytes are not text in a supported encoding
  | 'NOT_XLSX' // .xlsx that is not a workbook
  | 'ZIP_CORRUPT'
  | 'ZIP_TOO_LARGE'
  | 'FILE_TOO_LARGE'
  | 'EMPTY_FILE'
  | 'UNSUPPORTED_FILE'
  | 'UNKNOWN_TABLE'
  | 'NO_HEADER'
  | 'MISSING_COLUMN'
  | 'EXTRA_CELLS'
  | 'FORMULA'
  | 'BAD_NUMBER'
  | 'NEGATIVE'
  | 'NOT_POSITIVE'
  | 'BAD_DATE'
  | 'BAD_BOOL'
  | 'BAD_ENUM'
  | 'BAD_CODE'
  | 'BAD_PERIOD'
  | 'BAD_SCORE'
  | 'REQUIRED'
  | 'NO_PERIOD'
  | 'NO_UNIT'
  | 'UNKNOWN_UNIT'
  | 'DUPLICATE_KEY'
  | 'CONFLICT'
  | 'UNKNOWN_COLUMN'; // warning only

export interface Problem {
  code: ProblemCode;
  severity: 'error' | 'warning';
  /** File name as the user knows it; inside a zip: `archive.zip/inner.csv`. */
  file: string;
  sheet?: string;
  /** Row number as Excel shows it (1-based, counting title rows). */
  row?: number;
  /** Column header as written in the file. */
  column?: string;
  /** Canonical English field name. */
  field?: string;
  value?: string;
  /** Reason in Chinese. */
  message: string;
}

/** An error that stops reading a whole file (bad container, no header...). */
export class ReadError extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
  ) {
    super(message);
  }
}

/** Raised by importBatch when any problem is an error; nothing was stored. */
export class ImportRejected extends Error {
  constructor(readonly problems: Problem[]) {
    const errors = problems.filter((p) => p.severity === 'error');
    super(`导入被拒绝：发现 ${errors.length} 个错误，数据库未作任何更改。 (import rejected: ${errors.length} errors)`);
  }
}

/** One line of a problems report: 文件 › 工作表 › 第N行 › 列: 原因（值） [field]. */
export function formatProblem(p: Problem): string {
  const where = [p.file, p.sheet ? `工作表「${p.sheet}」` : '', p.row ? `第 ${p.row} 行` : '', p.column ? `列「${p.column}」` : '']
    .filter(Boolean)
    .join(' › ');
  const value = p.value !== undefined ? `，值「${truncate(p.value)}」` : '';
  const field = p.field ? ` [${p.field}]` : '';
  const tag = p.severity === 'warning' ? '警告' : '错误';
  return `${tag}：${where}：${p.message}${value}${field}`;
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
