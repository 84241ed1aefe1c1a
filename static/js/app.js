// Small behaviours shared by every page. No inline scripts: the CSP forbids them.
(function () {
  "use strict";

  // Destructive forms ask first: <form data-confirm="Hapus ...?">
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    // htmx forms ask in htmx:confirm below, so the question is not asked twice.
    if (form.hasAttribute("hx-post")) return;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // htmx requests from forms with data-confirm go through the same question.
  document.addEventListener("htmx:confirm", function (event) {
    var form = event.target.closest && event.target.closest("form[data-confirm]");
    if (!form) return;
    event.preventDefault();
    if (window.confirm(form.getAttribute("data-confirm"))) event.detail.issueRequest(true);
  });

  // Failed htmx requests: the server answers with a message fragment aimed at #messages
  // (HX-Retarget, rpjmd/errors.py); htmx 2 does not swap 4xx/5xx answers unless told to.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status >= 400 && xhr.getResponseHeader("HX-Retarget")) {
      event.detail.shouldSwap = true;
    }
  });

  // No answer at all (server down, network gone): say so where messages appear.
  document.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("messages");
    if (!box) return;
    var note = document.createElement("p");
    note.className = "message message--error";
    note.textContent = document.body.getAttribute("data-network-error");
    box.replaceChildren(note);
    box.setAttribute("role", "alert");
  });
})();
