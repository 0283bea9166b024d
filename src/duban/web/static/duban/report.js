// The report form saves itself while the reporter types, one save at a time (each carries the version the
// previous one produced), and stops, saying why, when someone else has saved the report in the meantime or the
// session has ended — so that neither person's text is silently overwritten.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form || !window.fetch) { return; }
  var status = form.querySelector(".autosave");
  var version = form.querySelector("input[name=version]");
  var english = document.documentElement.lang === "en";
  var timer = null, stopped = false, dirty = false, inflight = null, submitting = false;

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("error", !!isError);
  }

  function send() {
    dirty = false;
    var data = new FormData(form);
    data.set("then", "");
    say(english ? "Saving…" : "正在保存…");
    return fetch(form.getAttribute("data-autosave"), {
      method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.redirected || type.indexOf("application/json") === -1) {
        // A login page or an error page instead of an answer: the session has ended or the report moved on.
        stopped = true;
        say(english ? "Not saved: please sign in again and reload the page" : "未能自动保存：登录已失效或报告已不可编辑，请重新登录并刷新页面", true);
        return;
      }
      return response.json().then(function (body) {
        if (response.ok) {
          version.value = body.version;
          say((english ? "Draft saved at " : "草稿已自动保存 ") + body.saved_at);
        } else {
          if (response.status === 409) { stopped = true; }
          say(body.error, true);
        }
      });
    }).catch(function () {
      dirty = true;
      say(english ? "Not saved: no connection" : "未能自动保存：网络连接中断", true);
    });
  }

  function save() {
    if (stopped || !dirty) { return Promise.resolve(); }
    if (inflight) { return inflight.then(save); }
    inflight = send().then(function () { inflight = null; });
    return inflight;
  }

  form.addEventListener("input", function () {
    dirty = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 1500);
  });

  // Uploading evidence leaves the page: what was typed since the last save is saved first, or it would be lost.
  var upload = document.getElementById("evidence-form");
  if (upload) {
    upload.addEventListener("submit", function (event) {
      if (stopped || (!dirty && !inflight)) { return; }
      event.preventDefault();
      window.clearTimeout(timer);
      save().then(function () { upload.submit(); });
    });
  }

  form.addEventListener("submit", function (event) {
    window.clearTimeout(timer);
    // No save may start once the form is on its way, not even one queued behind the save under way: it would
    // take the version the form carries, and the form, refused as stale, would lose what was typed last.
    stopped = true;
    if (inflight && !submitting) {
      // Wait for the save under way, so that the form carries the version it produced.
      event.preventDefault();
      submitting = true;
      var submitter = event.submitter;
      inflight.then(function () {
        if (submitter && submitter.name) {
          var choice = document.createElement("input");
          choice.type = "hidden";
          choice.name = submitter.name;
          choice.value = submitter.value;
          form.appendChild(choice);
        }
        form.submit();
      });
      return;
    }
  });
})();
