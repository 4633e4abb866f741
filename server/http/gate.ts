// One FIFO gate in front of the store's single DuckDB connection for the
// HTTP layer: metrics runs build TEMP tables and imports hold a transaction
// on that same connection, so they must never interleave. Cached responses
// never enter the gate.

export class Gate {
  private tail: Promise<unknown> = Promise.resolve();
  private depth = 0;

  /** Run `fn` after everything queued before it; errors do not block the queue. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    this.depth++;
    const next = this.tail.then(fn);
    this.tail = next.catch(() => {}).finally(() => {
      this.depth--;
    });
    return next;
  }

  /** Queued or running jobs (for graceful shutdown and the health page). */
  get pending(): number {
    return this.depth;
  }

  /** Resolves when everything queued so far has finished. */
  drain(): Promise<void> {
    return this.tail.then(() => {});
  }
}
