// FGD pages: minutes that save themselves, and the input form's author fields.
// No inline scripts (CSP): everything hangs off data- attributes in the templates.
(function () {
  "use strict";

  var IDLE_MS = 2000;       // save two seconds after the notulis stops typing
  var MAX_WAIT_MS = 10000;  // and at least every ten seconds while they keep typing
  var RETRY_MS = 5000;      // retry after a network failure

  function now() {
    var d = new Date();
    return [d.getHours(), d.getMinutes(), d.getSeconds()].map(function (n) {
      return (n < 10 ? "0" : "") + n;
    }).join(":");
  }

  function setupMinutes(form) {
    var textarea = form.querySelector("textarea[name=text]");
    var version = form.querySelector("input[name=version]");
    var status = form.querySelector("[data-status]");
    var conflict = form.querySelector("[data-conflict]");
    var key = form.getAttribute("data-storage-key");
    var idleTimer = null, firstChange = null, inFlight = false, blocked = false, sentText = null;

    function show(text, state) {
      status.textContent = text;
      status.classList.toggle("is-dirty", state === "dirty");
      status.classList.toggle("is-error", state === "error");
    }

    // Unsaved text survives a lost connection or a closed tab: it lives in localStorage until
    // the server has it.
    function remember() {
      try {
        localStorage.setItem(key, JSON.stringify({ text: textarea.value, base: version.value }));
      } catch (e) { /* storage full or disabled: the autosave still runs */ }
    }
    function forget() {
      try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
    }
    function stored() {
      try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
    }

    function showConflict(data) {
      blocked = true;
      conflict.hidden = false;
      conflict.querySelector("[data-conflict-text]").value = data.text;
      conflict.querySelector("[data-conflict-title]").textContent =
        "Versi tersimpan " + data.version + (data.by ? " oleh " + data.by : "") + (data.at ? ", " + data.at : "");
      conflict.setAttribute("data-server-version", data.version);
      show("Bentrok: notulensi diubah orang lain. Bandingkan kedua versi, lalu pilih.", "error");
    }

    function save() {
      clearTimeout(idleTimer);
      idleTimer = null;
      if (inFlight || blocked) return;
      inFlight = true;
      sentText = textarea.value;
      var body = new FormData(form);
      show("Menyimpan…", "dirty");
      fetch(form.action, {
        method: "POST",
        body: body,
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        return response.json().then(function (data) { return { status: response.status, data: data }; });
      }).then(function (result) {
        inFlight = false;
        if (result.status === 200 && result.data.saved) {
          version.value = result.data.version;
          firstChange = null;
          if (textarea.value === sentText) {
            forget();
            show("Tersimpan versi " + result.data.version + " pukul " + result.data.at, "saved");
          } else {
            remember();
            schedule();  // more was typed while saving
          }
        } else if (result.status === 409) {
          showConflict(result.data);
        } else {
          show(result.data.error || "Gagal menyimpan.", "error");
        }
      }).catch(function () {
        inFlight = false;
        show("Belum tersimpan: koneksi terputus. Teks aman di peramban ini; mencoba lagi…", "error");
        idleTimer = setTimeout(save, RETRY_MS);
      });
    }

    function schedule() {
      if (blocked) return;
      firstChange = firstChange || Date.now();
      clearTimeout(idleTimer);
      var wait = Math.min(IDLE_MS, Math.max(0, MAX_WAIT_MS - (Date.now() - firstChange)));
      idleTimer = setTimeout(save, wait);
    }

    textarea.addEventListener("input", function () {
      remember();
      show("Ada perubahan yang belum tersimpan…", "dirty");
      schedule();
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      save();
    });

    conflict.querySelector("[data-use-theirs]").addEventListener("click", function () {
      textarea.value = conflict.querySelector("[data-conflict-text]").value;
      version.value = conflict.getAttribute("data-server-version");
      conflict.hidden = true;
      blocked = false;
      forget();
      show("Memakai versi tersimpan " + version.value + ".", "saved");
    });
    conflict.querySelector("[data-keep-mine]").addEventListener("click", function () {
      // The notulis has seen the other version: save theirs as the new base, knowingly.
      version.value = conflict.getAttribute("data-server-version");
      conflict.hidden = true;
      blocked = false;
      save();
    });

    window.addEventListener("beforeunload", function (event) {
      if (stored() && (idleTimer || inFlight)) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    window.addEventListener("online", function () { if (stored()) save(); });

    // Text left over from a lost connection: put it back, then send it.
    var left = stored();
    if (left && left.text !== textarea.value) {
      if (String(left.base) === version.value) {
        textarea.value = left.text;
        show("Memulihkan teks yang belum terkirim…", "dirty");
        save();
      } else {
        var serverText = textarea.value;
        textarea.value = left.text;
        showConflict({ text: serverText, version: version.value, by: "", at: "" });
      }
    } else if (left) {
      forget();
    }
    // Typed before this script ran (a slow phone): save it like any other change.
    if (!blocked && textarea.value !== textarea.defaultValue && !inFlight) {
      remember();
      show("Ada perubahan yang belum tersimpan…", "dirty");
      schedule();
    }
  }

  // Input form: show only the fields of the chosen kind of author.
  function setupAuthorFields(form) {
    var radios = form.querySelectorAll("input[name=author_kind]");
    if (!radios.length) return;
    var groups = {
      resource_person: ["resource_person"],
      agency: ["agency", "speaker"],
      guest: ["guest"]
    };
    function fieldOf(name) {
      var input = form.querySelector("[name=" + name + "]");
      return input && input.closest(".field");
    }
    function update() {
      var chosen = form.querySelector("input[name=author_kind]:checked");
      Object.keys(groups).forEach(function (kind) {
        groups[kind].forEach(function (name) {
          var field = fieldOf(name);
          if (field) field.hidden = !chosen || chosen.value !== kind;
        });
      });
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-autosave]").forEach(setupMinutes);
    document.querySelectorAll("form.input-form").forEach(setupAuthorFields);
  });
})();
