/* Drafts of forms: nothing typed is lost (intake/drafts.py, registry/drafts.py).
 * A form with data-draft="<endpoint>" is kept as a draft on the server while the user types
 * (debounced POST of the form's own fields, with its CSRF token), before any form of the page
 * is sent (the language switch, the form itself) and when the page goes away (a beacon).
 * When the page opens with an unbound form (data-draft-bound absent) the draft comes back into
 * the form, with a notice and a button to start empty. Nothing is kept in the browser. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft]");
  if (!form) { return; }
  var url = form.dataset.draft;
  var DELAY_MS = 800;
  var timer = null;
  var dirty = false;
  var inFlight = null;
  var texts = {};
  var fields = [];
  var stopped = false;
  var status = document.createElement("p");
  status.className = "small text-muted mt-2 mb-0";
  status.id = "draft-status";
  form.appendChild(status);
  var notice = document.createElement("div");
  notice.id = "draft-notice";
  notice.setAttribute("role", "status");
  form.parentNode.insertBefore(notice, form);

  function body(extra) {
    var data = new FormData(form);
    if (extra) { Object.keys(extra).forEach(function (k) { data.set(k, extra[k]); }); }
    return data;
  }

  function sessionEnded() {
    stopped = true;
    notice.className = "alert alert-warning";
    notice.textContent = (texts.session_ended || "") + " ";
    var link = document.createElement("a");
    link.href = window.location.pathname;
    link.className = "alert-link";
    link.textContent = texts.log_in || "";
    notice.appendChild(link);
  }

  function useToken(token) {
    if (!token) { return; }
    document.querySelectorAll('input[name="csrfmiddlewaretoken"]').forEach(function (input) {
      input.value = token;
    });
  }

  function readDraft() {
    return fetch(url, {
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { return null; }
      // The read renewed the session on the server: the timeout's countdown starts again
      // too, or the page would reload just before the session ends and find it alive.
      document.dispatchEvent(new CustomEvent("registry:session-renewed"));
      return response.json().then(function (answer) {
        texts = answer.texts || texts;
        fields = answer.fields || fields;
        useToken(answer.csrf);
        return answer;
      });
    });
  }

  function send(extra) {
    return fetch(url, {
      method: "POST",
      body: body(extra),
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Accept": "application/json" }
    });
  }

  // A 403 is a CSRF token that changed (a login in another tab): fetch the new one and try
  // once more. A redirect (to the login page) is a session that has ended.
  function post(extra) {
    return send(extra).then(function (response) {
      if (response.status !== 403) { return response; }
      return readDraft().then(function (answer) { return answer ? send(extra) : response; });
    }).then(function (response) {
      if (response.type === "opaqueredirect" || response.status === 403) {
        sessionEnded();
        return null;
      }
      return response.json().then(function (answer) {
        if (!response.ok) { throw new Error(answer.error || "refused"); }
        document.dispatchEvent(new CustomEvent("registry:session-renewed"));
        return answer;
      });
    });
  }

  // After "log in again" in another tab, this tab takes up keeping its draft where it was.
  function resume() {
    if (!stopped) { return; }
    readDraft().then(function (answer) {
      if (!answer) { return; }
      stopped = false;
      notice.className = "";
      notice.textContent = "";
      dirty = true;
      save();
    });
  }
  window.addEventListener("focus", resume);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { resume(); }
  });

  function save() {
    clearTimeout(timer);
    timer = null;
    if (!dirty || stopped) { return inFlight || Promise.resolve(); }
    dirty = false;
    var previous = inFlight || Promise.resolve();
    inFlight = previous.then(function () { return post(); }).then(function (answer) {
      if (answer) { status.textContent = answer.status || ""; }
    }).catch(function () {
      dirty = true;
      status.textContent = texts.saving_failed || "";
    });
    return inFlight;
  }

  function changed() {
    if (stopped) { return; }
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(save, DELAY_MS);
  }

  function setValues(values) {
    fields.forEach(function (name) {
      var wanted = values[name] || [];
      var elements = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
      var textIndex = 0;
      elements.forEach(function (el) {
        var before = el.type === "checkbox" || el.type === "radio" ? el.checked : el.value;
        if (el.type === "checkbox" || el.type === "radio") {
          el.checked = wanted.indexOf(el.value) >= 0;
        } else if (el.tagName === "SELECT") {
          Array.prototype.forEach.call(el.options, function (option) {
            option.selected = wanted.indexOf(option.value) >= 0;
          });
          if (!el.multiple && !wanted.length && el.options.length) { el.selectedIndex = 0; }
        } else if (el.type !== "file") {
          el.value = wanted[textIndex] || "";
          textIndex += 1;
        }
        var after = el.type === "checkbox" || el.type === "radio" ? el.checked : el.value;
        if (before !== after) {
          el.dispatchEvent(new Event("input", { bubbles: true }));
          el.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
    });
  }

  function offerDiscard(message) {
    notice.className = "alert alert-info d-flex flex-wrap align-items-center gap-2";
    notice.textContent = "";
    var text = document.createElement("span");
    text.textContent = message;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-outline-dark ms-auto";
    button.id = "draft-discard";
    button.textContent = texts.discard || "";
    button.addEventListener("click", function () {
      clearTimeout(timer);
      dirty = false;
      post({ draft_action: "discard" }).then(function (answer) {
        if (!answer) { return; }
        form.reset();
        form.querySelectorAll("input, select, textarea").forEach(function (el) {
          el.dispatchEvent(new Event("change", { bubbles: true }));
        });
        dirty = false;
        clearTimeout(timer);
        notice.className = "alert alert-secondary";
        notice.textContent = texts.discarded || "";
      });
    });
    notice.appendChild(text);
    notice.appendChild(button);
  }

  // Events the page's own scripts dispatch (the restore below, intake.js) are not typing.
  var restoring = true;
  var touched = false;
  function onEdit(event) {
    if (restoring && !event.isTrusted) { return; }
    if (restoring) { touched = true; }
    changed();
  }
  form.addEventListener("input", onEdit);
  form.addEventListener("change", onEdit);

  // Before any form of the page is sent (the language switch, this form, logging out), keep
  // what was typed, then send that form as the user asked.
  var resubmitting = false;
  document.addEventListener("submit", function (event) {
    if (resubmitting || !dirty || stopped) { return; }
    var target = event.target;
    var submitter = event.submitter || null;
    // The page's own handlers see only the form sent again, once the draft is kept.
    event.preventDefault();
    event.stopImmediatePropagation();
    var done = false;
    function go() {
      if (done) { return; }
      done = true;
      resubmitting = true;
      if (submitter && submitter.form === target) { target.requestSubmit(submitter); } else { target.requestSubmit(); }
      resubmitting = false;
    }
    save().then(go, go);
    setTimeout(go, 3000);
  }, true);

  // A closed tab, a reload, another page: the last keystrokes go out as a beacon.
  window.addEventListener("pagehide", function () {
    if (dirty && !stopped && navigator.sendBeacon) {
      dirty = false;
      navigator.sendBeacon(url, body());
    }
  });

  readDraft().then(function (answer) {
    var values = (answer && answer.values) || {};
    if (!touched && !form.hasAttribute("data-draft-bound") && Object.keys(values).length) {
      setValues(values);
      offerDiscard(answer.restored || "");
    }
  }).catch(function () { /* no draft to give back: the form stays as it came */ }).finally(function () {
    restoring = false;
  });
})();
