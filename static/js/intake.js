/* Intake form helpers. The server states every rule as well; this only shows it earlier.
 * - the 112 banner appears as soon as "immediate danger" is ticked;
 * - the anonymity notice follows the reporter type and the consent box;
 * - the staff form shows one step at a time (without JavaScript all steps show at once). */
(function () {
  "use strict";
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

  var steps = Array.prototype.slice.call(form.querySelectorAll("fieldset.intake-step"));
  var nav = document.getElementById("step-nav");
  var next = document.getElementById("step-next");
  var back = document.getElementById("step-back");
  var submit = document.getElementById("to-review");
  if (!steps.length || !next || !back || !submit) { return; }
  var current = 0;
  var firstError = steps.findIndex(function (s) { return s.querySelector(".is-invalid"); });
  if (firstError >= 0) { current = firstError; }

  function show(index) {
    current = index;
    steps.forEach(function (step, i) { step.classList.toggle("d-none", i !== index); });
    back.classList.toggle("d-none", index === 0);
    next.classList.toggle("d-none", index === steps.length - 1);
    submit.classList.toggle("d-none", index !== steps.length - 1);
    if (nav) {
      nav.querySelectorAll("[data-step-link]").forEach(function (link, i) {
        link.classList.toggle("active", i === index);
        var hasError = steps[i].querySelector(".is-invalid");
        link.classList.toggle("text-danger", Boolean(hasError) && i !== index);
      });
    }
    window.scrollTo(0, 0);
  }
  if (nav) {
    nav.classList.remove("d-none");
    nav.querySelectorAll("[data-step-link]").forEach(function (link, i) {
      link.setAttribute("role", "button");
      link.addEventListener("click", function () { show(i); });
    });
  }
  next.addEventListener("click", function () { show(Math.min(current + 1, steps.length - 1)); });
  back.addEventListener("click", function () { show(Math.max(current - 1, 0)); });
  show(current);
})();
