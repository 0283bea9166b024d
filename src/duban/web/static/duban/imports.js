// The import review page: warn before leaving with unsaved corrections, and save with Ctrl+S (⌘S).
(function () {
  "use strict";
  var form = document.getElementById("review");
  if (!form) return;
  var dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = form.dataset.unsaved || "";
  });
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") {
      event.preventDefault();
      dirty = false;
      form.requestSubmit(document.getElementById("save"));
    }
  });
})();
