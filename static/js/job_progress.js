/* A job's page follows its job: while the job is unfinished, the page asks the server for
 * itself every few seconds and puts the new state (status, progress bar, result) in place.
 * No reload: the reader's place and focus stay, and a screen reader hears the changed state
 * from the live region. Without JavaScript the page has a link to reload it. */
(function () {
  "use strict";
  var state = document.getElementById("job-state");
  if (!state || state.dataset.finished === "true") { return; }
  var seconds = parseInt(state.dataset.refresh, 10) || 2;

  function poll() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("job-state");
        if (!fresh) { return; }
        // Part by part: the live region stays the same element, so its change is announced.
        ["job-live", "job-result"].forEach(function (id) {
          var now = document.getElementById(id), next = page.getElementById(id);
          if (now && next && now.innerHTML !== next.innerHTML) { now.innerHTML = next.innerHTML; }
        });
        state.dataset.finished = fresh.dataset.finished;
        if (fresh.dataset.finished !== "true") { window.setTimeout(poll, seconds * 1000); }
      })
      .catch(function () { window.setTimeout(poll, seconds * 2000); });
  }
  window.setTimeout(poll, seconds * 1000);
})();
