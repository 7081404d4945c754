// Small behaviours of the site frame (issue 17, items 1–2).
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  // A data table wider than the screen (a phone) scrolls sideways: it must take the keyboard focus so
  // that it can be scrolled without a mouse (RGAA 7.3, WCAG 2.1.1).
  function focusableScrollingTables() {
    document.querySelectorAll(".fr-table table, .fr-table__content").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1 && !table.hasAttribute("tabindex")) {
        table.setAttribute("tabindex", "0");
      }
    });
  }

  // Forms the DSFR way: when a page comes back with errors, the focus goes to the error summary at its
  // top (screen readers read it first); each link of the summary puts the focus in its field.
  function errorSummary() {
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
  }

  ready(function () {
    focusableScrollingTables();
    window.addEventListener("resize", focusableScrollingTables);
    errorSummary();
  });
})();
