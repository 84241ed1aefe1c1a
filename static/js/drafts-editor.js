// The section editor: TinyMCE 6 (vendored, MIT) with the document's conventions.
// No inline scripts (CSP): the page passes its settings in data-editor-config on the form.
(function () {
  "use strict";

  var form = document.getElementById("editor-form");
  if (!form || !window.tinymce) return;
  var config = JSON.parse(form.getAttribute("data-editor-config"));
  var textarea = form.querySelector("textarea[name=body]");
  var baseInput = form.querySelector("input[name=base_version]");
  var statusLine = document.getElementById("autosave-status");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var storageKey = "rpjmd:section:" + config.sectionId;
  var AUTOSAVE_MS = 5000;

  // The words come from the server, in the language the page is in (drafts/views/editor.py).
  var T = config.strings;

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  // --- paste: Word and Excel ---------------------------------------------------------------

  var KEEP_CLASSES = /^(text-left|text-center|text-right|text-justify|footnote|xref|image|data-block)$/;

  function cleanPaste(html) {
    var looksLikeOffice = /urn:schemas-microsoft-com|class="?(Mso|xl\d)|mso-/i.test(html);
    if (!looksLikeOffice) return html;
    var doc = new DOMParser().parseFromString(html, "text/html");
    convertWordLists(doc);
    // TinyMCE has already cut the <html xmlns:x=…> wrapper: recognise Excel by its cell classes.
    if (/urn:schemas-microsoft-com:office:excel|class="?xl\d|x:num|x:str/i.test(html)) excelHeaders(doc);
    doc.querySelectorAll("style, meta, link, script, col, colgroup, xml, title").forEach(function (el) { el.remove(); });
    var walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_COMMENT);
    var comments = [];
    while (walker.nextNode()) comments.push(walker.currentNode);
    comments.forEach(function (c) { c.remove(); });
    doc.body.querySelectorAll("*").forEach(function (el) {
      el.removeAttribute("style");
      if (el.hasAttribute("class")) {
        var keep = el.className.split(/\s+/).filter(function (c) { return KEEP_CLASSES.test(c); });
        if (keep.length) el.className = keep.join(" "); else el.removeAttribute("class");
      }
      ["width", "height", "align", "valign", "border", "cellpadding", "cellspacing", "lang", "x:num", "x:str"].forEach(function (a) {
        if (el.tagName !== "IMG") el.removeAttribute(a);
      });
      if (el.tagName.indexOf(":") > -1) el.remove(); // <o:p>, <w:sdt>
    });
    return doc.body.innerHTML;
  }

  // A range copied from Excel has no header cells: its first row is the header.
  function excelHeaders(doc) {
    doc.querySelectorAll("table").forEach(function (table) {
      if (table.querySelector("th, thead")) return;
      var first = table.querySelector("tr");
      if (!first) return;
      var thead = doc.createElement("thead");
      Array.prototype.slice.call(first.children).forEach(function (td) {
        var th = doc.createElement("th");
        while (td.firstChild) th.appendChild(td.firstChild);
        if (td.hasAttribute("colspan")) th.setAttribute("colspan", td.getAttribute("colspan"));
        if (td.hasAttribute("rowspan")) th.setAttribute("rowspan", td.getAttribute("rowspan"));
        td.replaceWith(th);
      });
      first.parentNode.removeChild(first);
      thead.appendChild(first);
      table.insertBefore(thead, table.firstChild);
    });
  }

  // Word marks list items as paragraphs with mso-list styles; make real lists of them.
  function convertWordLists(doc) {
    var stack = [];
    var previous = null;
    doc.body.querySelectorAll("p").forEach(function (p) {
      var style = p.getAttribute("style") || "";
      var match = /mso-list:\s*l\d+\s+level(\d+)/i.exec(style);
      if (!match) { stack = []; previous = null; return; }
      var level = parseInt(match[1], 10);
      var marker = "";
      p.querySelectorAll("span").forEach(function (span) {
        if (/mso-list:\s*Ignore/i.test(span.getAttribute("style") || "")) {
          marker = span.textContent.trim();
          span.remove();
        }
      });
      var ordered = /^\(?([0-9]+|[a-zA-Z]|[ivxlcdm]+)[.)]/i.test(marker);
      if (previous === null || previous.nextElementSibling !== p) stack = [];
      while (stack.length > level) stack.pop();
      while (stack.length < level) {
        var list = doc.createElement(ordered ? "ol" : "ul");
        if (stack.length === 0) p.parentNode.insertBefore(list, p);
        else (stack[stack.length - 1].lastElementChild || stack[stack.length - 1]).appendChild(list);
        stack.push(list);
      }
      var item = doc.createElement("li");
      while (p.firstChild) item.appendChild(p.firstChild);
      stack[stack.length - 1].appendChild(item);
      var placeholder = doc.createElement("span");
      p.parentNode.replaceChild(placeholder, p);
      previous = placeholder;
      placeholder.setAttribute("data-list-gap", "");
    });
    doc.body.querySelectorAll("span[data-list-gap]").forEach(function (s) { s.remove(); });
  }

  // --- dialogs for the document's own elements --------------------------------------------

  function footnoteDialog(editor) {
    var node = editor.dom.getParent(editor.selection.getNode(), "span.footnote");
    editor.windowManager.open({
      title: T.footnote,
      body: {
        type: "panel",
        items: [
          { type: "textarea", name: "text", label: T.footnoteText },
          { type: "htmlpanel", html: "<p>" + escapeHtml(T.footnoteHelp) + "</p>" }
        ]
      },
      initialData: { text: node ? node.textContent : "" },
      buttons: [
        { type: "cancel", text: T.cancel },
        { type: "submit", text: node ? T.save : T.insert, primary: true }
      ],
      onSubmit: function (api) {
        var text = api.getData().text.trim();
        if (text) {
          if (node) node.textContent = text;
          else editor.insertContent('<span class="footnote">' + escapeHtml(text) + "</span>&nbsp;");
        }
        api.close();
      }
    });
  }

  function blockDialog(editor) {
    if (!config.blocks.length) {
      editor.windowManager.alert(T.blockNone);
      return;
    }
    editor.windowManager.open({
      title: T.block,
      body: {
        type: "panel",
        items: [
          {
            type: "selectbox",
            name: "key",
            label: T.blockChoose,
            items: config.blocks.map(function (b) { return { value: b.key, text: (b.group ? b.group + " — " : "") + b.label }; })
          },
          { type: "htmlpanel", html: "<p>" + escapeHtml(T.blockHelp) + "</p>" }
        ]
      },
      buttons: [
        { type: "cancel", text: T.cancel },
        { type: "submit", text: T.insert, primary: true }
      ],
      onSubmit: function (api) {
        var key = api.getData().key;
        api.block(T.insert + "…");
        fetch(config.blockUrl.replace("KEY", encodeURIComponent(key)), { credentials: "same-origin" })
          .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
          .then(function (html) { editor.insertContent(html + "<p></p>"); api.close(); })
          .catch(function () { api.unblock(); api.close(); });
      }
    });
  }

  function xrefDialog(editor) {
    fetch(config.referencesUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (!data.items.length) { editor.windowManager.alert(T.xrefNone); return; }
        editor.windowManager.open({
          title: T.xref,
          body: {
            type: "panel",
            items: [
              {
                type: "selectbox",
                name: "target",
                label: T.xrefChoose,
                items: data.items.map(function (i) { return { value: i.id, text: i.label + (i.caption ? " " + i.caption : "") }; })
              },
              { type: "htmlpanel", html: "<p>" + escapeHtml(T.xrefHelp) + "</p>" }
            ]
          },
          buttons: [
            { type: "cancel", text: T.cancel },
            { type: "submit", text: T.insert, primary: true }
          ],
          onSubmit: function (api) {
            var target = api.getData().target;
            var item = data.items.filter(function (i) { return i.id === target; })[0];
            editor.insertContent('<a class="xref" href="#' + target + '">' + escapeHtml(item.label) + "</a>&nbsp;");
            api.close();
          }
        });
      });
  }

  // A table pasted from Excel or Word comes without a caption, and a table without one gets no
  // number ("Tabel 2.3") and no line in the daftar tabel: offer one right after the paste.
  function offerCaptions(editor, before) {
    var fresh = Array.prototype.filter.call(editor.getBody().querySelectorAll("table"), function (table) {
      return before.indexOf(table) < 0 && !table.querySelector("caption") && !editor.dom.getParent(table, "figure.data-block");
    });
    if (!fresh.length) return;
    var table = fresh[0];
    editor.selection.select(table, true);
    editor.selection.collapse(true);
    editor.windowManager.open({
      title: T.captionTitle,
      body: {
        type: "panel",
        items: [
          { type: "input", name: "caption", label: T.captionLabel },
          { type: "htmlpanel", html: "<p>" + escapeHtml(T.captionHelp) + "</p>" }
        ]
      },
      buttons: [
        { type: "cancel", text: T.captionLater },
        { type: "submit", text: T.captionAdd, primary: true }
      ],
      onSubmit: function (api) {
        var text = api.getData().caption.trim();
        api.close();
        if (!text) return;
        editor.undoManager.transact(function () {
          table.insertBefore(editor.dom.create("caption", {}, escapeHtml(text)), table.firstChild);
        });
        editor.nodeChanged();
      },
      onClose: function () { offerCaptions(editor, before.concat([table])); }
    });
  }

  // --- images -------------------------------------------------------------------------------

  function uploadImage(blobInfo, progress) {
    return new Promise(function (resolve, reject) {
      var data = new FormData();
      data.append("file", blobInfo.blob(), blobInfo.filename());
      var xhr = new XMLHttpRequest();
      xhr.open("POST", config.uploadUrl);
      xhr.setRequestHeader("X-CSRFToken", csrf);
      xhr.upload.onprogress = function (e) { progress(e.loaded / e.total * 100); };
      xhr.onload = function () {
        var answer = {};
        try { answer = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
        if (xhr.status === 200 && answer.location) resolve(answer.location);
        else reject({ message: answer.error || T.uploadFailed, remove: true });
      };
      xhr.onerror = function () { reject({ message: T.uploadFailed, remove: true }); };
      xhr.send(data);
    });
  }

  // --- working copy: server autosave, and the browser as a fallback ---------------------------

  var dirty = false;
  var unsent = false;
  var submitting = false;

  function readLocal() {
    try { return JSON.parse(window.localStorage.getItem(storageKey) || "null"); } catch (e) { return null; }
  }

  function writeLocal(body) {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify({ body: body, base: parseInt(baseInput.value, 10), at: new Date().toISOString() }));
    } catch (e) { /* storage full or disabled: the server copy still works */ }
  }

  function autosave(editor) {
    if (!unsent) return;
    unsent = false;
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrf);
    data.append("body", editor.getContent());
    data.append("base_version", baseInput.value);
    statusLine.textContent = T.saving;
    fetch(config.autosaveUrl, { method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": csrf } })
      .then(function (r) { return r.text().then(function (t) { if (!r.ok) throw new Error(t); statusLine.textContent = t; }); })
      .catch(function () { unsent = true; statusLine.textContent = T.offline; });
  }

  function offerLocalCopy(editor) {
    var entry = readLocal();
    if (!entry) return;
    var savedAt = config.updatedAt ? new Date(config.updatedAt) : new Date(0);
    // The server's working copy is offered already unless the browser holds something newer
    // than its last autosave (written while the connection was down).
    var copyAt = config.copyAt ? new Date(config.copyAt).getTime() + 2 * AUTOSAVE_MS : 0;
    if (copyAt && new Date(entry.at).getTime() <= copyAt) return;
    if (new Date(entry.at) <= savedAt || entry.body === editor.getContent()) {
      // The section was saved after this copy was written: it is spent.
      window.localStorage.removeItem(storageKey);
      return;
    }
    var offer = document.querySelector("[data-local-offer]");
    if (!offer) return;
    offer.querySelector("[data-local-text]").textContent =
      T.localFound + new Date(entry.at).toLocaleString(config.locale === "en" ? "en-GB" : "id-ID") + ").";
    offer.hidden = false;
    offer.querySelector("[data-local-restore]").addEventListener("click", function () {
      editor.setContent(entry.body);
      baseInput.value = entry.base;
      dirty = unsent = true;
      offer.hidden = true;
    });
    offer.querySelector("[data-local-discard]").addEventListener("click", function () {
      window.localStorage.removeItem(storageKey);
      offer.hidden = true;
    });
  }

  // --- the editor ----------------------------------------------------------------------------

  var ALIGN = "p,h3,h4,h5,td,th";

  window.tinymce.init({
    target: textarea,
    language: config.language || undefined,
    language_url: config.language ? config.tinymceBase + "/langs/" + config.language + ".js" : undefined,
    base_url: config.tinymceBase,
    suffix: ".min",
    skin: "oxide",
    content_css: config.contentCss,
    body_class: "doc-content editor-content",
    promotion: false,
    visual: false,
    branding: false,
    menubar: "edit view insert format table",
    menu: {
      insert: { title: "Insert", items: "image link | datablock xref footnote | charmap hr" }
    },
    plugins: "lists advlist link table image autolink wordcount searchreplace fullscreen charmap",
    toolbar: "undo redo | blocks | bold italic underline subscript superscript | bullist numlist outdent indent | alignleft aligncenter alignright alignjustify | link image table | datablock xref footnote | searchreplace fullscreen",
    toolbar_mode: "wrap",
    toolbar_sticky: true,
    // A window onto the page, like a word processor: the toolbar and the save bar stay in view.
    height: Math.max(480, window.innerHeight - 260),
    resize: true,
    // TinyMCE 6's status bar (element path, word count, resize grip) fails axe-core: an element
    // path with disallowed ARIA, an unnamed word-count button, a grip with a prohibited label.
    statusbar: false,
    block_formats: T.blockFormats,
    formats: {
      alignleft: { selector: ALIGN, classes: "text-left" },
      aligncenter: { selector: ALIGN, classes: "text-center" },
      alignright: { selector: ALIGN, classes: "text-right" },
      alignjustify: { selector: ALIGN, classes: "text-justify" }
    },
    // The same allow-list the server applies (drafts/html.py); the server has the last word.
    valid_elements:
      "p[class],h3[class],h4[class],h5[class],blockquote,hr,br,strong/b,em/i,u,s,sub,sup," +
      "a[href|title|class],span[class],ul,ol[start|type],li," +
      "table[id],caption[data-label],thead,tbody,tfoot,tr,th[colspan|rowspan|scope|class],td[colspan|rowspan|class]," +
      "figure[id|class|data-block|data-params|contenteditable],figcaption[data-label],img[src|alt|width|height]",
    valid_children: "+figure[table|figcaption|img|p],+caption[span]",
    valid_styles: {},
    invalid_elements: "script,style,iframe,object,embed,link,meta,form,input,button,textarea,select,svg,math",
    convert_urls: false,
    entity_encoding: "raw",
    browser_spellcheck: true,
    contextmenu: "link image table",
    noneditable_class: "data-block",
    paste_data_images: true,
    paste_preprocess: function (editor, args) {
      args.content = cleanPaste(args.content);
      if (/<table/i.test(args.content)) {
        var before = Array.prototype.slice.call(editor.getBody().querySelectorAll("table"));
        // After TinyMCE has put the pasted tables in.
        window.setTimeout(function () { offerCaptions(editor, before); }, 0);
      }
    },
    automatic_uploads: true,
    images_upload_handler: uploadImage,
    images_file_types: "jpg,jpeg,png,gif,webp",
    image_caption: true,
    image_dimensions: false,
    image_description: true,
    link_default_protocol: "https",
    link_assume_external_targets: true,
    link_title: false,
    target_list: false,
    table_appearance_options: true,
    table_advtab: false,
    table_cell_advtab: false,
    table_row_advtab: false,
    table_style_by_css: false,
    table_resize_bars: false,
    table_sizing_mode: "responsive",
    table_default_attributes: {},
    table_default_styles: {},
    table_header_type: "sectionCells",
    object_resizing: false,
    setup: function (editor) {
      editor.ui.registry.addButton("footnote", { text: T.footnote, tooltip: T.footnote, onAction: function () { footnoteDialog(editor); } });
      editor.ui.registry.addMenuItem("footnote", { text: T.footnote, onAction: function () { footnoteDialog(editor); } });
      editor.ui.registry.addButton("datablock", { text: T.block, tooltip: T.blockChoose, onAction: function () { blockDialog(editor); } });
      editor.ui.registry.addMenuItem("datablock", { text: T.block, onAction: function () { blockDialog(editor); } });
      editor.ui.registry.addButton("xref", { text: T.xref, tooltip: T.xrefChoose, onAction: function () { xrefDialog(editor); } });
      editor.ui.registry.addMenuItem("xref", { text: T.xref, onAction: function () { xrefDialog(editor); } });

      var localTimer = null;
      // TinyMCE fires these events for more than edits (ExecCommand "mceFocus" when the text
      // is clicked into): only a change of the text itself makes it unsaved.
      var lastContent = null;
      editor.on("input change undo redo SetContent ExecCommand paste", function (event) {
        if (event.type === "setcontent" && event.initial) return;
        if (!editor.initialized) return;
        var content = editor.getContent();
        if (content === lastContent) return;
        lastContent = content;
        dirty = unsent = true;
        window.clearTimeout(localTimer);
        localTimer = window.setTimeout(function () { writeLocal(editor.getContent()); }, 800);
      });
      editor.on("init", function () {
        lastContent = editor.getContent();
        document.body.classList.add("editor-ready");
        offerLocalCopy(editor);
        window.setInterval(function () { autosave(editor); }, AUTOSAVE_MS);
      });
    }
  });

  // Pictures pasted or dropped are uploaded before the text is sent, so the text refers to
  // /gambar/<uuid>/ and never to a blob: or data: address.
  var uploaded = false;
  form.addEventListener("submit", function (event) {
    var editor = window.tinymce.get(textarea.id);
    submitting = true;
    if (!editor) return;
    var pending = editor.getBody().querySelector("img[src^='blob:'], img[src^='data:']");
    if (pending && !uploaded) {
      event.preventDefault();
      editor.uploadImages().then(function () {
        uploaded = true;
        window.tinymce.triggerSave();
        form.requestSubmit();
      });
      return;
    }
    window.tinymce.triggerSave();
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
