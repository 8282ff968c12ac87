/* Intake form helpers. The server states every rule and shows one step at a time itself
 * (the pages work without JavaScript); this only shows things earlier or moves the focus:
 * - the error summary: focused on load (autofocus does it too), and each of its links moves
 *   the focus to its field and brings the field's label into view (a plain link to a
 *   fragment scrolls but leaves the focus where it was);
 * - the 112 banner appears as soon as "immediate danger" is ticked;
 * - the anonymity notice follows the reporter type and the consent box. */
(function () {
  "use strict";

  var summary = document.getElementById("error-summary");
  if (summary) {
    if (document.activeElement === document.body || document.activeElement === null) {
      summary.focus();
    }
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-focus]");
      if (!link) { return; }
      var target = document.getElementById(link.dataset.focus);
      if (!target) { return; }
      event.preventDefault();
      var label = document.querySelector("label[for='" + target.id + "']");
      var group = target.closest("fieldset");
      var legend = group && group.querySelector("legend");
      var shown = (target.type === "checkbox" || target.type === "radio") && legend ? legend : label;
      target.focus({ preventScroll: true });
      (shown || target).scrollIntoView({ block: "center" });
    });
  }

  var form = document.getElementById("intake-form");
  if (!form) { return; }

  var banner = document.getElementById("emergency-banner");
  var danger = document.getElementById("id_immediate_danger");
  if (banner && danger) {
    danger.addEventListener("change", function () {
      banner.classList.toggle("d-none", !danger.checked);
      if (danger.checked) { banner.scrollIntoView({ behavior: "smooth", block: "start" }); }
    });
  }

  var notice = document.getElementById("anonymity-notice");
  var consent = document.getElementById("id_consent_registration");
  var reporter = document.getElementById("id_reporter_type");
  var legalDuty = (form.dataset.legalDuty || "").split(" ");
  function updateNotice() {
    if (!notice || !consent) { return; }
    var type = reporter ? reporter.value : form.dataset.fixedReporter;
    var anonymous = Boolean(type) && legalDuty.indexOf(type) < 0 && !consent.checked;
    notice.classList.toggle("d-none", !anonymous);
  }
  if (consent) { consent.addEventListener("change", updateNotice); }
  if (reporter) { reporter.addEventListener("change", updateNotice); }
  updateNotice();
})();
