// Writes a formatted table as delimited text (CSV / semicolon / tab).

import type { FormattedTable } from './format.ts';

function quote(s: string, delimiter: string): string {
  return s.includes(delimiter) || s.includes('"') || s.includes('\n') || s.includes('\r') ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface TextOptions {
  delimiter: string;
  /** Leading 序号 column. */
  rowNumbers: boolean;
  /** A 填表说明 line after the data. */
  notes: boolean;
}

export function tableToText(t: FormattedTable, o: TextOptions): string {
  const lines: string[] = [];
  const line = (cells: string[]) => lines.push(cells.map((c) => quote(c, o.delimiter)).join(o.delimiter));
  line([...(o.rowNumbers ? ['序号'] : []), ...t.columns.map((c) => c.header)]);
  t.rows.forEach((cells, i) => {
    line([
      ...(o.rowNumbers ? [String(i + 1)] : []),
      ...cells.map((c) => (c === null ? '' : typeof c === 'object' ? c.date : String(c))),
    ]);
  });
  if (o.notes) line(['填表说明：本表由社区按季度导出，每季度报送一次。']);
  return lines.join('\r\n') + '\r\n';
}
