import { describe, expect, it } from 'vitest';
import { createProgressBar, MIN_FILES_FOR_PROGRESS } from '../../lambdas/cli/progress.js';

const ERASE = '\r\u001b[2K';

function terminal(isTTY: boolean, columns = 60) {
  const writes: string[] = [];
  return { writes, isTTY, columns, write: (text: string) => void writes.push(text) };
}

describe('createProgressBar', () => {
  it('draws nothing when stderr is not a terminal', () => {
    // Prepare
    const out = terminal(false);
    const bar = createProgressBar(out);
    // Act
    for (let i = 1; i <= 50; i += 1) bar.onFile(`cloudtrail/${i}.json.gz`, i, 50);
    bar.clear();
    // Assess
    expect(out.writes).toEqual([]);
  });

  it('draws nothing for a handful of files', () => {
    // Prepare
    const out = terminal(true);
    const bar = createProgressBar(out);
    // Act
    bar.onFile('cloudtrail/a.json', 1, MIN_FILES_FOR_PROGRESS - 1);
    bar.clear();
    // Assess
    expect(out.writes).toEqual([]);
  });

  it('redraws one line in place, fits the width, and erases it when cleared', () => {
    // Prepare
    const out = terminal(true, 60);
    const bar = createProgressBar(out);
    const long = `cloudtrail/${'x'.repeat(100)}.json.gz`;
    // Act
    bar.onFile(long, 5, 10);
    bar.clear();
    // Assess
    expect(out.writes).toHaveLength(2);
    const [line, erase] = out.writes;
    expect(line?.startsWith(ERASE)).toBe(true);
    expect(line?.slice(ERASE.length)).toMatch(/^\[#{10}-{10}\] 5\/10 …x+\.json\.gz$/);
    expect(line?.slice(ERASE.length).length).toBeLessThanOrEqual(60);
    expect(line).not.toContain('\n');
    expect(erase).toBe(ERASE);
  });
});
