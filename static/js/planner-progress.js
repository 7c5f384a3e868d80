// A computing week plan: move the progress bar every 2 seconds, and reload the page when
// a better plan has been stored or the search is over (the server renders the board).
(function () {
  "use strict";
  var box = document.getElementById("plan-progress");
  if (!box || !window.fetch) {
    return;
  }
  var bar = box.querySelector(".progress");
  var fill = box.querySelector(".progress-bar");

  function show(percent) {
    bar.setAttribute("aria-valuenow", percent);
    fill.style.width = percent + "%";
    fill.textContent = percent + " %";
  }

  function poll() {
    fetch(box.dataset.progressUrl, {headers: {Accept: "application/json"}, cache: "no-store"})
      .then(function (response) {
        if (!response.ok || response.redirected) {  // e.g. logged out: let the page show why
          window.location.reload();
          return;
        }
        return response.json().then(function (plan) {
          if (plan.status !== "computing" || String(plan.version) !== box.dataset.version) {
            window.location.reload();
            return;
          }
          show(plan.progress);
          window.setTimeout(poll, 2000);
        });
      })
      .catch(function () {  // the server is busy or away for a moment: try again a little later
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 2000);
})();
