// The trace types Setu's pages and reports draw; the rest of plotly.js is left out of the bundle.
// scatter comes with the core. Add a trace here (one require) and run `npm run build` to rebuild.
"use strict";
var Plotly = require("plotly.js/lib/core");

Plotly.register([
  require("plotly.js/lib/bar"),
  require("plotly.js/lib/choropleth"),
  require("plotly.js/lib/scattergeo"),
  require("plotly.js/lib/treemap"),
]);

module.exports = Plotly;
