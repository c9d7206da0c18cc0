// Attribution chart: credited revenue per creator, one bar per method, drawn from the JSON the page embeds in
// <script type="application/json"> (no inline scripts: the Content-Security-Policy allows this origin only).
"use strict";

function drawAttributionChart() {
  var source = document.getElementById("attribution-data");
  var el = document.getElementById("attribution-chart");
  if (!source || !el || !window.Plotly) return;
  var d = JSON.parse(source.textContent);
  var traces = d.series.map(function (s) {
    return {x: d.creators, y: s.revenue, type: "bar", name: s.label, opacity: s.method === d.chosen ? 1 : 0.55,
      hovertemplate: "%{x}<br>%{y:,.2f} " + d.currency + "<extra>" + s.label + "</extra>"};
  });
  Plotly.newPlot(el, traces, {barmode: "group", height: 320, margin: {t: 10, r: 10, b: 80, l: 60},
    legend: {orientation: "h"}, yaxis: {title: "credited revenue (" + d.currency + ")", rangemode: "tozero"}},
    {displaylogo: false, responsive: true});
}

document.addEventListener("DOMContentLoaded", drawAttributionChart);
