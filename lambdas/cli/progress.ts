/** What the progress bar draws on: stderr, or a fake in tests. */
export interface ProgressTerminal {
  write(text: string): void;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface ProgressBar {
  /** Same shape as `createExportDirSources`' `onFile`. */
  onFile(name: string, index: number, total: number): void;
  /** Erases the bar, before anything else is written to the terminal. */
  clear(): void;
}

/** A bar for a handful of files would only flicker. */
export const MIN_FILES_FOR_PROGRESS = 5;
const BAR_WIDTH = 20;

/**
 * A one-line progress bar on stderr while CloudTrail and log files are read, redrawn in place
 * with `\r`. Written by hand rather than with a progress-bar package: it is a dozen lines, and
 * a dependency for it would weigh on every install. Draws nothing unless stderr is a terminal,
 * so logs and CI output never hold control characters.
 */
export function createProgressBar(terminal: ProgressTerminal): ProgressBar {
  let drawn = false;
  let lastLine = '';
  if (!terminal.isTTY) return { onFile: () => {}, clear: () => {} };

  return {
    onFile(name, index, total) {
      if (total < MIN_FILES_FOR_PROGRESS) return;
      const filled = Math.round((index / total) * BAR_WIDTH);
      const head = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${index}/${total} `;
      const room = Math.max(10, (terminal.columns ?? 80) - head.length - 1);
      const label = name.length > room ? `…${name.slice(name.length - room + 1)}` : name;
      const line = `${head}${label}`;
      if (line === lastLine) return;
      // `\x1b[2K` erases the longer previous line; `\r` returns to its start.
      terminal.write(`\r\x1b[2K${line}`);
      lastLine = line;
      drawn = true;
    },
    clear() {
      if (!drawn) return;
      terminal.write('\r\x1b[2K');
      drawn = false;
      lastLine = '';
    },
  };
}
