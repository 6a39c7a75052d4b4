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

const WIDTH = 1000;
const LABEL_WIDTH = 300;
const VALUE_WIDTH = 150;
const ROW_HEIGHT = 24;
const TOP = 34;
const BOTTOM = 34;
const PLOT_WIDTH = WIDTH - LABEL_WIDTH - VALUE_WIDTH;

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
export function keyAgeChart(keys: readonly ChartKey[], limits: KeyAgeLimits): string {
  const dueAt = Math.max(0, limits.maxKeyAgeDays - limits.reminderLeadDays);
  const overAt = limits.maxKeyAgeDays;
  const oldest = Math.max(0, ...keys.map((k) => k.ageDays));
  // Far-off ages would squash the limits into the left edge: the scale stops at four limits.
  const domain = niceCeiling(Math.max(overAt * 1.2, Math.min(oldest, Math.max(overAt * 4, 365))));
  const x = (days: number): number => LABEL_WIDTH + (Math.min(days, domain) / domain) * PLOT_WIDTH;
  const height = TOP + keys.length * ROW_HEIGHT + BOTTOM;
  const step = niceStep(domain / 6);
  const parts: string[] = [];
  const titleId = 'key-age-title';
  const descId = 'key-age-desc';
  parts.push(
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="${titleId} ${descId}">`,
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
    parts.push(
      `<line class="grid" x1="${tx}" x2="${tx}" y1="${TOP}" y2="${height - BOTTOM}"/>`,
      `<text x="${tx}" y="${height - BOTTOM + 16}" text-anchor="middle">${tick}</text>`,
    );
  }
  parts.push(
    `<text x="${LABEL_WIDTH - 8}" y="${height - BOTTOM + 16}" text-anchor="end">age in days</text>`,
    `<line class="axis-line" x1="${LABEL_WIDTH}" x2="${LABEL_WIDTH}" y1="${TOP}" y2="${height - BOTTOM}"/>`,
    '</g>',
  );
  const dueX = round(x(dueAt));
  const overX = round(x(overAt));
  // Limits first, so bars and their labels are drawn over them.
  parts.push(
    `<line class="limit-due" x1="${dueX}" x2="${dueX}" y1="${TOP - 6}" y2="${height - BOTTOM}"/>`,
    `<text x="${dueX - 4}" y="${TOP - 12}" text-anchor="end">due ${dueAt} d</text>`,
    `<line class="limit-over" x1="${overX}" x2="${overX}" y1="${TOP - 6}" y2="${height - BOTTOM}"/>`,
    `<text x="${overX + 4}" y="${TOP - 12}">limit ${overAt} d</text>`,
  );
  keys.forEach((key, index) => {
    const y = TOP + index * ROW_HEIGHT;
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
    parts.push(
      '<g>',
      `<title>${h(key.label)}: ${key.ageDays} days, ${stateText}</title>`,
      `<text x="${LABEL_WIDTH - 8}" y="${y + 16}" text-anchor="end">${h(truncate(key.label, 44))}</text>`,
      `<rect class="bar-${state}" x="${LABEL_WIDTH}" y="${y + 5}" width="${round(Math.max(2, end - LABEL_WIDTH))}" height="${ROW_HEIGHT - 10}"/>`,
    );
    if (offScale) {
      // Two white slashes across the bar's end say "longer than drawn".
      const bx = round(end - 14);
      parts.push(
        `<path d="M${bx} ${y + 21} l6 -18 M${bx + 5} ${y + 21} l6 -18" stroke="#ffffff" stroke-width="2.5"/>`,
      );
    }
    // An off-scale bar reaches the edge, so its value is written inside it.
    parts.push(
      offScale
        ? `<text class="inside" x="${round(end - 20)}" y="${y + 16}" text-anchor="end">${key.ageDays} d · ${stateText} (off scale)</text>`
        : `<text class="value" x="${round(end + 6)}" y="${y + 16}">${key.ageDays} d · ${stateText}</text>`,
      '</g>',
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/**
 * Inline SVG: one row per incident, a bar from first to last seen across the report window
 * (or across the incidents' own span when the report has no window); at most `maxRows` rows,
 * in the report's order (worst first).
 */
export function incidentTimeline(report: Report, maxRows = Number.POSITIVE_INFINITY): string {
  const incidents = report.incidents.slice(0, maxRows);
  const times = incidents
    .flatMap((i) => [Date.parse(i.firstSeen), Date.parse(i.lastSeen)])
    .filter(Number.isFinite);
  const windowStart = report.window === null ? Number.NaN : Date.parse(report.window.start);
  const windowEnd = report.window === null ? Number.NaN : Date.parse(report.window.end);
  const start = Math.min(...times, ...(Number.isFinite(windowStart) ? [windowStart] : []));
  const end0 = Math.max(...times, ...(Number.isFinite(windowEnd) ? [windowEnd] : []));
  const end = end0 > start ? end0 : start + 3_600_000;
  const x = (ms: number): number => LABEL_WIDTH + ((ms - start) / (end - start)) * PLOT_WIDTH;
  const height = TOP + incidents.length * ROW_HEIGHT + BOTTOM;
  const parts: string[] = [];
  parts.push(
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="timeline-title timeline-desc">`,
    '<title id="timeline-title">Incident timeline</title>',
    `<desc id="timeline-desc">${escapeHtml(
      `${incidents.length} incidents between ${formatDateTime(new Date(start).toISOString())} and ${formatDateTime(new Date(end).toISOString())}.`,
    )}</desc>`,
    `<rect class="window" x="${LABEL_WIDTH}" y="${TOP}" width="${PLOT_WIDTH}" height="${incidents.length * ROW_HEIGHT}"/>`,
    '<g class="axis">',
  );
  const ticks = 6;
  for (let index = 0; index <= ticks; index += 1) {
    const ms = start + ((end - start) * index) / ticks;
    const tx = round(x(ms));
    const iso = new Date(ms).toISOString();
    const label = `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
    parts.push(
      `<line class="grid" x1="${tx}" x2="${tx}" y1="${TOP}" y2="${height - BOTTOM}"/>`,
      `<text x="${tx}" y="${height - BOTTOM + 16}" text-anchor="middle">${label}</text>`,
    );
  }
  parts.push(
    `<text x="${LABEL_WIDTH}" y="${TOP - 12}" class="muted">${report.window === null ? 'span of the incidents' : 'report window'}, times in UTC</text>`,
    '</g>',
  );
  incidents.forEach((incident: Incident, index) => {
    const y = TOP + index * ROW_HEIGHT;
    const first = Date.parse(incident.firstSeen);
    const last = Date.parse(incident.lastSeen);
    const x1 = Number.isFinite(first) ? x(first) : LABEL_WIDTH;
    const x2 = Number.isFinite(last) ? x(last) : x1;
    const width = Math.max(4, x2 - x1);
    const label = `${SEVERITY_LABELS[incident.severity]} · ${INCIDENT_KIND_LABELS[incident.kind]}`;
    const countX = Math.min(x1 + width + 6, LABEL_WIDTH + PLOT_WIDTH + 6);
    parts.push(
      '<g>',
      `<title>${h(incident.title)}: ${incident.count} events, ${h(formatDateTime(incident.firstSeen))} to ${h(formatDateTime(incident.lastSeen))}</title>`,
      `<text x="${LABEL_WIDTH - 8}" y="${y + 16}" text-anchor="end">${h(label)}</text>`,
      `<rect class="sev-${incident.severity}" x="${round(Math.min(x1, LABEL_WIDTH + PLOT_WIDTH - 4))}" y="${y + 5}" width="${round(width)}" height="${ROW_HEIGHT - 10}" rx="2"/>`,
      `<text class="value" x="${round(countX)}" y="${y + 16}">×${incident.count}</text>`,
      '</g>',
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
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
