// Forms the DSFR way (issue 17, item 2): when a page comes back with errors, the focus goes to the error
// summary at its top (screen readers read it first); each link of the summary puts the focus in its field.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    var summary = document.getElementById("error-summary");
    if (!summary) { return; }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-error-field]");
      if (!link) { return; }
      var field = document.getElementById(link.getAttribute("data-error-field"));
      if (!field) { return; }
      event.preventDefault();
      field.scrollIntoView({ block: "center" });
      field.focus();
    });
  });
})();
