/**
 * `--format html`: one self-contained file. The report data is embedded as JSON in a
 * `<script type="application/json">` (every `<`, `>`, `&` and line separator escaped as \uXXXX, so
 * no file name can close the element), and a small inline script (src/report/html/app.ts) renders
 * it with textContent. A Content-Security-Policy allows only that script and stylesheet (by
 * hash) and no network at all, so opening the report fetches nothing.
 */
import { createHash } from 'node:crypto';
import type { Report } from '../model.js';
import { APP_SCRIPT } from './html/app.js';
import { STYLES } from './html/styles.js';
import { viewModel } from './html/view-model.js';

/**
 * Bidirectional-text controls from scanned names and source lines would reorder what the page shows
 * (the "Trojan Source" trick) even through textContent, so the page shows them as `[U+202E]`.
 */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** JSON safe inside a <script> element: no `</script>`, `<!--`, or U+2028/U+2029 can appear; bidi controls become `[U+XXXX]`. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(BIDI_CONTROLS, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

const BODY = `
<header>
  <h1>rustscout report</h1>
  <p id="meta"></p>
</header>
<main>
  <section class="wide" aria-labelledby="summary-heading">
    <h2 id="summary-heading">Summary by verdict</h2>
    <div id="summary" class="cards"></div>
    <p id="runtime-note" class="note"></p>
  </section>
  <div class="charts">
  <figure id="plot-figure">
    <figcaption>Modules: what Rust would gain against what the port would cost
      <label id="gain-axis-label" for="gain-axis" hidden> · gain axis
        <select id="gain-axis" hidden><option value="measured">measured Python time</option><option value="score">static score</option></select>
      </label>
    </figcaption>
    <svg id="scatter" role="group" aria-label="Scatter plot of modules: gain on the x axis, port cost on the y axis, one focusable point per module"></svg>
    <div id="legend" class="legend"></div>
    <p id="plot-note" class="note"></p>
  </figure>
  <figure id="hot-figure">
    <figcaption>Where the hot code lives</figcaption>
    <svg id="hotbars" role="group" aria-label="Bar chart of directories by lines in kernel functions"></svg>
    <p id="hot-note" class="note"></p>
  </figure>
  </div>
  <section id="evidence" tabindex="-1" aria-labelledby="evidence-heading">
    <h2 id="evidence-heading">Evidence</h2>
    <p id="evidence-status" class="sr-only" aria-live="polite"></p>
    <div id="evidence-body"><p class="note">Click a point or a row to see its evidence.</p></div>
  </section>
  <section class="wide" id="components-section" aria-labelledby="components-heading">
    <h2 id="components-heading">Components</h2>
    <table id="components"><thead></thead><tbody></tbody></table>
    <p id="components-note" class="note"></p>
  </section>
  <section class="wide" aria-labelledby="modules-heading">
    <h2 id="modules-heading">Modules</h2>
    <div class="filters">
      <label><span class="sr-only">Filter by path or signal</span><input id="filter-text" type="search" placeholder="filter by path or signal…" autocomplete="off"></label>
      <label><span class="sr-only">Verdict</span><select id="filter-verdict"><option value="">all verdicts</option></select></label>
      <label><span class="sr-only">Component</span><select id="filter-component"><option value="">all components</option></select></label>
    </div>
    <table id="modules"><thead></thead><tbody></tbody></table>
    <div class="pager"><button type="button" class="pg" id="prev">‹ previous</button><span id="page-info" aria-live="polite"></span><button type="button" class="pg" id="next">next ›</button></div>
  </section>
  <section class="wide" id="warnings-section" hidden>
    <details><summary>Warnings (<span id="warnings-count"></span>)</summary><ul id="warnings-list"></ul></details>
  </section>
</main>`;

export function renderHtml(report: Report): string {
  const csp = `default-src 'none'; script-src ${sha256(APP_SCRIPT)}; style-src ${sha256(STYLES)}; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="generator" content="rustscout ${report.tool.version.replace(/[^\w.+-]/g, '')}">
<title>rustscout report</title>
<style>${STYLES}</style>
</head>
<body>${BODY}
<script type="application/json" id="rustscout-data">${embedJson(viewModel(report))}</script>
<script>${APP_SCRIPT}</script>
</body>
</html>
`;
}
