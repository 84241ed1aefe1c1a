// Problems: add formset rows without a reload, and select every row of a list page.
// Without JavaScript the forms still work: they come with empty rows, and saving adds more.
(function () {
  "use strict";

  function addRow(name) {
    var template = document.querySelector('template[data-formset-template="' + name + '"]');
    var container = document.querySelector('[data-formset="' + name + '"]');
    var total = document.getElementById("id_" + name + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + name + "-MAX_NUM_FORMS");
    if (!template || !container || !total) return;
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) return;
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    container.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    // The new row goes last: number it after the rows above it.
    var order = document.getElementById("id_" + name + "-" + index + "-order");
    if (order) order.value = String(container.children.length);
    var first = container.lastElementChild.querySelector("textarea, input:not([type=hidden])");
    if (first) first.focus();
  }

  function init(root) {
    root.querySelectorAll("[data-formset-add]").forEach(function (button) {
      button.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-formset-add]");
    if (!button) return;
    event.preventDefault();
    addRow(button.getAttribute("data-formset-add"));
  });

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.classList || !box.classList.contains("select-all")) return;
    var form = box.closest("form");
    form.querySelectorAll('input[type=checkbox][name="problems"]').forEach(function (item) {
      item.checked = box.checked;
    });
  });

  document.addEventListener("DOMContentLoaded", function () { init(document); });
})();
