// Line statistics of a text file, taken chunk by chunk in the same streaming
// pass that hashes a large file, so the bulk CSV path never reads the file a
// second time and never holds it whole in memory.

export interface LineStats {
  /** Lines, not counting line ends at the very end. */
  lines: number;
  /** A blank line between records (DuckDB would skip it, shifting row numbers). */
  blankInside: boolean;
}

const LF = 10;
const CR = 13;

/**
 * Feed the bytes in order with `push`, then `finish`. For UTF-8 and GBK
 * (byte 0x0A never occurs inside a GBK character).
 */
export class LineCounter {
  /** Every LF seen. */
  private newlines = 0;
  private bytes = 0;
  /** The run of CR/LF bytes at the end of what was pushed so far: length and LFs in it. */
  private tailLength = 0;
  private tailNewlines = 0;
  /** End offset of the first `\n\n` or `\n\r\n`, if any (the earliest end is all that matters). */
  private firstBlankEnd = Infinity;
  /** The last (up to) two bytes pushed, for patterns that straddle two chunks. */
  private carry: number[] = [];

  push(chunk: Uint8Array): void {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const n = buf.length;
    if (n === 0) return;
    let pos = buf.indexOf(LF);
    while (pos !== -1) {
      this.newlines++;
      pos = buf.indexOf(LF, pos + 1);
    }
    if (this.firstBlankEnd === Infinity) this.findBlank(buf);
    // Trailing CR/LF run: extends the previous one when the chunk is all line ends.
    let run = 0;
    let runNewlines = 0;
    while (run < n && (buf[n - 1 - run] === LF || buf[n - 1 - run] === CR)) {
      if (buf[n - 1 - run] === LF) runNewlines++;
      run++;
    }
    if (run === n) {
      this.tailLength += run;
      this.tailNewlines += runNewlines;
    } else {
      this.tailLength = run;
      this.tailNewlines = runNewlines;
    }
    this.bytes += n;
    this.carry = [...this.carry, ...(n >= 2 ? [buf[n - 2], buf[n - 1]] : [buf[n - 1]])].slice(-2);
  }

  private findBlank(buf: Buffer): void {
    // Patterns that start in the carried bytes of the previous chunk.
    if (this.carry.length > 0) {
      const head = Buffer.from([...this.carry, ...buf.subarray(0, 2)]);
      const start = this.bytes - this.carry.length;
      for (let i = 0; i < this.carry.length; i++) {
        if (head[i] !== LF) continue;
        if (head[i + 1] === LF) this.firstBlankEnd = Math.min(this.firstBlankEnd, start + i + 2);
        else if (head[i + 1] === CR && head[i + 2] === LF) this.firstBlankEnd = Math.min(this.firstBlankEnd, start + i + 3);
      }
      if (this.firstBlankEnd !== Infinity) return;
    }
    const a = buf.indexOf('\n\n');
    const b = buf.indexOf('\n\r\n');
    const ends = [a === -1 ? Infinity : a + 2, b === -1 ? Infinity : b + 3];
    this.firstBlankEnd = Math.min(this.firstBlankEnd, this.bytes + Math.min(...ends));
  }

  finish(): LineStats {
    // Trailing line ends are not records (DuckDB skips them too).
    const trimmed = this.bytes - this.tailLength;
    const lines = (trimmed > 0 ? 1 : 0) + this.newlines - this.tailNewlines;
    return { lines, blankInside: this.firstBlankEnd <= trimmed };
  }
}

export function lineStats(buf: Buffer): LineStats {
  const c = new LineCounter();
  c.push(buf);
  return c.finish();
}
