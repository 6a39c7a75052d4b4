/** What a streaming adapter read, filled in as it goes so a source can report it afterwards. */
export interface StreamStats {
  /** Records (events, log lines) yielded. */
  records: number;
  /** Records or files that could not be read. */
  skipped: number;
  /** Pages, files or queries read. */
  units: number;
  /** Short notes for the source's `detail` (what was skipped and why). */
  readonly notes: string[];
}

/** Empty stats. */
export function createStreamStats(): StreamStats {
  return { records: 0, skipped: 0, units: 0, notes: [] };
}
