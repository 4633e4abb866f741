// What the file readers hand to the importer: sheets of stringified cells,
// rows indexed as Excel shows them, plus the formula cells found on the way.

/** One sheet (or one text file) as rows of cells. */
export interface SheetRows {
  /** Sheet name; '' for a text file. */
  name: string;
  /** rows[i] is the row Excel shows as number i + 1. A cell is its text, or null when empty. */
  rows: (string | null)[][];
  /** Cells holding a formula (rejected by the importer): 1-based Excel row, 0-based column. */
  formulas: { row: number; col: number; formula: string }[];
}

/** A file taken out of a zip or a folder. */
export interface FileEntry {
  /** Path as the user knows it: `archive.zip/inner/file.csv`. */
  name: string;
  data: Buffer;
}
