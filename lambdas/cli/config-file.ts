import { readFile } from 'node:fs/promises';
import { type AuditConfig, DEFAULT_CONFIG, parseAuditConfig } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import { withoutJsonExcerpt } from '../core/redact.js';

/**
 * Reads `--config FILE` (JSON) and validates it, or returns the defaults when no file is given.
 *
 * @throws ConfigError in one line: the file cannot be read, is not JSON, or has a wrong key or
 *   value (`credhealth.json: thresholds.maxKeyAgeDays: …, got 0`).
 * @example const config = await loadConfigFile('credhealth.json');
 */
export async function loadConfigFile(path: string | undefined): Promise<AuditConfig> {
  if (path === undefined) return DEFAULT_CONFIG;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : String(code ?? 'unreadable');
    throw new ConfigError(`cannot read config file ${path}: ${why}`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (error) {
    throw new ConfigError(`config file ${path} is not JSON: ${jsonSyntaxReason(error)}`, {
      cause: error,
    });
  }
  return parseAuditConfig(value, path);
}

/**
 * JSON.parse's message without the excerpt of the text it quotes (`Unexpected token 'w',
 * "wJalrXUtnF"... is not valid JSON`): the text could be a secret pasted in the wrong place,
 * and the message ends up on stderr and in CI logs.
 */
export function jsonSyntaxReason(error: unknown): string {
  return withoutJsonExcerpt(error instanceof Error ? error.message : String(error));
}
