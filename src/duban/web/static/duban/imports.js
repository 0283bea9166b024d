// The import review page: rows added in place, fields that do not apply kept out of the way, a warning
// before leaving with unsaved corrections, Ctrl+S (⌘S) to save — and the whole form sent as one field, since
// a table of a few hundred tasks has more fields than a server accepts in one request.
(function () {
  "use strict";
  var form = document.getElementById("review");
  if (!form) return;
  // A page shown again after a refused save holds what was typed and is not saved yet.
  var dirty = form.dataset.dirty === "1";
  var submitting = false;
  // With the script, rows are added by the buttons; the blank rows are for a page without it.
  Array.prototype.forEach.call(form.querySelectorAll("tr.blank"), function (row) { row.remove(); });
  Array.prototype.forEach.call(form.querySelectorAll("button.add-row"), function (button) { button.hidden = false; });
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function (event) {
    dirty = true;
    refresh(event.target);
  });

  function refresh(field) {
    var name = field.name || "";
    var row = field.closest("tr");
    if (!row) return;
    if (/^t-\d+-g-\d+-kind$/.test(name)) row.dataset.kind = field.value;
    if (/^r-\d+-choice$/.test(name)) row.classList.toggle("not-new", field.value !== "new");
  }
  Array.prototype.forEach.call(form.querySelectorAll("select"), refresh);

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button.add-row");
    if (!button) return;
    var task = button.dataset.task;
    var kind = button.dataset.add;
    var count = form.querySelector('input[name="t-' + task + "-" + (kind === "unit" ? "units" : "targets") + '"]');
    var template = document.getElementById(kind + "-row");
    var html = template.innerHTML.replace(/__I__/g, task).replace(/__J__/g, count.value);
    var body = document.getElementById("t-" + task + "-" + kind + "s-table").tBodies[0];
    body.insertAdjacentHTML("beforeend", html);
    count.value = String(Number(count.value) + 1);
    dirty = true;
    var added = body.rows[body.rows.length - 1];
    Array.prototype.forEach.call(added.querySelectorAll("select"), refresh);
    added.querySelector("input:not([type=checkbox])").focus();
  });

  form.addEventListener("submit", function (event) {
    // A second click (or Ctrl+S) while the first save is on its way would send the packed field alone.
    if (submitting) {
      event.preventDefault();
      return;
    }
    submitting = true;
    dirty = false;
    var fields = {};
    var sent = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled || field.name === "csrfmiddlewaretoken") return;
      if ((field.type === "checkbox" || field.type === "radio") && !field.checked) return;
      if (field.type === "submit" || field.type === "button") return;
      fields[field.name] = field.value;
      sent.push(field);
    });
    var packed = document.createElement("input");
    packed.type = "hidden";
    packed.name = "packed";
    packed.value = JSON.stringify(fields);
    form.appendChild(packed);
    sent.forEach(function (field) { field.disabled = true; });
  });
  // Coming back to the page from the browser's history shows it as it was left: editable again.
  window.addEventListener("pageshow", function () {
    submitting = false;
    Array.prototype.forEach.call(form.querySelectorAll("[disabled]"), function (field) { field.disabled = false; });
    Array.prototype.forEach.call(form.querySelectorAll('input[name="packed"]'), function (field) { field.remove(); });
  });

  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = form.dataset.unsaved || "";
  });
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") {
      event.preventDefault();
      form.requestSubmit(document.getElementById("save"));
    }
  });
})();
