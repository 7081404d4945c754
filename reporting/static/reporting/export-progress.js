/* Follows an export (letters ZIP, or a long list as XLSX/ODS): polls the JSON status endpoint and updates the progress bar until the
   download link can be shown. Loaded as a static file (the CSP forbids inline scripts). */
(function () {
  "use strict";
  var root = document.getElementById("export-progress");
  if (!root) { return; }
  var url = root.getAttribute("data-status-url");
  var unit = root.getAttribute("data-unit") || "courriers";
  var bar = document.getElementById("export-bar");
  var label = document.getElementById("export-label");
  var link = document.getElementById("export-download");
  var error = document.getElementById("export-error");

  function render(data) {
    bar.value = data.percent;
    bar.textContent = data.percent + " %";
    label.textContent = data.status_label + " — " + data.done + " / " + data.total + " " + unit + " (" + data.percent + " %)";
    if (data.download_url) {
      link.href = data.download_url;
      link.hidden = false;
      return true;
    }
    if (data.status === "failed") {
      error.hidden = false;
      return true;
    }
    return false;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) { if (!render(data)) { window.setTimeout(poll, 700); } })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  poll();
})();
