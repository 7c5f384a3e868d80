// Small behaviours every page may use, wired by data attributes: the Content-Security-Policy
// allows no inline script or on...= handler, so the markup only says what should happen.
(function () {
  "use strict";

  // <button data-print>: print the page.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // <select data-autosubmit>: send its form as soon as a choice is made (the language menu).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // <span data-reload-seconds="5">: reload the page after that many seconds (a payment that is pending).
  var reload = document.querySelector("[data-reload-seconds]");
  if (reload) {
    window.setTimeout(function () { window.location.reload(); },
      1000 * parseInt(reload.dataset.reloadSeconds, 10));
  }
})();
