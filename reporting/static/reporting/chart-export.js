/* Dashboard charts: download the inline SVG of a chart as an SVG file, or drawn on a canvas as a PNG.
   A static file (the Content-Security-Policy allows no inline script); the buttons stay hidden without
   JavaScript, the data tables and their CSV exports remain. */
(function () {
  "use strict";

  function serialise(svg) {
    var copy = svg.cloneNode(true);
    var box = svg.viewBox.baseVal;
    copy.setAttribute("width", box.width);
    copy.setAttribute("height", box.height);
    copy.removeAttribute("style");
    copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
    var background = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    background.setAttribute("width", "100%");
    background.setAttribute("height", "100%");
    background.setAttribute("fill", "#ffffff");
    var defs = copy.querySelector("defs");
    copy.insertBefore(background, defs ? defs.nextSibling : copy.firstChild);
    return {
      text: '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(copy),
      width: box.width,
      height: box.height,
    };
  }

  function save(blob, filename) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function exportChart(figure, format) {
    var svg = figure.querySelector("svg");
    var name = figure.getAttribute("data-chart-file") || "graphique";
    var data = serialise(svg);
    if (format === "svg") {
      save(new Blob([data.text], { type: "image/svg+xml;charset=utf-8" }), name + ".svg");
      return;
    }
    var scale = 2; // a sharp image for a slide or a report
    var image = new Image();
    image.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = data.width * scale;
      canvas.height = data.height * scale;
      var context = canvas.getContext("2d");
      context.scale(scale, scale);
      context.drawImage(image, 0, 0, data.width, data.height);
      canvas.toBlob(function (blob) { save(blob, name + ".png"); }, "image/png");
    };
    // A data: URL (allowed by the policy's img-src) keeps the canvas untainted.
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(data.text);
  }

  document.querySelectorAll("figure.reporting-chart").forEach(function (figure) {
    var buttons = figure.querySelector(".reporting-chart__export");
    if (!buttons || !figure.querySelector("svg")) { return; }
    buttons.hidden = false;
    buttons.addEventListener("click", function (event) {
      var button = event.target.closest("[data-chart-export]");
      if (button) { exportChart(figure, button.getAttribute("data-chart-export")); }
    });
  });
})();
