// RFC 4180 CSV parsing in one pass over the string (charCodeAt, no regex per
// character), keeping row numbers exactly as Excel shows them: record i is
// Excel row i + 1, blank lines stay as empty records, and a newline inside a
// quoted field does not start a new record. Also turns a text file into the
// SheetRows the importer consumes, noting formula-like cells (CSV injection).

import type { SheetRows } from './types.ts';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Whitespace as String.prototype.trim sees it (so trimming by index matches trim()). */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

function finish(raw: string): string | null {
  const t = raw.trim();
  return t === '' ? null : t;
}

/**
 * Parse delimited text. Quoted fields may hold delimiters, doubled quotes and
 * line breaks; CRLF, LF and CR all end a record. Cells are trimmed, empty cells
 * are null, and a blank line is the empty record `[]`. A final line break does
 * not add a record. A leading BOM is ignored.
 */
export function parseCsv(text: string, delimiter: string): (string | null)[][] {
  if (delimiter.length !== 1) throw new Error(`parseCsv: delimiter must be one character, got ${JSON.stringify(delimiter)}`);
  const d = delimiter.charCodeAt(0);
  const n = text.length;
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let i = n > 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const endRecord = (): void => {
    // A line holding nothing but whitespace is a blank line.
    rows.push(row.length === 1 && row[0] === null ? [] : row);
    row = [];
  };

  while (i < n) {
    // Start of a field: skip leading blanks to see whether it is quoted.
    let j = i;
    while (j < n) {
      const c = text.charCodeAt(j);
      if ((c === 0x20 || c === 0x09) && c !== d) j++;
      else break;
    }
    if (j < n && text.charCodeAt(j) === QUOTE) {
      // Quoted field.
      let value = '';
      let start = j + 1;
      let k = start;
      for (;;) {
        const q = text.indexOf('"', k);
        if (q < 0) {
          // Unterminated quote: like Excel, the field runs to the end of the text.
          value += text.slice(start);
          k = n;
          break;
        }
        if (q + 1 < n && text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(start, q + 1);
          start = k = q + 2;
          continue;
        }
        value += text.slice(start, q);
        k = q + 1;
        break;
      }
      // Anything between the closing quote and the delimiter is kept (as Excel does).
      let m = k;
      while (m < n) {
        const c = text.charCodeAt(m);
        if (c === d || c === LF || c === CR) break;
        m++;
      }
      if (m > k) value += text.slice(k, m);
      row.push(finish(value));
      i = m;
    } else {
      // Unquoted field: up to the delimiter or the line end.
      let m = j;
      while (m < n) {
        const c = text.charCodeAt(m);
        if (c === d || c === LF || c === CR) break;
        m++;
      }
      // Trim by index and slice once.
      let a = j;
      let b = m;
      while (a < b && isSpace(text.charCodeAt(a))) a++;
      while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
      row.push(b > a ? text.slice(a, b) : null);
      i = m;
    }
    if (i >= n) {
      endRecord();
      break;
    }
    const c = text.charCodeAt(i);
    if (c === d) {
      i++;
      if (i >= n) {
        row.push(null);
        endRecord();
      }
    } else {
      // Line end: CRLF, LF or CR.
      i += c === CR && i + 1 < n && text.charCodeAt(i + 1) === LF ? 2 : 1;
      endRecord();
    }
  }
  return rows;
}

/** A text file as a sheet; cells starting with '=' (other than a lone '=') are listed as formulas. */
export function csvToSheet(text: string, delimiter: string, name = ''): SheetRows {
  const rows = parseCsv(text, delimiter);
  const formulas: SheetRows['formulas'] = [];
  for (let r = 0; r < rows.length; r++) {
    const cells = rows[r];
    for (let c = 0; c < cells.length; c++) {
      const v = cells[c];
      if (v !== null && v.length > 1 && v.charCodeAt(0) === 0x3d) formulas.push({ row: r + 1, col: c, formula: v });
    }
  }
  return { name, rows, formulas };
}
