// The report's stylesheet, inline (no network). Status colours come with a word and a symbol in the markup.
export const STYLES = `
:root { --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg: #fff; --soft: #f6f8fa;
  --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #cf222e; --fail-bg: #ffebe9; --warn: #9a6700; --warn-bg: #fff8c5;
  --crash: #8250df; --crash-bg: #fbefff; --infra: #0550ae; --infra-bg: #ddf4ff; --stop: #57606a; --stop-bg: #eaeef2; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
main, header { max-width: 1200px; margin: 0 auto; padding: 0 16px; }
header { padding-top: 12px; border-bottom: 1px solid var(--line); }
h1 { font-size: 20px; margin: 8px 0; } h2 { font-size: 17px; margin: 24px 0 8px; }
code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
pre { background: var(--soft); padding: 8px; overflow: auto; max-height: 24em; white-space: pre-wrap; word-break: break-word; }
.verdict { font-size: 16px; } .meta { color: var(--muted); }
.stats { display: flex; flex-wrap: wrap; gap: 8px 20px; margin: 8px 0; }
.stat .value { font-size: 18px; font-weight: 600; } .stat .label { color: var(--muted); }
.badge { display: inline-block; padding: 0 6px; border-radius: 10px; border: 1px solid currentColor; font-weight: 600; white-space: nowrap; }
.st-passed, .st-no-tests { color: var(--pass); background: var(--pass-bg); }
.st-failed, .st-error { color: var(--fail); background: var(--fail-bg); }
.st-flaky, .st-skipped { color: var(--warn); background: var(--warn-bg); }
.st-timeout, .st-oom, .st-killed, .st-report-malformed { color: var(--crash); background: var(--crash-bg); }
.st-infra { color: var(--infra); background: var(--infra-bg); } .st-interrupted { color: var(--stop); background: var(--stop-bg); }
nav.toc { display: flex; flex-wrap: wrap; gap: 4px 14px; padding: 8px 0; }
.filters { position: sticky; top: 0; z-index: 2; background: var(--bg); border-bottom: 1px solid var(--line); padding: 8px 0; display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.filters input[type=search] { min-width: 260px; }
.filters input, .filters select, button { font: inherit; padding: 3px 6px; }
table { border-collapse: collapse; } th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
td.num { text-align: right; white-space: nowrap; }
table.matrix td.cell { min-width: 190px; cursor: pointer; } table.matrix td.empty { color: var(--muted); text-align: center; }
.cell span { display: block; } .cell-status { font-weight: 700; } .cell-counts { color: var(--fg); font-size: 12px; } .cell-time, .cell-ran { font-size: 12px; color: var(--muted); }
svg.timeline { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); background: var(--bg); }
svg .idle-bg { fill: #f6f8fa; } svg .idle-line { stroke: #d0d7de; stroke-width: 3; }
svg .bar rect { stroke: rgba(0,0,0,.35); stroke-width: 1; }
svg .bar.st-passed rect, svg .bar.st-no-tests rect { fill: #4ac26b; } svg .bar.st-failed rect { fill: #ff8182; }
svg .bar.st-flaky rect { fill: #d4a72c; } svg .bar.st-timeout rect, svg .bar.st-oom rect, svg .bar.st-killed rect, svg .bar.st-report-malformed rect { fill: #c297ff; }
svg .bar.st-infra rect { fill: #80ccff; } svg .bar.st-interrupted rect { fill: #afb8c1; }
svg .bar.critical rect { stroke: #1b1f24; stroke-width: 3; }
svg .bar text { font: 12px system-ui, sans-serif; fill: #1b1f24; pointer-events: none; }
svg .bar:focus { outline: none; } svg .bar:focus rect, svg .bar:hover rect { stroke: #0969da; stroke-width: 4; }
svg .tick { stroke: #d0d7de; stroke-dasharray: 2 3; } svg .tick-label { font: 11px system-ui, sans-serif; fill: #57606a; } svg .lane-part { font: 600 11px system-ui, sans-serif; fill: #24292f; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.details-panel { margin: 6px 0; padding: 6px 8px; border-left: 4px solid var(--line); background: var(--soft); min-height: 2.2em; }
details.group { border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; padding: 4px 10px; }
details.group > summary { cursor: pointer; font-weight: 600; } .count { display: inline-block; min-width: 5em; color: var(--muted); }
li.failure { margin: 8px 0 14px; } .failure-title { margin: 4px 0; } .explain { margin: 4px 0; }
pre.source mark { font-weight: 700; } .fallback { border-left: 4px solid currentColor; padding-left: 8px; }
.more { color: var(--muted); }
:focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
#tests table { width: 100%; } #tests td.name { word-break: break-word; }
[hidden] { display: none !important; }
`
