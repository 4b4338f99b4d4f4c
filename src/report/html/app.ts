/**
 * The HTML report's script, run in the browser. It reads the embedded JSON and builds every
 * dynamic node with createElement + textContent (never innerHTML), so names from the scanned
 * repository cannot inject markup. The plot draws at most MAX_POINTS circles (all rewrite
 * candidates first, then an even sample of the rest, and says so); tables show PAGE_SIZE rows at
 * a time, so 20,000 modules do not freeze the page.
 */
import { VERDICT_ORDER } from '../verdict-order.js';

export const MAX_POINTS = 4000;
export const PAGE_SIZE = 100;

export const APP_SCRIPT = String.raw`
(function () {
  'use strict';
  var MAX_POINTS = __MAX_POINTS__;
  var PAGE_SIZE = __PAGE_SIZE__;
  var data = JSON.parse(document.getElementById('rustscout-data').textContent);
  var modules = data.modules;
  var SVGNS = 'http://www.w3.org/2000/svg';
  var VERDICT_ORDER = __VERDICT_ORDER__;
  var REWRITE = { 'move-to-rust': 1, 'pyo3-extension': 1, 'wasm-extension': 1 };
  var selected = -1;

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = String(text);
    return n;
  }
  function svg(tag, attrs, text) {
    var n = document.createElementNS(SVGNS, tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) n.setAttribute(k, String(attrs[k]));
    if (text !== undefined) n.textContent = String(text);
    return n;
  }
  function clear(n) { while (n.firstChild) n.removeChild(n.firstChild); return n; }
  function pct(x) { return (x * 100).toFixed(x < 0.1 ? 1 : 0) + '%'; }
  function fmt(x) { return x >= 100 ? String(Math.round(x)) : x.toFixed(2); }
  function rank(v) { var i = VERDICT_ORDER.indexOf(v); return i < 0 ? VERDICT_ORDER.length : i; }
  function badge(v) { return el('span', 'badge v-' + v, v || '-'); }
  function debounce(fn, ms) { var t; return function () { clearTimeout(t); t = setTimeout(fn, ms); }; }

  // ── header and summary ──────────────────────────────────────────────
  document.title = 'rustscout — ' + data.root;
  $('meta').textContent = data.root + ' · rustscout ' + data.version + ' · ' + modules.length + ' modules';
  var verdicts = {};
  modules.forEach(function (m) { var s = verdicts[m.verdict] || (verdicts[m.verdict] = { n: 0, loc: 0 }); s.n++; s.loc += m.loc; });
  Object.keys(data.summary).forEach(function (v) { if (!verdicts[v]) verdicts[v] = { n: 0, loc: 0 }; });
  var cards = $('summary');
  Object.keys(verdicts).sort(function (a, b) { return rank(a) - rank(b); }).forEach(function (v) {
    var b = el('button', 'card v-' + v);
    b.type = 'button';
    b.setAttribute('aria-pressed', 'false');
    b.dataset.verdict = v;
    b.appendChild(el('span', 'n', verdicts[v].n));
    b.appendChild(el('span', 'l', v + ' · ' + verdicts[v].loc + ' lines'));
    b.addEventListener('click', function () {
      var sel = $('filter-verdict');
      sel.value = sel.value === v ? '' : v;
      state.verdict = sel.value;
      state.page = 0;
      renderModules();
    });
    cards.appendChild(b);
  });
  if (data.runtime) {
    var parts = data.runtime.profiles.map(function (p) {
      return p.source + ' (' + p.format + ', ' + pct(p.matchedShare) + ' of the run in scanned code, ' + p.modulesMatched + ' modules)';
    });
    $('runtime-note').textContent = 'Runtime profiles: ' + parts.join('; ') + '. Ceilings assume Rust runs pure-Python time ' +
      data.runtime.assumedSpeedup + '× faster; rewrites whose best case is under ' + data.runtime.negligibleCeiling + '× are not recommended.';
  }

  // ── scatter plot ────────────────────────────────────────────────────
  var W = 640, H = 380, M = { l: 52, r: 16, t: 12, b: 44 };
  var plot = $('scatter');
  plot.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
  var axisSelect = $('gain-axis');
  axisSelect.value = data.gainAxis;
  if (data.gainAxis === 'measured') {
    axisSelect.hidden = false;
    $('gain-axis-label').hidden = false;
  }
  function gainOf(m) { return axisSelect.value === 'score' ? m.score : m.gain; }
  function plotted() {
    var idx = modules.map(function (_, i) { return i; });
    if (idx.length <= MAX_POINTS) return { idx: idx, sampled: false };
    var must = idx.filter(function (i) { return REWRITE[modules[i].verdict]; }).slice(0, MAX_POINTS);
    var rest = idx.filter(function (i) { return !REWRITE[modules[i].verdict]; });
    var room = MAX_POINTS - must.length, step = rest.length / Math.max(1, room), out = must.slice();
    for (var k = 0; k < room; k++) out.push(rest[Math.floor(k * step)]);
    return { idx: out, sampled: true };
  }
  function renderPlot() {
    clear(plot);
    var measured = axisSelect.value !== 'score';
    var sel = plotted();
    var topX = Math.max.apply(null, sel.idx.map(function (i) { return gainOf(modules[i]); }).concat([0]));
    var maxX = measured ? [5, 10, 20, 25, 50, 75, 100].filter(function (x) { return x >= topX; })[0] || 100 : 100;
    var maxY = Math.max(2, Math.ceil(Math.max.apply(null, sel.idx.map(function (i) { return modules[i].cost; }).concat([0]))));
    var maxLoc = Math.max(1, Math.max.apply(null, sel.idx.map(function (i) { return modules[i].loc; }).concat([1])));
    function sx(x) { return M.l + (x / maxX) * (W - M.l - M.r); }
    function sy(y) { return H - M.b - (y / maxY) * (H - M.t - M.b); }
    var grid = svg('g', { 'class': 'grid' });
    var axis = svg('g', { 'class': 'axis' });
    for (var t = 0; t <= 5; t++) {
      var xv = (maxX * t) / 5, yv = (maxY * t) / 5;
      grid.appendChild(svg('line', { x1: sx(xv), x2: sx(xv), y1: M.t, y2: H - M.b }));
      grid.appendChild(svg('line', { x1: M.l, x2: W - M.r, y1: sy(yv), y2: sy(yv) }));
      axis.appendChild(svg('text', { x: sx(xv), y: H - M.b + 16, 'text-anchor': 'middle' }, measured ? xv.toFixed(maxX < 10 ? 1 : 0) + '%' : Math.round(xv)));
      axis.appendChild(svg('text', { x: M.l - 8, y: sy(yv) + 4, 'text-anchor': 'end' }, yv.toFixed(1)));
    }
    axis.appendChild(svg('text', { 'class': 'axis-title', x: (M.l + W - M.r) / 2, y: H - 6, 'text-anchor': 'middle' },
      measured ? 'gain → measured Python time (% of the profiled run)' : 'gain → static score (0–100)'));
    axis.appendChild(svg('text', { 'class': 'axis-title', x: 14, y: (M.t + H - M.b) / 2, 'text-anchor': 'middle', transform: 'rotate(-90 14 ' + (M.t + H - M.b) / 2 + ')' },
      'port cost → (size, glue, boundary, importers)'));
    plot.appendChild(grid);
    plot.appendChild(axis);
    var points = svg('g', { 'class': 'points' });
    sel.idx.slice().sort(function (a, b) { return modules[b].loc - modules[a].loc; }).forEach(function (i) {
      var m = modules[i];
      var r = 3 + 11 * Math.sqrt(m.loc / maxLoc);
      var c = svg('circle', { 'class': 'point v-' + m.verdict + (i === selected ? ' selected' : ''), cx: sx(Math.min(gainOf(m), maxX)).toFixed(1), cy: sy(m.cost).toFixed(1), r: r.toFixed(1), tabindex: 0, role: 'button', 'data-i': i });
      c.setAttribute('aria-label', m.path + ': ' + m.verdict + ', score ' + m.score + ', ' + m.loc + ' lines');
      c.appendChild(svg('title', {}, m.path + '\n' + m.verdict + ' · score ' + m.score + ' · ' + m.loc + ' lines' + (m.python !== undefined ? ' · ' + pct(m.python) + ' Python time' : '')));
      points.appendChild(c);
    });
    plot.appendChild(points);
    $('plot-note').textContent = sel.sampled
      ? 'Showing ' + sel.idx.length + ' of ' + modules.length + ' modules: every rewrite candidate and an even sample of the rest (the table lists all).'
      : 'One point per module (' + modules.length + '). Size: lines of code. Click a point, or focus it and press Enter, for its evidence.';
  }
  function activatePoint(ev) {
    var t = ev.target;
    if (t && t.getAttribute && t.getAttribute('data-i') !== null) select(Number(t.getAttribute('data-i')), false);
  }
  plot.addEventListener('click', activatePoint);
  plot.addEventListener('keydown', function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); activatePoint(ev); } });
  axisSelect.addEventListener('change', renderPlot);
  var legend = $('legend');
  Object.keys(verdicts).sort(function (a, b) { return rank(a) - rank(b); }).forEach(function (v) {
    var s = el('span', 'v-' + v);
    s.appendChild(el('span', 'sw'));
    s.appendChild(document.createTextNode(v));
    legend.appendChild(s);
  });

  // ── where the hot code lives ────────────────────────────────────────
  function dirOf(path) {
    var segs = path.split('/');
    segs.pop();
    return segs.length ? segs.slice(0, 2).join('/') + '/' : './';
  }
  function renderHotBars() {
    var groups = {};
    modules.forEach(function (m) {
      var key = dirOf(m.path);
      var g = groups[key] || (groups[key] = { dir: key, hot: 0, measured: 0, n: 0 });
      g.hot += m.hotLoc; g.n++;
      if (m.python) g.measured += m.python;
    });
    var list = Object.keys(groups).map(function (k) { return groups[k]; })
      .filter(function (g) { return g.hot > 0 || g.measured > 0; })
      .sort(function (a, b) { return (b.measured - a.measured) || (b.hot - a.hot) || (a.dir < b.dir ? -1 : 1); }).slice(0, 12);
    var box = $('hotbars');
    clear(box);
    box.style.display = list.length ? '' : 'none';
    if (!list.length) { $('hot-note').textContent = 'No kernel functions found and no measured time: nothing here is hot.'; return; }
    var anyMeasured = list.some(function (g) { return g.measured > 0; });
    var BW = Math.max(480, Math.round(box.getBoundingClientRect().width) || 640), row = 26, LW = Math.min(300, Math.round(BW * 0.3)), top = 4;
    box.setAttribute('viewBox', '0 0 ' + BW + ' ' + (top + list.length * row + 4));
    var maxHot = Math.max.apply(null, list.map(function (g) { return g.hot; }).concat([1]));
    var maxMeasured = Math.max.apply(null, list.map(function (g) { return g.measured; }).concat([1e-9]));
    list.forEach(function (g, k) {
      var y = top + k * row;
      var bar = svg('g', { 'class': 'bar', tabindex: 0, role: 'button' });
      bar.setAttribute('aria-label', g.dir + ': ' + g.hot + ' lines in kernel functions' + (anyMeasured ? ', ' + pct(g.measured) + ' measured Python time' : '') + '. Filter the table to it.');
      bar.appendChild(svg('text', { 'class': 'label', x: LW - 8, y: y + 15, 'text-anchor': 'end' }, g.dir.length > 34 ? '…' + g.dir.slice(-33) : g.dir));
      var wHot = ((BW - LW - 200) * g.hot) / maxHot;
      bar.appendChild(svg('rect', { 'class': 'fill', x: LW, y: y + 3, width: Math.max(1, wHot).toFixed(1), height: anyMeasured ? 9 : 16, rx: 2 }));
      if (anyMeasured) bar.appendChild(svg('rect', { 'class': 'measured', x: LW, y: y + 13, width: Math.max(g.measured > 0 ? 1 : 0, (BW - LW - 200) * g.measured / maxMeasured).toFixed(1), height: 9, rx: 2 }));
      bar.appendChild(svg('text', { x: LW + Math.max(wHot, anyMeasured ? (BW - LW - 200) * g.measured / maxMeasured : 0) + 6, y: y + 15 }, g.hot + ' kernel lines' + (anyMeasured ? ' · ' + pct(g.measured) + ' measured' : '')));
      var go = function () { $('filter-text').value = g.dir === './' ? '' : g.dir; state.text = $('filter-text').value.toLowerCase(); state.page = 0; renderModules(); $('modules-heading').scrollIntoView({ block: 'start' }); };
      bar.addEventListener('click', go);
      bar.addEventListener('keydown', function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); go(); } });
      box.appendChild(bar);
    });
    $('hot-note').textContent = 'Top ' + list.length + ' directories by lines in kernel functions (blue)' + (anyMeasured ? ' and measured pure-Python time (red)' : '') + '. Click a bar to filter the modules table.';
  }

  // ── sortable, filterable, paginated tables ──────────────────────────
  var state = { key: 'score', dir: -1, text: '', verdict: '', component: '', page: 0 };
  var MODULE_COLUMNS = [
    { key: 'path', label: 'module', get: function (m) { return m.path; }, cls: 'path' },
    { key: 'verdict', label: 'verdict', get: function (m) { return rank(m.verdict); }, cell: function (m) { return badge(m.verdict); } },
    { key: 'score', label: 'score', num: true, get: function (m) { return m.score; } },
    { key: 'confidence', label: 'conf.', num: true, get: function (m) { return m.confidence; }, text: function (m) { return m.confidence.toFixed(2); } },
    { key: 'loc', label: 'lines', num: true, get: function (m) { return m.loc; } },
    { key: 'fanIn', label: 'importers', num: true, get: function (m) { return m.fanIn; } },
    { key: 'cost', label: 'port cost', num: true, get: function (m) { return m.cost; }, text: function (m) { return m.cost.toFixed(1); } },
  ];
  if (data.runtime) MODULE_COLUMNS.push({ key: 'measured', label: 'Python time', num: true, get: function (m) { return m.python !== undefined ? m.python : -1; }, text: function (m) { return m.python !== undefined ? pct(m.python) : '–'; } });
  MODULE_COLUMNS.push({ key: 'reason', label: 'top reason', get: function (m) { return m.top; } });

  function header(table, columns, st, rerender) {
    var tr = el('tr');
    columns.forEach(function (c) {
      var th = el('th', c.num ? 'num' : '');
      th.setAttribute('scope', 'col');
      th.dataset.key = c.key;
      if (st.key === c.key) th.setAttribute('aria-sort', st.dir > 0 ? 'ascending' : 'descending');
      var b = el('button', '', c.label);
      b.type = 'button';
      b.addEventListener('click', function () {
        if (st.key === c.key) st.dir = -st.dir; else { st.key = c.key; st.dir = c.num ? -1 : 1; }
        st.page = 0;
        rerender();
      });
      th.appendChild(b);
      tr.appendChild(th);
    });
    var thead = table.tHead || table.createTHead();
    clear(thead).appendChild(tr);
  }
  function sortRows(rows, columns, st) {
    var col = columns.filter(function (c) { return c.key === st.key; })[0] || columns[0];
    var keyed = rows.map(function (r) { return { k: col.get(r), p: r.path, r: r }; });
    keyed.sort(function (a, b) {
      var d = a.k < b.k ? -1 : a.k > b.k ? 1 : 0;
      return d * st.dir || (a.p < b.p ? -1 : a.p > b.p ? 1 : 0);
    });
    for (var i = 0; i < keyed.length; i++) rows[i] = keyed[i].r;
    return rows;
  }
  function matches(m) {
    if (state.verdict && m.verdict !== state.verdict) return false;
    if (state.component && m.component !== state.component) return false;
    if (!state.text) return true;
    if (m.path.toLowerCase().indexOf(state.text) >= 0) return true;
    for (var k = 0; k < m.signals.length; k++) if (m.signals[k].toLowerCase().indexOf(state.text) >= 0) return true;
    return false;
  }
  function renderModules() {
    var table = $('modules');
    header(table, MODULE_COLUMNS, state, renderModules);
    var rows = [];
    for (var i = 0; i < modules.length; i++) if (matches(modules[i])) rows.push(i);
    var byIndex = rows.map(function (i) { var m = modules[i]; return { i: i, m: m, path: m.path }; });
    var cols = MODULE_COLUMNS.map(function (c) { return { key: c.key, num: c.num, get: function (r) { return c.get(r.m); } }; });
    sortRows(byIndex, cols, state);
    var pages = Math.max(1, Math.ceil(byIndex.length / PAGE_SIZE));
    state.page = Math.min(state.page, pages - 1);
    var body = clear(table.tBodies[0] || table.appendChild(document.createElement('tbody')));
    byIndex.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE).forEach(function (r) {
      var tr = el('tr', r.i === selected ? 'selected' : '');
      tr.tabIndex = 0;
      tr.dataset.i = String(r.i);
      MODULE_COLUMNS.forEach(function (c) {
        var td = el('td', (c.num ? 'num ' : '') + (c.cls || ''));
        if (c.cell) td.appendChild(c.cell(r.m)); else td.textContent = c.text ? c.text(r.m) : String(c.get(r.m));
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    $('page-info').textContent = byIndex.length
      ? 'rows ' + (state.page * PAGE_SIZE + 1) + '–' + Math.min(byIndex.length, (state.page + 1) * PAGE_SIZE) + ' of ' + byIndex.length + (byIndex.length !== modules.length ? ' (filtered from ' + modules.length + ')' : '')
      : 'no module matches';
    $('prev').disabled = state.page === 0;
    $('next').disabled = state.page >= pages - 1;
    Array.prototype.forEach.call(document.querySelectorAll('.card'), function (b) { b.setAttribute('aria-pressed', String(b.dataset.verdict === state.verdict)); });
  }
  function rowActivate(ev) {
    var tr = ev.target.closest ? ev.target.closest('tr[data-i]') : null;
    if (tr) select(Number(tr.dataset.i), false);
  }
  $('modules').addEventListener('click', rowActivate);
  $('modules').addEventListener('keydown', function (ev) { if (ev.key === 'Enter' && ev.target.matches('tr[data-i]')) rowActivate(ev); });
  $('prev').addEventListener('click', function () { state.page--; renderModules(); });
  $('next').addEventListener('click', function () { state.page++; renderModules(); });
  $('filter-text').addEventListener('input', debounce(function () { state.text = $('filter-text').value.trim().toLowerCase(); state.page = 0; renderModules(); }, 120));
  $('filter-verdict').addEventListener('change', function () { state.verdict = $('filter-verdict').value; state.page = 0; renderModules(); });
  $('filter-component').addEventListener('change', function () { state.component = $('filter-component').value; state.page = 0; renderModules(); });
  Object.keys(verdicts).sort(function (a, b) { return rank(a) - rank(b); }).forEach(function (v) {
    var o = el('option', '', v + ' (' + verdicts[v].n + ')'); o.value = v; $('filter-verdict').appendChild(o);
  });
  data.components.forEach(function (c) { var o = el('option', '', c.name); o.value = c.name; $('filter-component').appendChild(o); });

  var cstate = { key: 'verdict', dir: 1, page: 0 };
  var COMPONENT_COLUMNS = [
    { key: 'name', label: 'component', get: function (c) { return c.name; }, cls: 'path' },
    { key: 'kind', label: 'kind', get: function (c) { return c.kind; } },
    { key: 'path', label: 'directory', get: function (c) { return c.path; }, cls: 'path' },
    { key: 'verdict', label: 'verdict', get: function (c) { return rank(c.verdict); }, cell: function (c) { return badge(c.verdict); } },
    { key: 'modules', label: 'modules', num: true, get: function (c) { return c.modules; } },
    { key: 'loc', label: 'lines', num: true, get: function (c) { return c.loc; } },
    { key: 'dependencies', label: 'dependencies', num: true, get: function (c) { return c.dependencies; } },
  ];
  function renderComponents() {
    var table = $('components');
    if (!data.components.length) { $('components-section').hidden = true; return; }
    header(table, COMPONENT_COLUMNS, cstate, renderComponents);
    var rows = data.components.map(function (c, i) { return { c: c, i: i, path: c.name }; });
    sortRows(rows, COMPONENT_COLUMNS.map(function (col) { return { key: col.key, num: col.num, get: function (r) { return col.get(r.c); } }; }), cstate);
    var body = clear(table.tBodies[0] || table.appendChild(document.createElement('tbody')));
    rows.slice(0, 500).forEach(function (r) {
      var tr = el('tr');
      tr.tabIndex = 0;
      COMPONENT_COLUMNS.forEach(function (col) {
        var td = el('td', (col.num ? 'num ' : '') + (col.cls || ''));
        if (col.cell) td.appendChild(col.cell(r.c)); else td.textContent = String(col.get(r.c));
        tr.appendChild(td);
      });
      var go = function () { $('filter-component').value = r.c.name; state.component = r.c.name; state.page = 0; renderModules(); };
      tr.addEventListener('click', go);
      tr.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') go(); });
      body.appendChild(tr);
    });
    $('components-note').textContent = rows.length > 500 ? 'Showing 500 of ' + rows.length + ' components.' : 'Click a component to filter the modules table to it.';
  }

  // ── evidence for one module ─────────────────────────────────────────
  function dl(pairs) {
    var d = el('dl');
    pairs.forEach(function (p) { d.appendChild(el('dt', '', p[0])); var dd = el('dd'); if (p[1] instanceof Node) dd.appendChild(p[1]); else dd.textContent = String(p[1]); d.appendChild(dd); });
    return d;
  }
  function select(i, fromHash) {
    selected = i;
    var m = modules[i];
    var d = JSON.parse(m.detail);
    var box = clear($('evidence-body'));
    box.appendChild(el('h3', '', m.path));
    box.appendChild(dl([
      ['verdict', badge(m.verdict)], ['score', m.score + ' (confidence ' + m.confidence.toFixed(2) + ')'],
      ['lines', m.loc], ['component', m.component || '–'], ['importers / imports', m.fanIn + ' / ' + m.fanOut], ['port cost', m.cost.toFixed(1)],
    ].concat(d.suppressed ? [['suppressed', d.suppressed]] : [])));
    var r = d.runtime;
    if (r) {
      var rt = el('div', 'runtime');
      rt.appendChild(el('h4', '', 'Measured (' + r.profile + ')'));
      rt.appendChild(dl([
        ['share of the run', pct(r.share)],
        [r.pythonMeasured ? 'pure-Python time' : 'own-line time', pct(r.pythonShare) + (r.pythonMeasured ? '' : ' (py-spy: includes native calls made from these lines)')],
      ].concat(r.nativeShare !== undefined ? [['native / system', pct(r.nativeShare) + ' / ' + pct(r.systemShare || 0)]] : [])
        .concat(r.mallocMb ? [['allocated', r.mallocMb + ' MB']] : [])
        .concat([['Amdahl ceiling', fmt(r.ceiling.unbounded) + '× at best, ' + fmt(r.ceiling.typical) + '× at ' + (data.runtime ? data.runtime.assumedSpeedup : 10) + '× faster'],
          ['decision', r.decision + (r.staticVerdict ? ' (static verdict: ' + r.staticVerdict + ')' : '')]])));
      if (r.functions.length) rt.appendChild(el('p', 'note', 'Hot functions: ' + r.functions.slice(0, 4).map(function (f) { return f.name + ' ' + pct(f.share); }).join(', ')));
      box.appendChild(rt);
    }
    box.appendChild(el('h4', '', 'Reasons'));
    if (!d.reasons.length) box.appendChild(el('p', 'note', 'No weighed evidence: nothing in this module argues for Rust.'));
    else {
      var t = el('table', 'reasons');
      var head = el('tr');
      ['line', 'signal', 'contribution', 'what it saw'].forEach(function (h) { var th = el('th', h === 'contribution' || h === 'line' ? 'num' : '', h); th.setAttribute('scope', 'col'); head.appendChild(th); });
      t.createTHead().appendChild(head);
      var tb = t.appendChild(document.createElement('tbody'));
      d.reasons.forEach(function (x) {
        var tr = el('tr');
        tr.appendChild(el('td', 'num', x.line));
        tr.appendChild(el('td', '', x.detector + ' / ' + x.signal + (x.function ? ' in ' + x.function : '')));
        tr.appendChild(el('td', 'num ' + (x.contribution > 0 ? 'pos' : x.contribution < 0 ? 'neg' : ''), x.contribution > 0 ? '+' + x.contribution : x.contribution));
        tr.appendChild(el('td', 'msg', x.message));
        tb.appendChild(tr);
      });
      box.appendChild(t);
    }
    if (d.excerpts && d.excerpts.length) {
      box.appendChild(el('h4', '', 'Code'));
      var hits = {};
      d.reasons.forEach(function (x) { hits[x.line] = true; });
      var pre = el('pre', 'code');
      var prev = 0;
      d.excerpts.forEach(function (x) {
        if (prev && x.line > prev + 1) pre.appendChild(el('span', 'row gap', '    ⋯'));
        var row = el('span', 'row' + (hits[x.line] ? ' hit' : ''));
        row.appendChild(el('span', 'ln', x.line));
        row.appendChild(document.createTextNode(x.text));
        pre.appendChild(row);
        prev = x.line;
      });
      box.appendChild(pre);
    }
    if (d.functions.length) {
      box.appendChild(el('h4', '', 'Functions'));
      var ft = el('table');
      var fh = el('tr');
      ['function', 'lines', 'score', 'boundary'].forEach(function (h) { var th = el('th', h === 'score' ? 'num' : '', h); th.setAttribute('scope', 'col'); fh.appendChild(th); });
      ft.createTHead().appendChild(fh);
      var fb = ft.appendChild(document.createElement('tbody'));
      d.functions.forEach(function (f) {
        var tr = el('tr');
        tr.appendChild(el('td', 'path', f.name + (f.params !== undefined ? '(' + f.params + ')' : '')));
        tr.appendChild(el('td', '', f.line + '–' + f.endLine));
        tr.appendChild(el('td', 'num', f.score));
        var notes = [];
        if (f.easy) notes.push('easy to extract');
        if (f.callsBack) notes.push('calls back into Python');
        if (f.globals) notes.push('mutates globals');
        if (f.io) notes.push('does I/O');
        tr.appendChild(el('td', '', notes.join(', ') || '–'));
        fb.appendChild(tr);
      });
      box.appendChild(ft);
    }
    Array.prototype.forEach.call(plot.querySelectorAll('circle.selected'), function (c) { c.classList.remove('selected'); });
    var dot = plot.querySelector('circle[data-i="' + i + '"]');
    if (dot) dot.classList.add('selected');
    Array.prototype.forEach.call(document.querySelectorAll('#modules tbody tr'), function (tr) { tr.classList.toggle('selected', tr.dataset.i === String(i)); });
    if (!fromHash) {
      try { history.replaceState(null, '', '#module=' + encodeURIComponent(m.path)); } catch (e) { /* file: URLs may refuse */ }
      $('evidence-status').textContent = 'Evidence for ' + m.path + ': ' + m.verdict + ', score ' + m.score;
    }
  }

  // ── warnings ────────────────────────────────────────────────────────
  if (data.warnings.length) {
    $('warnings-section').hidden = false;
    $('warnings-count').textContent = String(data.warnings.length);
    var ul = $('warnings-list');
    data.warnings.slice(0, 1000).forEach(function (w) { ul.appendChild(el('li', '', w.path + ': ' + w.message)); });
    if (data.warnings.length > 1000) ul.appendChild(el('li', 'note', '… and ' + (data.warnings.length - 1000) + ' more (see --format json)'));
  }

  renderPlot();
  renderHotBars();
  renderComponents();
  renderModules();
  var wanted = /^#module=(.+)$/.exec(location.hash);
  var start = -1;
  if (wanted) { try { var p = decodeURIComponent(wanted[1]); start = modules.findIndex(function (m) { return m.path === p; }); } catch (e) { start = -1; } }
  if (start < 0 && modules.length) {
    start = 0;
    modules.forEach(function (m, i) { if (rank(m.verdict) < rank(modules[start].verdict) || (rank(m.verdict) === rank(modules[start].verdict) && m.score > modules[start].score)) start = i; });
  }
  if (start >= 0) select(start, true);
  document.body.dataset.ready = 'true';
})();
`.replace('__MAX_POINTS__', String(MAX_POINTS)).replace('__PAGE_SIZE__', String(PAGE_SIZE)).replace('__VERDICT_ORDER__', JSON.stringify(VERDICT_ORDER));
