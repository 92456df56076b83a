// Focus the error summary of a refused form (templates/includes/error_summary.html), as
// the GOV.UK Design System does: the page opens on what went wrong, and its links lead to
// the fields. Without JavaScript the summary is still first and role="alert" announces it.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  });
})();
