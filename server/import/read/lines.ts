// Line statistics of a text buffer, taken in the same pass that hashes a
// large file so the bulk CSV path never reads the file a second time.

export interface LineStats {
  /** Lines, not counting line ends at the very end. */
  lines: number;
  /** A blank line between records (DuckDB would skip it, shifting row numbers). */
  blankInside: boolean;
}

/** For UTF-8 and GBK buffers (byte 0x0A never occurs inside a GBK character). */
export function lineStats(buf: Buffer): LineStats {
  // Trailing line ends are not records (DuckDB skips them too).
  const trimmed = buf.subarray(0, buf.length - trailingNewlines(buf));
  let lines = trimmed.length > 0 ? 1 : 0;
  let pos = trimmed.indexOf(10);
  while (pos !== -1) {
    lines++;
    pos = trimmed.indexOf(10, pos + 1);
  }
  const blankInside = trimmed.indexOf('\n\n') !== -1 || trimmed.indexOf('\n\r\n') !== -1;
  return { lines, blankInside };
}

function trailingNewlines(buf: Buffer): number {
  let n = 0;
  while (n < buf.length && (buf[buf.length - 1 - n] === 10 || buf[buf.length - 1 - n] === 13)) n++;
  return n;
}
