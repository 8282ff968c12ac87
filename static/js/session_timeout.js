/* The warning before the idle timeout (registry/session_expiry.py).
 * The session lasts data-session-seconds after the last request; the dialog opens
 * data-warning-seconds before that and offers to stay signed in (a POST, which renews the
 * session). Any request of this page that reaches the server renews it too: drafts.js
 * announces its saves with the event "registry:session-renewed", and other tabs of this
 * browser hear of it through a BroadcastChannel, so a busy tab keeps the warning away from an
 * idle one. When the time is up the page reloads: the server sends it to the login page,
 * which says the session has ended, and nothing personal stays on the screen. */
(function () {
  "use strict";
  var dialog = document.getElementById("session-timeout");
  if (!dialog || typeof dialog.showModal !== "function") { return; }
  var sessionMs = Number(dialog.dataset.sessionSeconds) * 1000;
  var warningMs = Number(dialog.dataset.warningSeconds) * 1000;
  if (!sessionMs || !warningMs) { return; }
  var left = document.getElementById("session-timeout-left");
  var ended = document.getElementById("session-timeout-ended");
  var form = document.getElementById("session-timeout-form");
  var stay = document.getElementById("session-stay");
  var channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("registry-session") : null;
  var deadline = 0;
  var timer = null;
  var ticker = null;

  function format(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000));
    var m = Math.floor(s / 60);
    s = s % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function close() {
    if (ticker) { clearInterval(ticker); ticker = null; }
    if (dialog.open) { dialog.close(); }
  }

  function expire() {
    close();
    ended.classList.remove("d-none");
    form.classList.add("d-none");
    if (!dialog.open) { dialog.showModal(); }
    window.location.reload();
  }

  function tick() {
    var remaining = deadline - Date.now();
    if (remaining <= 0) { expire(); return; }
    left.textContent = format(remaining);
  }

  function warn() {
    tick();
    if (Date.now() >= deadline) { return; }
    if (!dialog.open) {
      dialog.showModal();
      stay.focus();
    }
    if (!ticker) { ticker = setInterval(tick, 1000); }
  }

  function renewed(at) {
    deadline = at + sessionMs;
    close();
    clearTimeout(timer);
    timer = setTimeout(warn, Math.max(0, deadline - warningMs - Date.now()));
  }

  function announce() {
    var now = Date.now();
    renewed(now);
    if (channel) { channel.postMessage(now); }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    stay.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("not renewed"); }
      announce();
    }).catch(function () {
      expire();
    }).finally(function () { stay.disabled = false; });
  });
  // Escape means the user is here: the same as "Stay signed in".
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    form.requestSubmit(stay);
  });
  document.addEventListener("registry:session-renewed", announce);
  if (channel) {
    channel.addEventListener("message", function (event) {
      if (typeof event.data === "number" && event.data + sessionMs > deadline) { renewed(event.data); }
    });
  }
  // A sleeping computer or a background tab may run timers late: look again when it wakes.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && deadline && Date.now() >= deadline - warningMs) { warn(); }
  });
  announce();
})();
