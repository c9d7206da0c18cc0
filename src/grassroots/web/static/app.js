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

// Help that was only a hover tooltip (a title) becomes a "?" button that shows it: touch screens and keyboards
// cannot hover.
var helpCount = 0;
function tappableHelp(root) {
  (root || document).querySelectorAll(".stat .label[title], th[title]").forEach(function (el) {
    var text = el.getAttribute("title");
    el.removeAttribute("title");
    var tip = document.createElement("span");
    tip.id = "help-" + (++helpCount);
    tip.className = "help-text";
    tip.hidden = true;
    tip.textContent = text;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "help";
    button.textContent = "?";
    button.setAttribute("aria-label", "What is this?");
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", tip.id);
    button.addEventListener("click", function (event) {
      event.preventDefault();
      tip.hidden = !tip.hidden;
      button.setAttribute("aria-expanded", String(!tip.hidden));
    });
    el.appendChild(button);
    el.appendChild(tip);
  });
}

// A read-only link box gets a Copy button; if the clipboard is refused, the link is selected for Ctrl+C instead.
function copyButtons(root) {
  (root || document).querySelectorAll("input.link-copy").forEach(function (input) {
    if (input.nextElementSibling && input.nextElementSibling.classList.contains("copy")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy small";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy " + (input.getAttribute("aria-label") || "the link"));
    var status = document.createElement("span");
    status.className = "copy-status muted small";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      input.select();
      var done = function () { status.textContent = "Copied"; };
      var manual = function () { status.textContent = "Selected: press Ctrl+C (⌘C) to copy"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, manual);
      } else {
        manual();
      }
    });
    input.insertAdjacentElement("afterend", status);
    input.insertAdjacentElement("afterend", button);
  });
}

function enhance(root) { labelTableCells(root); tappableHelp(root); copyButtons(root); }

document.addEventListener("DOMContentLoaded", function () { enhance(document); });
document.addEventListener("htmx:afterSettle", function (event) { enhance(event.target); });
