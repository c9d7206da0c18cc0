// Campaign forecast charts, drawn from the JSON the forecast panel embeds in <script type="application/json">
// (no inline scripts: the Content-Security-Policy allows scripts from this origin only).
"use strict";

function drawForecastCharts() {
  var source = document.getElementById("forecast-data");
  if (!source || !window.Plotly) return;
  var d = JSON.parse(source.textContent);
  var cfg = {displaylogo: false, responsive: true};
  var sales = document.getElementById("forecast-sales-chart");
  if (sales && d.sales) {
    var traces = [{x: d.sales.x, y: d.sales.roster, type: "bar", name: "your roster", opacity: 0.75,
      marker: {color: "#2e7d4f"}, hovertemplate: "%{x:,} sales<br>%{y:,} simulations<extra>your roster</extra>"}];
    if (d.sales.macro) traces.push({x: d.sales.x, y: d.sales.macro, type: "bar", name: "one macro creator",
      opacity: 0.6, marker: {color: "#c9a227"}, hovertemplate: "%{x:,} sales<br>%{y:,} simulations<extra>macro</extra>"});
    Plotly.newPlot(sales, traces, {barmode: "overlay", height: 280, margin: {t: 10, r: 10, b: 45, l: 55},
      legend: {orientation: "h"}, xaxis: {title: "sales in one simulated campaign"}, yaxis: {title: "simulations"}}, cfg);
  }
  var bands = document.getElementById("forecast-bands-chart");
  if (bands && d.bands) {
    // The seeds' arithmetic is one number, often far above every simulated campaign: a dashed line when it fits
    // the chart, a note when it does not.
    var top = Math.max.apply(null, d.bands.map(function (b) { return b.p90; }).concat([1]));
    var fits = d.naive <= 3 * top;
    var layout = {height: 280, margin: {t: 30, r: 10, b: 45, l: 55}, showlegend: false,
      yaxis: {title: "sales (P50, bars P10–P90)", rangemode: "tozero"},
      shapes: fits ? [{type: "line", xref: "paper", x0: 0, x1: 1, y0: d.naive, y1: d.naive,
        line: {color: "#777", dash: "dash", width: 2}}] : [],
      annotations: [{xref: "paper", x: 1, xanchor: "right", y: fits ? d.naive : top, yanchor: "bottom",
        yref: "y", showarrow: false, font: {color: "#555", size: 12},
        text: "seeds' arithmetic: " + Math.round(d.naive).toLocaleString() + (fits ? "" : " sales (off the chart)")}]};
    Plotly.newPlot(bands, [{
      x: d.bands.map(function (b) { return b.name; }),
      y: d.bands.map(function (b) { return b.p50; }),
      type: "bar", marker: {color: ["#2e7d4f", "#c9a227"]},
      error_y: {type: "data", symmetric: false, color: "#333",
        array: d.bands.map(function (b) { return b.p90 - b.p50; }),
        arrayminus: d.bands.map(function (b) { return b.p50 - b.p10; })},
      hovertemplate: "%{x}<br>P50 %{y:,.0f} sales<extra></extra>"
    }], layout, cfg);
  }
}

document.addEventListener("DOMContentLoaded", drawForecastCharts);
// The campaign page loads the forecast panel with HTMX: its chart data arrives with it.
document.addEventListener("htmx:afterSettle", drawForecastCharts);
