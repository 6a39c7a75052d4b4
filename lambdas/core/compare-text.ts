/**
 * Code-unit order, so a sort gives the same order on every machine: `localeCompare` follows the
 * process's locale and ICU data, which differ between a laptop, CI and a Lambda.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
