// An esbuild plugin that edits plotly.js's sources while they are bundled:
// - offline: every off-machine action is cut out (the "Share chart" upload, the plotly.com link, CDN boundaries);
// - CSP: nothing sets a style="" attribute, which "style-src 'self'" refuses (clearing one removes it instead).
// Each edit names the exact source text it replaces and the build fails when that text is not found, so an
// upgrade of plotly.js cannot silently bring an action back; build.mjs then checks the bundle for the URLs.
import { readFileSync } from "node:fs";

const EDITS = {
  // the colour bar cleared its rectangles' style attribute by setting it to ""
  "src/components/colorbar/draw.js": [
    [/(\.selectAll\('rect\.' \+ cn\.cbfill\)\n *)\.attr\('style', ''\)/, "$1.attr('style', null)"],
    [/(\.classed\(cn\.cbfill, true\)\n *)\.attr\('style', ''\)/, "$1.attr('style', null)"],
  ],
  // the "Share chart..." button: it uploads the chart to Plotly Cloud
  "src/components/modebar/buttons.js": [
    [/var confirmCloudDialog = require\('\.\/share_chart\/dialog'\);\n/, ""],
    [/modeBarButtons\.sendChartToCloud = \{[\s\S]*?\n\};\n/, ""],
  ],
  "src/components/modebar/manage.js": [
    [/ *if\(context\.showSendToCloud\) commonGroup\.push\('sendChartToCloud'\);\n/, ""],
  ],
  "src/plots/plots.js": [
    [/plots\.sendDataToCloud = function\(gd, serverURL\) \{[\s\S]*?\n\};\n/, ""],
  ],
  "src/core.js": [
    [/,\n *sendDataToCloud: Plots\.sendDataToCloud/, ""],
  ],
  // the logo is a link to plotly.com: never drawn, and no link left in it
  "src/components/modebar/modebar.js": [
    [/ *a\.href = 'https:\/\/plotly\.com\/';\n *a\.target = '_blank';\n/, ""],
  ],
  "src/plot_api/plot_config.js": [
    [/(plotlyServerURL: \{\n *valType: 'string',\n *dflt: )'https:\/\/cloud\.plotly\.com\/newchart'/, "$1''"],
    [/(showSendToCloud: \{\n *valType: 'boolean',\n *dflt: )true/, "$1false"],
    [/(displaylogo: \{\n *valType: 'boolean',\n *dflt: )true/, "$1false"],
    // map boundaries come from the server that served the page, never from cdn.plot.ly
    [/(dflt: )'https:\/\/cdn\.plot\.ly\/un\/'/, "$1'/static/topojson/'"],
    [/'By default, the topojson files are fetched from cdn\.plot\.ly\.'/, "'By default, from /static/topojson/ of this server.'"],
    [/'Sets the URL for the `sendChartToCloud` modebar button\.'/, "'Not used: the button that sent charts away is removed.'"],
  ],
};

//: text that must not be left anywhere in the bundle
export const FORBIDDEN = ["cloud.plotly.com", "cdn.plot.ly", "Plotly Cloud", "sendChartToCloud", "https://plotly.com/'"];

export const patches = {
  name: "setu-patches",
  setup(build) {
    build.onLoad({ filter: /plotly\.js[\\/]src[\\/].*\.js$/ }, (args) => {
      const key = Object.keys(EDITS).find((k) => args.path.replaceAll("\\", "/").endsWith(`plotly.js/${k}`));
      if (!key) return undefined;
      let text = readFileSync(args.path, "utf8");
      for (const [pattern, replacement] of EDITS[key]) {
        if (!pattern.test(text)) throw new Error(`patches.mjs: ${key} no longer holds ${pattern}; review the edit`);
        text = text.replace(pattern, replacement);
      }
      return { contents: text, loader: "js" };
    });
  },
};
