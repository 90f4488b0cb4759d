// The page's script (inline, no network): the filter box, the lazily rendered list of every testcase, matrix cells
// as filter buttons, and shard details on hover/focus. Data comes from the JSON script element, text goes in only
// through textContent.
export const CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('xtest-data').textContent);
  var RESULT = ['passed', 'failed', 'error', 'skipped', 'flaky'];
  var SYMBOL = { passed: '\u2714', failed: '\u2716', error: '\u2716', skipped: '\u21b7', flaky: '\u26a0' };
  var PAGE = 200;
  var $ = function (id) { return document.getElementById(id); };
  var text = $('f-text'), status = $('f-status'), container = $('f-container'), tier = $('f-tier');
  $('filters').hidden = false;
  $('tests-js').hidden = false;
  function fill(select, values) {
    values.forEach(function (value) { var o = document.createElement('option'); o.value = value; o.textContent = value; select.appendChild(o); });
  }
  fill(container, data.containers.slice().sort());
  fill(tier, data.tiers);
  var n = data.cases.length / 5;
  var matches = [], shown = 0;
  function statusOk(code, wanted) {
    if (!wanted) return true;
    if (wanted === 'failed') return code === 1 || code === 2;
    if (wanted === 'passed') return code === 0 || code === 4;
    return RESULT[code] === wanted;
  }
  function caseName(i) {
    var p = data.prefixes[data.cases[i * 5 + 3]], leaf = data.cases[i * 5 + 4];
    return p ? p + ' > ' + leaf : leaf;
  }
  function compute() {
    var q = text.value.trim().toLowerCase(), st = status.value, c = container.value, t = tier.value;
    var ci = c ? data.containers.indexOf(c) : -1, ti = t ? data.tiers.indexOf(t) : -1;
    matches = [];
    for (var i = 0; i < n; i++) {
      var s = data.cases[i * 5], code = data.cases[i * 5 + 1];
      if (!statusOk(code, st)) continue;
      if (ci !== -1 && data.suites[s * 3 + 1] !== ci) continue;
      if (ti !== -1 && data.suites[s * 3 + 2] !== ti) continue;
      if (q && (data.files[data.suites[s * 3]] + ' ' + caseName(i)).toLowerCase().indexOf(q) === -1) continue;
      matches.push(i);
    }
  }
  function row(i) {
    var s = data.cases[i * 5], code = data.cases[i * 5 + 1], tr = document.createElement('tr');
    var cells = [SYMBOL[RESULT[code]] + ' ' + RESULT[code], data.containers[data.suites[s * 3 + 1]] + '/' + data.tiers[data.suites[s * 3 + 2]],
      data.files[data.suites[s * 3]], caseName(i), (data.cases[i * 5 + 2] / 1000).toFixed(3) + 's'];
    cells.forEach(function (value, k) {
      var td = document.createElement('td'); td.textContent = value;
      if (k === 0) td.className = 'st-' + RESULT[code];
      if (k === 3) td.className = 'name';
      if (k === 4) td.className = 'num';
      tr.appendChild(td);
    });
    return tr;
  }
  var body = $('tests-body'), more = $('tests-more'), counter = $('tests-count');
  function renderMore() {
    var frag = document.createDocumentFragment(), end = Math.min(matches.length, shown + PAGE);
    for (var k = shown; k < end; k++) frag.appendChild(row(matches[k]));
    body.appendChild(frag);
    shown = end;
    more.hidden = shown >= matches.length;
    counter.textContent = 'Showing ' + shown + ' of ' + matches.length + ' matching tests (' + n + ' in the report).';
  }
  function matchesEl(el, q, st, c, t) {
    if (c && (' ' + el.getAttribute('data-container') + ' ').indexOf(' ' + c + ' ') === -1) return false;
    if (t && (' ' + el.getAttribute('data-tier') + ' ').indexOf(' ' + t + ' ') === -1) return false;
    var s = el.getAttribute('data-status');
    if (st && !(st === 'failed' ? (s === 'failed' || s === 'error') : s === st)) return false;
    return !q || el.getAttribute('data-text').indexOf(q) !== -1;
  }
  function apply() {
    var q = text.value.trim().toLowerCase(), st = status.value, c = container.value, t = tier.value;
    compute();
    body.textContent = '';
    shown = 0;
    renderMore();
    var items = document.querySelectorAll('li.failure, tr.skip');
    for (var i = 0; i < items.length; i++) items[i].hidden = !matchesEl(items[i], q, st, c, t);
    var groups = document.querySelectorAll('details.group');
    var active = Boolean(q || st || c || t);
    for (var g = 0; g < groups.length; g++) groups[g].hidden = active && !groups[g].querySelector('li.failure:not([hidden])');
    $('filter-state').textContent = active ? 'Filtered: ' + matches.length + ' of ' + n + ' tests match.' : '';
  }
  var timer;
  text.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(apply, 150); });
  [status, container, tier].forEach(function (el) { el.addEventListener('change', apply); });
  $('f-clear').addEventListener('click', function () { text.value = ''; status.value = ''; container.value = ''; tier.value = ''; apply(); text.focus(); });
  more.addEventListener('click', renderMore);
  var cells = document.querySelectorAll('td.cell');
  for (var i = 0; i < cells.length; i++) (function (cell) {
    cell.tabIndex = 0;
    cell.setAttribute('role', 'button');
    cell.setAttribute('aria-label', 'Show the tests of ' + cell.getAttribute('data-container') + ' ' + cell.getAttribute('data-tier') + ': ' + cell.textContent);
    var pick = function () { container.value = cell.getAttribute('data-container'); tier.value = cell.getAttribute('data-tier'); apply(); $('tests').scrollIntoView(); };
    cell.addEventListener('click', pick);
    cell.addEventListener('keydown', function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); pick(); } });
  })(cells[i]);
  var panel = $('shard-details');
  function show(bar) {
    var s = data.shards[Number(bar.getAttribute('data-shard'))];
    if (!s || !panel) return;
    var c = s.counts, lines = [
      s.id + (s.part ? ' (part ' + s.part + ')' : '') + ': ' + s.status + (s.critical ? ' (critical path)' : ''),
      c[0] + ' tests: ' + c[1] + ' passed, ' + c[2] + ' failed, ' + c[3] + ' errors, ' + c[4] + ' skipped; ' + (s.durationMs / 1000).toFixed(1) + 's',
      'ran on: ' + (s.ranOn || s.image || '?') + (s.imageId ? ' ' + s.imageId : ''),
      'exit: ' + (s.exitCode === undefined ? '?' : s.exitCode) + (s.cause ? '; cause: ' + s.cause : '')
    ];
    panel.textContent = '';
    lines.forEach(function (line) { var d = document.createElement('div'); d.textContent = line; panel.appendChild(d); });
  }
  var bars = document.querySelectorAll('svg .bar');
  for (var b = 0; b < bars.length; b++) (function (bar) {
    bar.addEventListener('focus', function () { show(bar); });
    bar.addEventListener('mouseenter', function () { show(bar); });
  })(bars[b]);
  apply();
})();`
