// Small page behaviours that need no framework (served from this origin: the CSP allows no inline script).
"use strict";

// On a phone, table rows become cards: each cell shows its column's name (copied from the header).
function labelTableCells(root) {
  (root || document).querySelectorAll("table.data").forEach(function (table) {
    var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, i) {
        if (names[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", names[i]);
      });
    });
  });
}

document.addEventListener("DOMContentLoaded", function () { labelTableCells(document); });
document.addEventListener("htmx:afterSettle", function (event) { labelTableCells(event.target); });
