// The pipeline board: drag a card to a column, or use the card's stage box and Move (which works without
// JavaScript too). Both post the card's own form through HTMX; the server answers with the redrawn card and a
// status line, and this script puts the card in its new column. Served from this origin (the CSP allows no
// inline script).
"use strict";

(function () {
  var pending = null; // {id, focus}: the card being moved and whether the keyboard was on it

  function column(stage) { return document.getElementById("col-" + stage); }

  function recount() {
    document.querySelectorAll(".board-col").forEach(function (col) {
      var count = col.querySelector(".col-count");
      if (count) count.textContent = String(col.querySelectorAll(".board-card").length);
    });
  }

  function status(text) {
    var line = document.getElementById("board-status");
    if (line) line.textContent = text;
  }

  // After the server redrew a card, move it under the column of its (new) stage; a filtered board drops it.
  function place(card) {
    var target = column(card.getAttribute("data-stage"));
    if (!target) { card.remove(); } else if (card.parentElement !== target) { target.prepend(card); }
    recount();
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest && event.target.closest(".move-form");
    if (!form) return;
    var card = form.closest(".board-card");
    pending = { id: card.id, focus: card.contains(document.activeElement) };
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!pending) return;
    var card = document.getElementById(pending.id);
    var focus = pending.focus;
    pending = null;
    if (!card) return;
    place(card);
    if (focus && card.isConnected) {
      var select = card.querySelector("select[name=stage]");
      if (select) select.focus();
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var text = (xhr.getResponseHeader("content-type") || "").indexOf("text/plain") === 0 ? xhr.responseText : "";
    status(text || "The move did not go through (" + xhr.status + "). Reload the page and try again.");
    pending = null;
  });

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".board-card[draggable=true]");
    if (!card) return;
    event.dataTransfer.setData("text/plain", card.id);
    event.dataTransfer.effectAllowed = "move";
    card.classList.add("dragging");
  });

  document.addEventListener("dragend", function (event) {
    var card = event.target.closest && event.target.closest(".board-card");
    if (card) card.classList.remove("dragging");
    document.querySelectorAll(".board-col.drop-target").forEach(function (c) { c.classList.remove("drop-target"); });
  });

  document.addEventListener("dragover", function (event) {
    var col = event.target.closest && event.target.closest(".board-col");
    if (!col) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    col.classList.add("drop-target");
  });

  document.addEventListener("dragleave", function (event) {
    var col = event.target.closest && event.target.closest(".board-col");
    if (col && !col.contains(event.relatedTarget)) col.classList.remove("drop-target");
  });

  document.addEventListener("drop", function (event) {
    var col = event.target.closest && event.target.closest(".board-col");
    if (!col) return;
    event.preventDefault();
    col.classList.remove("drop-target");
    var card = document.getElementById(event.dataTransfer.getData("text/plain"));
    var stage = col.getAttribute("data-stage");
    if (!card || card.getAttribute("data-stage") === stage) return;
    var form = card.querySelector(".move-form");
    form.querySelector("select[name=stage]").value = stage;
    status("Moving " + card.querySelector(".card-name").textContent + "…");
    form.requestSubmit(); // HTMX takes the submit; without HTMX the form posts and the page reloads
  });
})();
