// Draw the page's Plotly figures from their embedded JSON, and open supply-chain nodes in place.
// Everything is local: plotly.js and the world boundaries are served from this server (versioned URLs).
// The chart toolbar holds one action that stays on this machine (save as PNG), kept out of the Tab order:
// each chart's CSV link below it does the same by keyboard. Nothing here can send data elsewhere.
"use strict";
(function () {
  var NARROW = 560; // px: below this, legends and colour bars go under the plot and titles shrink
  var CONFIG = {
    responsive: true, displaylogo: false, showSendToCloud: false, showLink: false, plotlyServerURL: "",
    modeBarButtons: [["toImage"]], showTips: false,
  };

  function narrowLayout(layout, width) {
    if (width >= NARROW) return layout;
    var copy = JSON.parse(JSON.stringify(layout));
    if (copy.title && copy.title.font) copy.title.font.size = 12;
    copy.margin = Object.assign({}, copy.margin, { l: Math.min((copy.margin || {}).l || 40, 40), r: 10 });
    copy.legend = Object.assign({}, copy.legend, { orientation: "h", y: -0.3, x: 0 });
    return copy;
  }

  function narrowData(data, width) {
    if (width >= NARROW) return data;
    return data.map(function (trace) {
      if (!trace.colorbar) return trace;
      var copy = Object.assign({}, trace);
      copy.colorbar = Object.assign({}, trace.colorbar, { orientation: "h", y: -0.15, thickness: 12, len: 0.9 });
      return copy;
    });
  }

  function outOfTabOrder(el) {
    el.querySelectorAll(".modebar a, .modebar button, .modebar [tabindex]").forEach(function (b) {
      b.setAttribute("tabindex", "-1");
    });
  }

  function addCsvLink(el) {
    var twin = document.body.dataset.twin;
    var part = el.dataset.part;
    var figure = el.closest("figure");
    if (!twin || !part || !figure || figure.querySelector(".downloads")) return;
    var p = document.createElement("p");
    p.className = "downloads";
    var link = document.createElement("a");
    link.href = twin + (twin.indexOf("?") >= 0 ? "&" : "?") + "csv=" + encodeURIComponent(part);
    link.setAttribute("download", "");
    link.textContent = "Download the chart's data (CSV)";
    p.appendChild(link);
    figure.appendChild(p);
  }

  function drawFigures() {
    document.querySelectorAll("[data-figure]").forEach(addCsvLink);
    if (typeof Plotly === "undefined") return;
    document.querySelectorAll("[data-figure]").forEach(function (el) {
      var spec = JSON.parse(document.getElementById(el.dataset.figure).textContent);
      var width = el.clientWidth || window.innerWidth;
      var config = Object.assign({}, CONFIG, { topojsonURL: document.body.dataset.topojson || "/static/topojson/" });
      Plotly.newPlot(el, narrowData(spec.data, width), narrowLayout(spec.layout, width), config).then(function () {
        outOfTabOrder(el);
        el.dataset.drawn = "true";
      });
    });
  }

  // the chosen node's inputs and outputs, marked in the columns (the panel lists them too)
  function markNeighbours(id) {
    var data = document.getElementById("chain-links");
    if (!data) return;
    var links = JSON.parse(data.textContent)[id] || { inputs: [], outputs: [] };
    document.querySelectorAll(".node.input, .node.output").forEach(function (n) { n.classList.remove("input", "output"); });
    [["inputs", "input"], ["outputs", "output"]].forEach(function (pair) {
      links[pair[0]].forEach(function (other) {
        var node = document.querySelector('.node[data-node="' + CSS.escape(other) + '"]');
        if (node) node.classList.add(pair[1]);
      });
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
      markNeighbours(link.dataset.node);
      var address = new URL(window.location.href);
      address.searchParams.set("node", link.dataset.node);
      window.history.replaceState(null, "", address.pathname + address.search);
    }).catch(function () { window.location.href = link.getAttribute("href"); });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.node") : null;
    if (link) { event.preventDefault(); openNode(link); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    drawFigures();
    var current = document.querySelector(".node[aria-current]");
    if (current) markNeighbours(current.dataset.node);
  });
})();
