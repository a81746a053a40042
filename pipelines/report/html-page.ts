/**
 * The report's HTML shell: one self-contained page with inline styles, no scripts and a
 * Content-Security-Policy that forbids every network request, so it opens offline and
 * can be mailed around as a single file.
 */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** One chart section: heading, one-line reading guide, the inline SVG. */
export interface ChartSection {
  id: string;
  title: string;
  /** How to read the chart, in plain words (text, escaped on output). */
  guide: string;
  svg: string;
  /** Sections marked wide take the full page width. */
  wide?: boolean;
}

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f8fafc; color: #111827;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 24px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 0 0 4px; }
.subtitle { color: #4b5563; margin: 0 0 20px; }
.card { background: white; border: 1px solid #e5e7eb; border-radius: 10px; padding: 18px 20px; margin-bottom: 18px; }
.grid { margin-bottom: 18px; display: grid; grid-template-columns: repeat(auto-fit, minmax(min(480px, 100%), 1fr)); gap: 18px; }
.grid .card { margin-bottom: 0; }
.wide { grid-column: 1 / -1; }
.guide { color: #4b5563; font-size: 13.5px; margin: 0 0 10px; }
figure { margin: 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; display: block; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
th { font-weight: 600; background: #f9fafb; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.note { color: #6b7280; font-size: 13px; }
.better { font-weight: 700; }
ul.findings { margin: 0; padding-left: 20px; }
ul.findings li { margin: 4px 0; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; }
footer { color: #6b7280; font-size: 13px; }
.chance { background: #fef2f2; border: 2px solid #dc2626; color: #7f1d1d; border-radius: 10px; padding: 12px 16px; font-weight: 600; margin: 0 0 18px; }
footer code { font-size: 12.5px; word-break: break-all; }
@media print { body { background: white; } .card { break-inside: avoid; border-color: #d1d5db; } }
`;

/** Assembles the page from pre-rendered, already escaped HTML blocks and chart sections. */
export function htmlPage(parts: {
  /** Said first, above everything else (the chance statement), already escaped. */
  warningHtml?: string;
  title: string;
  subtitle: string;
  summaryHtml: string;
  findingsHtml: string;
  /** The tier cut-offs card, already escaped. Optional. */
  cutoffsHtml?: string;
  sections: ChartSection[];
  provenanceHtml: string;
}): string {
  const sections = parts.sections
    .map(
      (s) => `<section class="card${s.wide ? ' wide' : ''}" id="${escapeHtml(s.id)}" data-chart="${escapeHtml(s.id)}">
<h2>${escapeHtml(s.title)}</h2>
<p class="guide">${escapeHtml(s.guide)}</p>
<figure aria-label="${escapeHtml(s.title)}">${s.svg}</figure>
</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(parts.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${parts.warningHtml ?? ''}
<header>
<h1>${escapeHtml(parts.title)}</h1>
<p class="subtitle">${escapeHtml(parts.subtitle)}</p>
</header>
<div class="grid">
<section class="card wide" id="summary"><h2>Summary</h2>${parts.summaryHtml}</section>
<section class="card wide" id="findings"><h2>In short</h2>${parts.findingsHtml}</section>
${parts.cutoffsHtml ? `<section class="card wide" id="cutoffs"><h2>Where the tiers start</h2>${parts.cutoffsHtml}</section>` : ''}
${sections}
</div>
<footer class="card" id="provenance"><h2>Provenance</h2>${parts.provenanceHtml}</footer>
</main>
</body>
</html>
`;
}
