import type { Finding, Incident, Report } from '../../core/report.js';
import {
  displayText,
  formatDateTime,
  INCIDENT_KIND_LABELS,
  keyLabel,
  SEVERITY_LABELS,
} from '../format.js';
import { escapeHtml, h } from './escape.js';

/** Rotation limits drawn on the key-age chart. */
export interface KeyAgeLimits {
  readonly maxKeyAgeDays: number;
  readonly reminderLeadDays: number;
}

/** One access key on the key-age chart. */
export interface ChartKey {
  readonly label: string;
  readonly ageDays: number;
  readonly active: boolean;
}

/**
 * How a chart is laid out: `wide` puts each label left of its bar (screens and print);
 * `narrow` puts it above the bar, so the text stays legible when a phone scales the chart
 * down to its width. The page carries both and its style sheet shows one.
 */
export type ChartLayout = 'wide' | 'narrow';

interface Geometry {
  readonly width: number;
  /** Left edge of the plot. */
  readonly plotX: number;
  readonly plotWidth: number;
  readonly rowHeight: number;
  /** Offset of the bar within its row. */
  readonly barY: number;
  readonly barHeight: number;
  /** Baseline of the label within its row. */
  readonly labelY: number;
  /** Characters a label keeps before it is shortened. */
  readonly labelChars: number;
  readonly top: number;
  readonly bottom: number;
  /** Suffix of element ids, which must be unique in the page. */
  readonly idSuffix: string;
}

const GEOMETRY: Readonly<Record<ChartLayout, Geometry>> = {
  wide: {
    width: 1000,
    plotX: 300,
    plotWidth: 550,
    rowHeight: 24,
    barY: 5,
    barHeight: 14,
    labelY: 16,
    labelChars: 40,
    top: 34,
    bottom: 34,
    idSuffix: '',
  },
  narrow: {
    width: 400,
    plotX: 8,
    plotWidth: 384,
    rowHeight: 40,
    barY: 20,
    barHeight: 14,
    labelY: 14,
    labelChars: 36,
    top: 34,
    bottom: 34,
    idSuffix: '-narrow',
  },
};

/**
 * The keys named in findings, once each (a key can be in several findings), oldest first.
 * The report lists only keys with findings, so healthy keys are not on the chart.
 */
export function keysOfFindings(findings: readonly Finding[]): ChartKey[] {
  const seen = new Map<string, ChartKey>();
  for (const finding of findings) {
    const key = finding.accessKey;
    if (key === null || key.ageDays === null) continue;
    const id = `${finding.principal.type}\u0000${finding.principal.name}\u0000${key.slot}`;
    if (seen.has(id)) continue;
    seen.set(id, {
      label: `${finding.principal.type === 'Root' ? 'root user' : displayText(finding.principal.name)} · key ${key.slot}${key.id === null ? '' : ` · ${keyLabel(key)}`}`,
      ageDays: Math.max(0, key.ageDays),
      active: key.status === 'Active',
    });
  }
  return [...seen.values()].sort((a, b) => b.ageDays - a.ageDays || compare(a.label, b.label));
}

/**
 * Inline SVG: one bar per key, its length the key's age in days, with a dashed line where
 * rotation falls due and a solid line at the limit. Ages far past the limit are drawn to the
 * edge with a break mark so the limits stay readable; the exact age is printed on every bar.
 */
export function keyAgeChart(
  keys: readonly ChartKey[],
  limits: KeyAgeLimits,
  layout: ChartLayout = 'wide',
): string {
  const g = GEOMETRY[layout];
  const narrow = layout === 'narrow';
  const dueAt = Math.max(0, limits.maxKeyAgeDays - limits.reminderLeadDays);
  const overAt = limits.maxKeyAgeDays;
  const oldest = Math.max(0, ...keys.map((k) => k.ageDays));
  // Far-off ages would squash the limits into the left edge: the scale stops at four limits.
  const domain = niceCeiling(Math.max(overAt * 1.2, Math.min(oldest, Math.max(overAt * 4, 365))));
  const x = (days: number): number => g.plotX + (Math.min(days, domain) / domain) * g.plotWidth;
  const height = g.top + keys.length * g.rowHeight + g.bottom;
  // Fewer ticks on a phone, so their numbers do not run into each other.
  const step = niceStep(domain / (narrow ? 4 : 6));
  const parts: string[] = [];
  const titleId = `key-age-title${g.idSuffix}`;
  const descId = `key-age-desc${g.idSuffix}`;
  parts.push(
    `<svg class="chart chart-${layout}" viewBox="0 0 ${g.width} ${height}" width="${g.width}" height="${height}" role="img" aria-labelledby="${titleId} ${descId}">`,
    `<title id="${titleId}">Access key age in days</title>`,
    `<desc id="${descId}">${escapeHtml(
      `${keys.length} keys named in findings. Rotation is due at ${dueAt} days and overdue after ${overAt} days. ${keys
        .map((k) => `${k.label}: ${k.ageDays} days`)
        .join('; ')}.`,
    )}</desc>`,
  );
  parts.push('<g class="axis">');
  for (let tick = 0; tick <= domain; tick += step) {
    const tx = round(x(tick));
    // The last tick of a narrow chart sits at the edge: anchored at its end, it stays inside.
    const anchor = narrow && tick + step > domain ? 'end' : 'middle';
    parts.push(
      `<line class="grid" x1="${tx}" x2="${tx}" y1="${g.top}" y2="${height - g.bottom}"/>`,
      `<text x="${tx}" y="${height - g.bottom + 16}" text-anchor="${anchor}">${tick}</text>`,
    );
  }
  parts.push(
    narrow
      ? `<text x="${g.plotX}" y="${height - g.bottom + 30}">age in days</text>`
      : `<text x="${g.plotX - 8}" y="${height - g.bottom + 16}" text-anchor="end">age in days</text>`,
    `<line class="axis-line" x1="${g.plotX}" x2="${g.plotX}" y1="${g.top}" y2="${height - g.bottom}"/>`,
    '</g>',
  );
  const dueX = round(x(dueAt));
  const overX = round(x(overAt));
  // Limits first, so bars and their labels are drawn over them.
  parts.push(
    `<line class="limit-due" x1="${dueX}" x2="${dueX}" y1="${g.top - 6}" y2="${height - g.bottom}"/>`,
    `<text x="${dueX - 4}" y="${g.top - 12}" text-anchor="end">due ${dueAt} d</text>`,
    `<line class="limit-over" x1="${overX}" x2="${overX}" y1="${g.top - 6}" y2="${height - g.bottom}"/>`,
    `<text x="${overX + 4}" y="${g.top - 12}">limit ${overAt} d</text>`,
  );
  keys.forEach((key, index) => {
    const y = g.top + index * g.rowHeight;
    const state = !key.active
      ? 'inactive'
      : key.ageDays > overAt
        ? 'over'
        : key.ageDays > dueAt
          ? 'due'
          : 'ok';
    const stateText = { inactive: 'inactive', over: 'overdue', due: 'due', ok: 'within limit' }[
      state
    ];
    const end = x(key.ageDays);
    const offScale = key.ageDays > domain;
    const value = `${key.ageDays} d · ${stateText}${offScale ? ' (off scale)' : ''}`;
    const barTop = y + g.barY;
    parts.push(
      '<g>',
      `<title>${h(key.label)}: ${key.ageDays} days, ${stateText}</title>`,
      narrow
        ? `<text x="${g.plotX}" y="${y + g.labelY}">${h(truncate(key.label, g.labelChars))}</text>`
        : `<text x="${g.plotX - 8}" y="${y + g.labelY}" text-anchor="end">${h(truncate(key.label, g.labelChars))}</text>`,
      `<rect class="bar-${state}" x="${g.plotX}" y="${barTop}" width="${round(Math.max(2, end - g.plotX))}" height="${g.barHeight}"/>`,
    );
    if (offScale) {
      // Two white slashes across the bar's end say "longer than drawn".
      const bx = round(end - 14);
      parts.push(
        `<path d="M${bx} ${barTop + 16} l6 -18 M${bx + 5} ${barTop + 16} l6 -18" stroke="#ffffff" stroke-width="2.5"/>`,
      );
    }
    if (narrow) {
      // The value goes on the label's line, at the right edge, where no bar can cover it.
      parts.push(
        `<text class="value" x="${g.plotX + g.plotWidth}" y="${y + g.labelY}" text-anchor="end">${value}</text>`,
      );
    } else {
      // An off-scale bar reaches the edge, so its value is written inside it.
      parts.push(
        offScale
          ? `<text class="inside" x="${round(end - 20)}" y="${y + g.labelY}" text-anchor="end">${value}</text>`
          : `<text class="value" x="${round(end + 6)}" y="${y + g.labelY}">${value}</text>`,
      );
    }
    parts.push('</g>');
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/**
 * Inline SVG: one row per incident, a bar from first to last seen across the report window
 * (or across the incidents' own span when the report has no window); at most `maxRows` rows,
 * in the report's order (worst first).
 */
export function incidentTimeline(
  report: Report,
  maxRows = Number.POSITIVE_INFINITY,
  layout: ChartLayout = 'wide',
): string {
  const g = GEOMETRY[layout];
  const narrow = layout === 'narrow';
  const incidents = report.incidents.slice(0, maxRows);
  const times = incidents
    .flatMap((i) => [Date.parse(i.firstSeen), Date.parse(i.lastSeen)])
    .filter(Number.isFinite);
  const windowStart = report.window === null ? Number.NaN : Date.parse(report.window.start);
  const windowEnd = report.window === null ? Number.NaN : Date.parse(report.window.end);
  const start = Math.min(...times, ...(Number.isFinite(windowStart) ? [windowStart] : []));
  const end0 = Math.max(...times, ...(Number.isFinite(windowEnd) ? [windowEnd] : []));
  const end = end0 > start ? end0 : start + 3_600_000;
  const x = (ms: number): number => g.plotX + ((ms - start) / (end - start)) * g.plotWidth;
  const height = g.top + incidents.length * g.rowHeight + g.bottom;
  const parts: string[] = [];
  parts.push(
    `<svg class="chart chart-${layout}" viewBox="0 0 ${g.width} ${height}" width="${g.width}" height="${height}" role="img" aria-labelledby="timeline-title${g.idSuffix} timeline-desc${g.idSuffix}">`,
    `<title id="timeline-title${g.idSuffix}">Incident timeline</title>`,
    `<desc id="timeline-desc${g.idSuffix}">${escapeHtml(
      `${incidents.length} incidents between ${formatDateTime(new Date(start).toISOString())} and ${formatDateTime(new Date(end).toISOString())}.`,
    )}</desc>`,
    `<rect class="window" x="${g.plotX}" y="${g.top}" width="${g.plotWidth}" height="${incidents.length * g.rowHeight}"/>`,
    '<g class="axis">',
  );
  const ticks = narrow ? 3 : 6;
  for (let index = 0; index <= ticks; index += 1) {
    const ms = start + ((end - start) * index) / ticks;
    const tx = round(x(ms));
    const iso = new Date(ms).toISOString();
    const label = `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
    // The outer ticks of a narrow chart sit at its edges: anchored inwards, they stay inside.
    const anchor = !narrow ? 'middle' : index === 0 ? 'start' : index === ticks ? 'end' : 'middle';
    parts.push(
      `<line class="grid" x1="${tx}" x2="${tx}" y1="${g.top}" y2="${height - g.bottom}"/>`,
      `<text x="${tx}" y="${height - g.bottom + 16}" text-anchor="${anchor}">${label}</text>`,
    );
  }
  parts.push(
    `<text x="${g.plotX}" y="${g.top - 12}" class="muted">${report.window === null ? 'span of the incidents' : 'report window'}, times in UTC</text>`,
    '</g>',
  );
  incidents.forEach((incident: Incident, index) => {
    const y = g.top + index * g.rowHeight;
    const first = Date.parse(incident.firstSeen);
    const last = Date.parse(incident.lastSeen);
    const x1 = Number.isFinite(first) ? x(first) : g.plotX;
    const x2 = Number.isFinite(last) ? x(last) : x1;
    const width = Math.max(4, x2 - x1);
    const label = truncate(
      `${SEVERITY_LABELS[incident.severity]} · ${INCIDENT_KIND_LABELS[incident.kind]}${subjectOf(incident)}`,
      g.labelChars + (narrow ? 12 : 0),
    );
    const barX = Math.min(x1, g.plotX + g.plotWidth - 4);
    // The count goes after the bar, or before it when the bar ends near the right edge.
    const countAfter = barX + width + 6;
    const countText = `×${incident.count}`;
    const countFits = countAfter + countText.length * 8 <= g.width;
    parts.push(
      '<g>',
      `<title>${h(incident.title)}: ${incident.count} events, ${h(formatDateTime(incident.firstSeen))} to ${h(formatDateTime(incident.lastSeen))}</title>`,
      narrow
        ? `<text x="${g.plotX}" y="${y + g.labelY}">${h(label)}</text>`
        : `<text x="${g.plotX - 8}" y="${y + g.labelY}" text-anchor="end">${h(label)}</text>`,
      `<rect class="sev-${incident.severity}" x="${round(barX)}" y="${y + g.barY}" width="${round(width)}" height="${g.barHeight}" rx="2"/>`,
      countFits || !narrow
        ? `<text class="value" x="${round(narrow ? countAfter : Math.min(countAfter, g.plotX + g.plotWidth + 6))}" y="${y + g.barY + 11}">${countText}</text>`
        : `<text class="value" x="${round(barX - 6)}" y="${y + g.barY + 11}" text-anchor="end">${countText}</text>`,
      '</g>',
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/**
 * Who or where an incident is about, for its chart label: the first principal's name (the
 * last part of an ARN) or the first log group, source IP or user agent.
 */
function subjectOf(incident: Incident): string {
  const principal = incident.principals[0];
  if (principal !== undefined) {
    const name = principal.split('/').pop() ?? principal;
    return ` · ${displayText(name.endsWith(':root') ? 'root' : name)}`;
  }
  const other = incident.logGroups[0] ?? incident.sourceIps[0];
  return other === undefined ? '' : ` · ${displayText(other)}`;
}

function niceStep(raw: number): number {
  const candidates = [1, 2, 5, 7, 10, 14, 15, 30, 60, 90, 180, 365, 730];
  return candidates.find((c) => c >= raw) ?? Math.ceil(raw / 365) * 365;
}

function niceCeiling(days: number): number {
  const step = niceStep(days / 6);
  return Math.max(step, Math.ceil(days / step) * step);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
