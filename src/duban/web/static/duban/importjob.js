// An import job runs outside the request: the page asks for its progress every second and, once the job has
// finished (or its process has gone away), reloads to show the result. Without script the page still says
// where the job stands, and the refresh link asks again.
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("progress");
  var percent = box.querySelector("[data-job-progress]");
  var step = box.querySelector("[data-job-step]");
  var state = document.querySelector("[data-job-state]");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        // A busy or restarting server: ask again a little later rather than give up.
        if (!body) { window.setTimeout(poll, 3000); return; }
        bar.value = body.progress;
        bar.textContent = body.progress + "%";
        percent.textContent = body.progress;
        step.textContent = body.step;
        if (state) { state.textContent = body.label; }
        if (body.finished || body.stale) { window.location.reload(); return; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
