// Strategic issues: the criteria editor's running weight total. No inline script (CSP).
(function () {
  "use strict";
  function updateSum(form) {
    var output = form.querySelector("[data-weight-sum]");
    if (!output) return;
    var total = 0;
    form.querySelectorAll("input[name$='-weight']").forEach(function (input) {
      var row = input.closest("tr");
      var gone = row && row.querySelector("input[name$='-DELETE']");
      var name = row && row.querySelector("input[name$='-name']");
      if ((gone && gone.checked) || (name && !name.value.trim())) return;
      total += parseInt(input.value, 10) || 0;
    });
    output.textContent = String(total);
    output.classList.toggle("is-invalid", total !== 100);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("criteria-form");
    if (!form) return;
    form.addEventListener("input", function () { updateSum(form); });
    form.addEventListener("change", function () { updateSum(form); });
    updateSum(form);
  });
})();
