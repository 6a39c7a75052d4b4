import type { Report } from '../../core/report.js';
import { displayText } from '../format.js';
import { emailSubject, SNS_MAX_SUBJECT_LENGTH } from './outgoing-message.js';

/**
 * The account as a subject names it: the alias (what people call it) or else the id. Short,
 * so the subject keeps its room for what is wrong; the body names both.
 *
 * @example subjectAccount(report) // 'example-corp-prod'
 */
export function subjectAccount(report: Report): string {
  return displayText(report.account.alias ?? report.account.id ?? 'unknown account');
}

/**
 * A subject whose head (severity and the worst item) comes first and whose tail (part number,
 * account) is kept whole: when the line is too long, the middle gives way.
 *
 * @example composeSubject('HIGH: ', 'key AKIA…MPLE of ci-bot is 130 days old', ' - 123456789012')
 */
export function composeSubject(head: string, middle: string, tail: string): string {
  const fixed = emailSubject(`${head}x${tail}`).length - 1;
  const room = SNS_MAX_SUBJECT_LENGTH - fixed;
  const text = emailSubject(middle);
  const fitted = text.length <= room ? text : `${text.slice(0, Math.max(0, room - 3))}...`;
  return emailSubject(`${head}${fitted}${tail}`);
}
