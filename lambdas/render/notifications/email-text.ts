import { wrapText } from '../format.js';

/**
 * Plain-text mail that reads well in any client: lines of at most 78 characters (RFC 5322's
 * recommendation; clients that do not reflow show them as written), hanging indents under
 * list markers, and links on lines of their own so clients can make them clickable.
 */

/** The longest line a mail body has, except a single word (a URL, an ARN) that cannot break. */
export const EMAIL_WIDTH = 78;

/**
 * Wraps `text` to the mail width: the first line starts with `first`, the following ones with
 * `rest` (a hanging indent). A word longer than the room stays whole on its own line.
 *
 * @example wrapEmail('1. ', '   ', 'Rotate the key of ci-bot ...') // ['1. Rotate the key of ci-bot', '   ...']
 */
export function wrapEmail(first: string, rest: string, text: string): string[] {
  const room = Math.max(20, EMAIL_WIDTH - Math.max(first.length, rest.length));
  return wrapText(text, room).map((chunk, index) =>
    `${index === 0 ? first : rest}${chunk}`.trimEnd(),
  );
}

/**
 * `Label: value`, wrapped with the value's continuation lines under the value.
 *
 * @example labelled('   ', 'Key', 'AKIA…MPLE (key 1, Active), 139 days old')
 */
export function labelled(indent: string, label: string, value: string, labelWidth = 6): string[] {
  const lead = `${indent}${`${label}:`.padEnd(labelWidth)} `;
  return wrapEmail(lead, ' '.repeat(lead.length), value);
}

/**
 * A list under a heading line, one `-` (or numbered) item each, wrapped under the item.
 */
export function list(indent: string, items: readonly string[], numbered = false): string[] {
  return items.flatMap((item, index) => {
    const marker = numbered ? `${index + 1}. ` : '- ';
    return wrapEmail(`${indent}${marker}`, ' '.repeat(indent.length + marker.length), item);
  });
}

/** Collapses runs of blank lines and trims blank lines at both ends. */
export function joinLines(lines: readonly string[]): string {
  const out: string[] = [];
  for (const line of lines) {
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}
