// Audience-overlap heatmaps, drawn from the JSON each discovery/_overlap.html panel embeds (no inline scripts: the
// Content-Security-Policy allows scripts from this origin only). Plotly is loaded on demand when the host page
// did not load it, so any page can include the panel.
"use strict";

(function () {
  if (window.drawOverlapCharts) { window.drawOverlapCharts(); return; }  // included twice, or swapped in again
  var waiting = null;

  function withPlotly(done) {
    if (window.Plotly) { done(); return; }
    if (waiting) { waiting.push(done); return; }
    waiting = [done];
    var script = document.createElement("script");
    script.src = "/static-vendor/plotly.min.js";
    script.onload = function () { var queue = waiting; waiting = null; queue.forEach(function (f) { f(); }); };
    document.head.appendChild(script);
  }

  function draw(el) {
    var source = document.getElementById(el.dataset.source);
    if (!source) return;
    var d = JSON.parse(source.textContent);
    var text = d.z.map(function (row, i) {
      return row.map(function (v, j) {
        return i === j ? d.shared[i][j] + " commenters" : v + " % overlap · " + d.shared[i][j] + " shared";
      });
    });
    // The colour scale ends at the highest overlap (at least 10 %), so a 6 % pair is not lost in the pale end.
    var top = 10;
    d.z.forEach(function (row) { row.forEach(function (v) { if (v !== null && v > top) top = v; }); });
    var size = Math.max(320, 32 * d.labels.length + 160);
    Plotly.react(el, [{z: d.z, x: d.labels, y: d.labels, text: text, type: "heatmap", zmin: 0, zmax: Math.ceil(top / 10) * 10,
      colorscale: [[0, "#f4f7f4"], [0.5, "#9fc9ad"], [1, "#23633a"]], colorbar: {title: {text: "overlap %"}},
      hovertemplate: "%{y} × %{x}<br>%{text}<extra></extra>", hoverongaps: false}],
      {height: size, margin: {t: 10, r: 10, b: 120, l: 120}, yaxis: {autorange: "reversed"}},
      {displaylogo: false, responsive: true});
  }

  function drawAll() {
    var charts = document.querySelectorAll(".overlap-chart");
    if (charts.length) withPlotly(function () { charts.forEach(draw); });
  }

  window.drawOverlapCharts = drawAll;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll); else drawAll();
  document.addEventListener("htmx:afterSettle", drawAll);
})();
