// Charts drawn from the JSON each page embeds in <script type="application/json"> (no inline scripts:
// the Content-Security-Policy allows scripts from this origin only).
"use strict";

// Follower spikes and drops (from the vetting report) as red diamonds on a follower line.
function jumpTrace(line) {
  var idx = {}; line.x.forEach(function (d, i) { idx[d] = i; });
  var ax = [], ay = [], at = [];
  (line.anomalies || []).forEach(function (a) { var i = idx[a.day]; if (i !== undefined) { ax.push(a.day); ay.push(line.y[i]);
    at.push(a.kind + " " + (a.change > 0 ? "+" : "") + a.change + (a.explained ? " (after a post)" : " (unexplained)")); } });
  return {x: ax, y: ay, text: at, type: "scatter", mode: "markers", name: "follower jump", showlegend: false,
    marker: {color: "#b42318", size: 11, symbol: "diamond"}, hovertemplate: "%{x}<br>%{text}<extra></extra>"};
}

// vetting charts (ER against peers, follower growth with anomalies)
function drawVettingCharts() {
  if (!document.getElementById("charts-data")) return;
  if (!window.Plotly) return;
  var charts = JSON.parse(document.getElementById("charts-data").textContent);
  var cfg = {displaylogo: false, responsive: true};
  document.querySelectorAll(".er-chart").forEach(function (el) {
    var c = charts[el.dataset.account];
    Plotly.newPlot(el, [{x: c.peers, type: "histogram", name: "peers", marker: {color: "#9fc9ad"},
      hovertemplate: "%{x} %<br>%{y} accounts<extra></extra>"}],
      {height: 260, margin: {t: 10, r: 10, b: 40, l: 40}, xaxis: {title: "engagement %"}, yaxis: {title: "accounts"},
       shapes: [{type: "line", x0: c.er, x1: c.er, yref: "paper", y0: 0, y1: 1, line: {color: "#b42318", width: 3}}],
       annotations: [{x: c.er, yref: "paper", y: 1, text: "this account", showarrow: false, font: {color: "#b42318"}}]}, cfg);
  });
  document.querySelectorAll(".growth-chart").forEach(function (el) {
    var c = charts[el.dataset.account];
    Plotly.newPlot(el, [{x: c.x, y: c.y, type: "scatter", mode: "lines", name: "followers"}, jumpTrace(c)],
      {height: 260, margin: {t: 10, r: 10, b: 40, l: 60}, showlegend: false}, cfg);
  });
}

// tone over time
function drawToneChart() {
  if (!document.getElementById("tone-data")) return;
  var el = document.getElementById("tone-chart");
  if (!el || !window.Plotly) return;
  var d = JSON.parse(document.getElementById("tone-data").textContent);
  var pct = function (a) { return a.map(function (v) { return v === null ? null : Math.round(v * 1000) / 10; }); };
  Plotly.newPlot(el, [
    {x: d.week, y: pct(d.positive), name: "positive %", type: "scatter", mode: "lines", line: {color: "#2e7d4f"}},
    {x: d.week, y: pct(d.negative), name: "negative %", type: "scatter", mode: "lines", line: {color: "#b3261e"}},
    {x: d.week, y: d.intent, name: "purchase intent (comments)", type: "bar", yaxis: "y2", marker: {color: "#c9a227"}, opacity: 0.6}
  ], {margin: {t: 10, r: 60, b: 40, l: 50}, height: 280, legend: {orientation: "h"},
      yaxis: {title: "% of comments", rangemode: "tozero"},
      yaxis2: {title: "intent", overlaying: "y", side: "right", rangemode: "tozero", showgrid: false}},
    {displaylogo: false, responsive: true});
}

// follower history
function drawFollowerChart() {
  if (!document.getElementById("chart-data")) return;
  var el = document.getElementById("follower-chart");
  if (!el || !window.Plotly) return;
  var series = JSON.parse(document.getElementById("chart-data").textContent);
  var traces = series.map(function (s) { return {x: s.x, y: s.y, name: s.name, type: "scatter", mode: "lines",
    hovertemplate: "%{x}<br>%{y:,} followers<extra>" + s.name + "</extra>"}; });
  series.forEach(function (s) { if ((s.anomalies || []).length) traces.push(jumpTrace(s)); });
  Plotly.newPlot(el, traces, {margin: {t: 10, r: 10, b: 40, l: 60}, height: 300,
    legend: {orientation: "h"}, yaxis: {title: "followers", rangemode: "normal"}},
    {displaylogo: false, responsive: true});
}

function drawCharts() {
  drawVettingCharts(); drawToneChart(); drawFollowerChart();
}

document.addEventListener("DOMContentLoaded", drawCharts);
// Panels swapped in by HTMX bring their chart data with them.
document.addEventListener("htmx:afterSettle", drawCharts);
