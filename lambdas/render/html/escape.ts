import { displayText } from '../format.js';

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text safe in HTML element content and in quoted attribute values.
 *
 * @example escapeHtml('<script>') // '&lt;script&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

/**
 * Data from the report made fit for the page: control characters removed, key ids masked,
 * then escaped. Every value from the report goes through here or through a number format.
 *
 * @example h('<root_account>') // '&lt;root_account&gt;'
 */
export function h(text: string): string {
  return escapeHtml(displayText(text));
}
