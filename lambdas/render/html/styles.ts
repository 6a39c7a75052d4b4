/**
 * The page's style sheet, inline so the report is one file that works offline. Colours meet
 * WCAG AA against their backgrounds, and every coloured mark also carries a text label.
 */
export const STYLES = `
:root {
  --fg: #1d2433; --muted: #4b5565; --line: #d0d5dd; --bg: #ffffff; --panel: #f6f7f9;
  --critical: #7a1020; --high: #b42318; --medium: #93370d; --low: #1d4ed8; --info: #475467;
  --critical-bg: #7a1020; --high-bg: #b42318; --medium-bg: #fef0c7; --low-bg: #e0eaff; --info-bg: #eef0f3;
  --ok: #067647; --warn: #93370d; --bad: #b42318;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--fg); background: var(--bg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header, main, footer { max-width: 1240px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; }
h1 { font-size: 1.6rem; margin: 0 0 8px; }
h2 { font-size: 1.25rem; margin: 32px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 20px 0 8px; }
a { color: #1849a9; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; overflow-wrap: anywhere; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; }
.notice { border: 1px solid #f7b27a; background: #fffaeb; padding: 10px 14px; border-radius: 6px; margin: 12px 0; }
.cards { list-style: none; padding: 0; margin: 0; display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-left-width: 6px; border-radius: 6px; padding: 10px 14px; background: var(--panel); }
.card .count { display: block; font-size: 2rem; font-weight: 700; line-height: 1.1; }
.card .name { font-weight: 600; }
.card .split { display: block; color: var(--muted); font-size: 0.85rem; }
.card.sev-critical { border-left-color: var(--critical); }
.card.sev-high { border-left-color: var(--high); }
.card.sev-medium { border-left-color: #dc6803; }
.card.sev-low { border-left-color: var(--low); }
.card.sev-info { border-left-color: var(--info); }
.card.zero { opacity: 1; background: var(--bg); }
.card.zero .count { color: var(--muted); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 0.8rem; font-weight: 700; letter-spacing: 0.02em; white-space: nowrap; border: 1px solid transparent; }
.badge.sev-critical { background: var(--critical-bg); color: #fff; }
.badge.sev-high { background: var(--high-bg); color: #fff; }
.badge.sev-medium { background: var(--medium-bg); color: #7a2e0e; border-color: #fec84b; }
.badge.sev-low { background: var(--low-bg); color: #1d3a8a; border-color: #b2ccff; }
.badge.sev-info { background: var(--info-bg); color: #344054; border-color: #d0d5dd; }
.badge.state-ok { background: #ecfdf3; color: var(--ok); border-color: #abefc6; }
.badge.state-degraded { background: #fffaeb; color: var(--warn); border-color: #fec84b; }
.badge.state-missing { background: #fef3f2; color: var(--bad); border-color: #fda29b; }
.first-steps li { margin-bottom: 4px; }
figure { margin: 0; }
figcaption { color: var(--muted); font-size: 0.9rem; margin-top: 4px; }
.chart { width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
.chart text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--fg); }
.chart .axis text, .chart .muted { fill: var(--muted); }
.chart text.value, .chart-narrow text { paint-order: stroke; stroke: #ffffff; stroke-width: 4px; stroke-linejoin: round; }
.chart text.inside { fill: #ffffff; font-weight: 600; }
.chart .grid { stroke: #eaecf0; }
.chart .axis-line { stroke: #98a2b3; }
.chart .limit-due { stroke: #b54708; stroke-dasharray: 6 4; stroke-width: 2; }
.chart .limit-over { stroke: var(--high); stroke-width: 2; }
.chart .bar-ok { fill: #667085; }
.chart .bar-due { fill: #dc6803; }
.chart .bar-over { fill: var(--high); }
.chart .bar-inactive { fill: #d0d5dd; stroke: #667085; stroke-dasharray: 3 2; }
.chart .sev-critical { fill: var(--critical); }
.chart .sev-high { fill: var(--high); }
.chart .sev-medium { fill: #dc6803; }
.chart .sev-low { fill: var(--low); }
.chart .sev-info { fill: #667085; }
.chart .window { fill: var(--panel); }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
caption { text-align: left; color: var(--muted); padding: 4px 0 8px; caption-side: top; }
th, td { text-align: left; vertical-align: top; padding: 8px 10px; border-bottom: 1px solid var(--line); }
thead th { background: var(--panel); border-bottom: 2px solid #98a2b3; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; overflow-wrap: normal; }
td ol, td ul { margin: 0; padding-left: 1.2em; }
td .sub { display: block; color: var(--muted); font-size: 0.85rem; }
td .title { font-weight: 600; display: block; }
/* Fixed column widths: long ARNs and commands wrap inside their column instead of squeezing the others to one character. */
table.findings, table.incidents { table-layout: fixed; }
table.findings, table.incidents, table.sources { overflow-wrap: anywhere; }
table.findings thead th, table.incidents thead th { white-space: normal; overflow-wrap: normal; }
table.findings th:nth-child(1) { width: 9%; }
table.findings th:nth-child(2) { width: 22%; }
table.findings th:nth-child(3) { width: 12%; }
table.findings th:nth-child(4) { width: 12%; }
table.findings th:nth-child(5) { width: 6%; }
table.findings th:nth-child(6) { width: 14%; }
table.findings th:nth-child(7) { width: 25%; }
table.incidents th:nth-child(1) { width: 9%; }
table.incidents th:nth-child(2) { width: 17%; }
table.incidents th:nth-child(3) { width: 11%; }
table.incidents th:nth-child(4) { width: 7%; }
table.incidents th:nth-child(5) { width: 27%; }
table.incidents th:nth-child(6) { width: 29%; }
.chart-narrow { display: none; }
td dl { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: 0 10px; }
td dt { color: var(--muted); }
td dd { margin: 0; overflow-wrap: anywhere; }
th[aria-sort] .sort::after { content: " \\25B2"; }
th[aria-sort="descending"] .sort::after { content: " \\25BC"; }
button.sort { font: inherit; font-weight: 700; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; text-decoration: underline dotted; }
button.sort:focus-visible, a:focus-visible { outline: 3px solid #1849a9; outline-offset: 2px; }
footer { color: var(--muted); font-size: 0.85rem; padding-top: 24px; padding-bottom: 32px; }
@media (max-width: 800px) { .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
/* Phones: charts with their labels above the bars, and every table row as a card of labelled fields. */
@media screen and (max-width: 700px) {
  header, main, footer { padding-left: 14px; padding-right: 14px; }
  h1 { font-size: 1.35rem; overflow-wrap: anywhere; }
  .meta { grid-template-columns: 1fr; }
  .meta dd { margin-bottom: 6px; }
  .chart-wide { display: none; }
  .chart-narrow { display: block; }
  .table-wrap { overflow-x: visible; }
  table.findings, table.incidents, table.sources { table-layout: auto; }
  table.findings, table.incidents, table.sources, table tbody, table tbody tr, table tbody td, table tbody th { display: block; width: auto; }
  table thead { display: block; border-bottom: 2px solid #98a2b3; }
  table thead tr { display: flex; flex-wrap: wrap; gap: 4px 14px; }
  table caption { display: block; }
  table thead th, table.findings thead th:nth-child(n), table.incidents thead th:nth-child(n) { display: block; width: auto; white-space: nowrap; background: none; border: 0; padding: 4px 0; }
  table thead th:not([data-sort]):nth-child(n), table.sources thead { display: none; }
  table tbody tr { border: 1px solid var(--line); border-radius: 6px; margin: 10px 0; padding: 6px 12px; }
  table tbody td, table tbody th { border: 0; padding: 4px 0; text-align: left; }
  table tbody td.num { text-align: left; }
  table tbody td.empty { display: none; }
  td[data-label]::before { content: attr(data-label); display: block; color: var(--muted); font-size: 0.8rem; font-weight: 600; }
  td[data-label="Severity"]::before, td[data-label="Finding"]::before, td[data-label="Incident"]::before, td[data-label="Status"]::before, td[data-label="Detail"]::before, td[data-label="Cause and fix"]::before { content: none; }
  table.sources tbody th, table.sources tbody td[data-label="Status"] { display: inline-block; margin-right: 8px; }
}
@media print {
  body { font-size: 10pt; }
  .cards { grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 6px; }
  .card .count { font-size: 1.4rem; }
  header, main, footer { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  tr, figure, .card { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  button.sort { text-decoration: none; }
  th[aria-sort] .sort::after { content: ""; }
  .chart-wide { display: block; }
  .chart-narrow { display: none; }
  .badge, .card, .chart * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
`;
