// Reading a section: comment on a selected passage, and show where comments are anchored.
// Text the page generates (table numbers, footnote markers, data-block tables) is marked
// data-generated and ignored, so a quote matches the words the authors wrote.
(function () {
  "use strict";

  var CONTEXT = 48;

  function normalize(text) {
    return text.replace(/\s+/g, " ");
  }

  function isGenerated(node) {
    var el = node.nodeType === 1 ? node : node.parentElement;
    return !!(el && el.closest("[data-generated]"));
  }

  // The container's text nodes (minus generated ones), with their offsets in its plain text.
  function textIndex(container) {
    var walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) { return isGenerated(node) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT; }
    });
    var nodes = [];
    var text = "";
    while (walker.nextNode()) {
      nodes.push({ node: walker.currentNode, start: text.length });
      text += walker.currentNode.nodeValue;
    }
    return { nodes: nodes, text: text };
  }

  function offsetOf(index, node, offset) {
    for (var i = 0; i < index.nodes.length; i++) {
      if (index.nodes[i].node === node) return index.nodes[i].start + offset;
    }
    return -1;
  }

  function selectionQuote(container) {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    var range = selection.getRangeAt(0);
    if (!container.contains(range.commonAncestorContainer)) return null;
    var index = textIndex(container);
    var start = range.startContainer.nodeType === 3 ? offsetOf(index, range.startContainer, range.startOffset) : -1;
    var end = range.endContainer.nodeType === 3 ? offsetOf(index, range.endContainer, range.endOffset) : -1;
    if (start < 0 || end <= start) return null;
    var quote = normalize(index.text.slice(start, end)).trim();
    if (!quote) return null;
    return {
      quote: quote,
      prefix: normalize(index.text.slice(Math.max(0, start - CONTEXT), start)).trim(),
      suffix: normalize(index.text.slice(end, end + CONTEXT)).trim()
    };
  }

  // Find a quote again, preferring the occurrence whose surroundings match (as the server does).
  function locate(index, quote, prefix, suffix) {
    var flat = normalize(index.text);
    var map = [];
    var j = 0;
    for (var i = 0; i < index.text.length; i++) {
      var isSpace = /\s/.test(index.text[i]);
      if (isSpace && i > 0 && /\s/.test(index.text[i - 1])) continue;
      map[j++] = i;
    }
    map[j] = index.text.length;
    var best = -1, bestScore = -1, at = flat.indexOf(quote);
    while (at !== -1) {
      var before = flat.slice(0, at).trimEnd(), after = flat.slice(at + quote.length).trimStart();
      var score = 0;
      while (score < prefix.length && score < before.length && before[before.length - 1 - score] === prefix[prefix.length - 1 - score]) score++;
      var s2 = 0;
      while (s2 < suffix.length && s2 < after.length && after[s2] === suffix[s2]) s2++;
      if (score + s2 > bestScore) { bestScore = score + s2; best = at; }
      at = flat.indexOf(quote, at + 1);
    }
    if (best < 0) return null;
    return { start: map[best], end: map[best + quote.length - 1] + 1 };
  }

  function part(anchor, name) {
    var el = anchor.querySelector("[data-part=" + name + "]");
    return el ? normalize(el.textContent).trim() : "";
  }

  function highlight(container, anchor) {
    var thread = anchor.closest(".thread");
    var index = textIndex(container);
    var found = locate(index, part(anchor, "quote"), part(anchor, "prefix"), part(anchor, "suffix"));
    if (!found) return;
    index.nodes.forEach(function (entry) {
      var node = entry.node, from = entry.start, to = entry.start + node.nodeValue.length;
      var a = Math.max(found.start, from), b = Math.min(found.end, to);
      if (a >= b) return;
      var range = document.createRange();
      range.setStart(node, a - from);
      range.setEnd(node, b - from);
      var mark = document.createElement("mark");
      mark.className = "comment-anchor";
      mark.setAttribute("data-thread", thread.id);
      try { range.surroundContents(mark); } catch (e) { /* crosses an element boundary */ }
    });
  }

  function setup() {
    var container = document.getElementById("section-text");
    var form = document.querySelector("[data-comment-form]");
    document.querySelectorAll(".comment-anchor").forEach(function (mark) {
      mark.replaceWith(document.createTextNode(mark.textContent));
    });
    if (container) {
      container.normalize();
      document.querySelectorAll(".thread__anchor").forEach(function (anchor) { highlight(container, anchor); });
    }
    if (!container || !form || form.dataset.bound) return;
    form.dataset.bound = "1";
    var preview = form.querySelector("[data-quote-preview]");
    var help = form.querySelector("[data-quote-help]");
    function fill(found) {
      form.querySelector("[name=quote]").value = found ? found.quote : "";
      form.querySelector("[name=prefix]").value = found ? found.prefix : "";
      form.querySelector("[name=suffix]").value = found ? found.suffix : "";
      preview.hidden = !found;
      help.hidden = !!found;
      if (found) preview.querySelector("[data-quote-text]").textContent = found.quote;
    }
    document.addEventListener("selectionchange", function () {
      var found = selectionQuote(container);
      if (found) fill(found);
    });
    form.querySelector("[data-quote-clear]").addEventListener("click", function () { fill(null); });
  }

  document.addEventListener("DOMContentLoaded", setup);
  // The comments panel is swapped by htmx after posting: bind the new form, redraw the marks.
  document.addEventListener("htmx:afterSettle", setup);
})();
