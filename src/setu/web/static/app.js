// Draw the page's Plotly figures from their embedded JSON, and open supply-chain nodes in place.
// Everything is local: plotly.js and the world boundaries are served from this server (versioned URLs).
"use strict";
(function () {
  function drawFigures() {
    if (typeof Plotly === "undefined") return;
    document.querySelectorAll("[data-figure]").forEach(function (el) {
      var spec = JSON.parse(document.getElementById(el.dataset.figure).textContent);
      Plotly.newPlot(el, spec.data, spec.layout, {
        responsive: true, displaylogo: false, topojsonURL: document.body.dataset.topojson || "/static/topojson/",
      }).then(function () { el.dataset.drawn = "true"; });
    });
  }
  function openNode(link) {
    var panel = document.getElementById("node-panel");
    var url = window.location.pathname.replace(/\/$/, "") + "/nodes/" + encodeURIComponent(link.dataset.node);
    fetch(url, { headers: { Accept: "text/html" } }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.text();
    }).then(function (html) {
      panel.innerHTML = html;
      var heading = panel.querySelector("h2");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
      document.querySelectorAll(".node[aria-current]").forEach(function (n) { n.removeAttribute("aria-current"); });
      link.setAttribute("aria-current", "true");
    }).catch(function () { window.location.href = link.getAttribute("href"); });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.node") : null;
    if (link) { event.preventDefault(); openNode(link); }
  });
  document.addEventListener("DOMContentLoaded", drawFigures);
})();
