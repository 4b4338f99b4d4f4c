/** The HTML report's stylesheet: light by default, dark under prefers-color-scheme. */
export const STYLES = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --panel: #f6f8fa; --accent: #0969da;
  --code-bg: #f6f8fa; --hit: #fff3bf; --focus: #0969da;
  --v-move-to-rust: #c0392b; --v-pyo3-extension: #0072b2; --v-wasm-extension: #8e44ad;
  --v-keep-python: #8c959f; --v-keep-rust: #1a7f37; --v-keep-typescript: #6e7781; --v-keep-javascript: #6e7781;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #30363d; --panel: #161b22; --accent: #4493f8;
    --code-bg: #161b22; --hit: #3b2e00; --focus: #4493f8;
    --v-move-to-rust: #ff7b72; --v-pyo3-extension: #58a6ff; --v-wasm-extension: #d2a8ff;
    --v-keep-python: #6e7681; --v-keep-rust: #3fb950; --v-keep-typescript: #8b949e; --v-keep-javascript: #8b949e;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header { padding: 16px 24px 8px; border-bottom: 1px solid var(--line); }
header h1 { margin: 0; font-size: 20px; }
header p { margin: 4px 0 0; color: var(--muted); overflow-wrap: anywhere; }
main { padding: 16px 24px 48px; display: grid; gap: 20px; grid-template-columns: minmax(0, 1fr) minmax(360px, 1fr); align-items: start; }
main > .wide { grid-column: 1 / -1; }
h2 { font-size: 16px; margin: 0 0 8px; }
section, figure { margin: 0; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; }
.card { border: 1px solid var(--line); border-left: 6px solid var(--vc, var(--line)); background: var(--panel); color: var(--fg); border-radius: 6px; padding: 8px 14px; min-width: 150px; text-align: left; font: inherit; cursor: pointer; }
.card .n { font-size: 22px; font-weight: 600; display: block; }
.card .l { color: var(--muted); }
.card[aria-pressed="true"] { outline: 2px solid var(--accent); }
.note { color: var(--muted); margin: 6px 0 0; }
.charts { display: flex; flex-direction: column; gap: 20px; min-width: 0; }
figure { border: 1px solid var(--line); border-radius: 6px; padding: 12px; background: var(--bg); }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg { display: block; width: 100%; height: auto; overflow: visible; }
svg text { fill: var(--muted); font-size: 11px; }
svg .axis line, svg .grid line { stroke: var(--line); }
svg .axis-title { fill: var(--fg); font-size: 12px; }
circle.point { fill: var(--vc); fill-opacity: 0.7; stroke: var(--bg); stroke-width: 1; cursor: pointer; }
circle.point:hover, circle.point:focus { fill-opacity: 1; stroke: var(--fg); stroke-width: 2; outline: none; }
circle.point.selected { fill-opacity: 1; stroke: var(--fg); stroke-width: 3; }
.bar rect.fill { fill: var(--accent); fill-opacity: 0.75; }
.bar rect.measured { fill: var(--v-move-to-rust); fill-opacity: 0.8; }
.bar { cursor: pointer; }
.bar:focus { outline: none; }
.bar:focus rect.fill, .bar:hover rect.fill { fill-opacity: 1; }
.bar text.label { fill: var(--fg); }
.legend { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 6px; color: var(--muted); }
.legend .sw { display: inline-block; width: 10px; height: 10px; border-radius: 50%; background: var(--vc); margin-right: 5px; vertical-align: middle; }
.v-move-to-rust { --vc: var(--v-move-to-rust); } .v-pyo3-extension { --vc: var(--v-pyo3-extension); }
.v-wasm-extension { --vc: var(--v-wasm-extension); } .v-keep-python { --vc: var(--v-keep-python); }
.v-keep-rust { --vc: var(--v-keep-rust); } .v-keep-typescript { --vc: var(--v-keep-typescript); } .v-keep-javascript { --vc: var(--v-keep-javascript); }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; border: 1px solid var(--vc); color: var(--fg); background: var(--panel); white-space: nowrap; }
.badge::before { content: ""; display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: var(--vc); margin-right: 5px; }
#evidence { border: 1px solid var(--line); border-radius: 6px; padding: 12px; background: var(--panel); align-self: start; position: sticky; top: 8px; max-height: calc(100vh - 16px); overflow: auto; }
#evidence h3 { margin: 0 0 6px; font-size: 15px; overflow-wrap: anywhere; }
#evidence h4 { margin: 12px 0 4px; font-size: 13px; }
#evidence dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 6px 0; }
#evidence dt { color: var(--muted); }
#evidence dd { margin: 0; }
.runtime { border-left: 4px solid var(--accent); padding: 4px 10px; background: var(--bg); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.path { overflow-wrap: anywhere; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; white-space: pre-wrap; }
th button { font: inherit; font-weight: 600; color: var(--fg); background: none; border: 0; padding: 0; cursor: pointer; }
th[aria-sort="ascending"] button::after { content: " ▲"; }
th[aria-sort="descending"] button::after { content: " ▼"; }
tbody tr { cursor: pointer; }
tbody tr:hover, tbody tr:focus { background: var(--panel); outline: none; }
tbody tr.selected { background: var(--hit); }
.filters { display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 8px; align-items: center; }
input, select, button.pg { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: 4px 8px; }
input[type="search"] { min-width: 260px; }
.pager { display: flex; gap: 8px; align-items: center; margin-top: 8px; color: var(--muted); }
pre.code { background: var(--code-bg); border: 1px solid var(--line); border-radius: 4px; padding: 6px 0; overflow-x: auto; font: 12px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; margin: 4px 0; }
pre.code .row { display: block; padding: 0 8px; white-space: pre; }
pre.code .row.hit { background: var(--hit); }
pre.code .ln { display: inline-block; min-width: 4ch; color: var(--muted); text-align: right; margin-right: 12px; user-select: none; }
pre.code .gap { color: var(--muted); }
.reasons td.msg { color: var(--muted); }
.pos { color: var(--v-move-to-rust); } .neg { color: var(--v-keep-rust); }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
details summary { cursor: pointer; font-weight: 600; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 900px) { main { grid-template-columns: minmax(0, 1fr); } #evidence { position: static; max-height: none; } }
`;
