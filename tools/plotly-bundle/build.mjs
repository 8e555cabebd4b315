// Build src/setu/web/static/plotly/plotly.min.js: plotly.js with only the traces in index.js, minified by
// esbuild, with the licence of every package bundled (LICENSE.txt) and its sha256 in SOURCE.md.
// Every off-machine action is cut out of the sources while bundling (patches.mjs): the "Share chart" button
// and its upload to Plotly Cloud, the logo's link to plotly.com, and the CDN default for map boundaries.
//   npm ci && npm run build        (from this folder; node_modules stays here, untracked)
import * as esbuild from "esbuild";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { FORBIDDEN, patches } from "./patches.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "..", "src", "setu", "web", "static", "plotly");
const plotly = JSON.parse(readFileSync(join(here, "node_modules", "plotly.js", "package.json"), "utf8"));
const traces = [...readFileSync(join(here, "index.js"), "utf8").matchAll(/plotly\.js\/lib\/(\w+)"\)/g)]
  .map((m) => m[1]).filter((t) => t !== "core");

const result = await esbuild.build({
  entryPoints: [join(here, "index.js")],
  outfile: join(out, "plotly.min.js"),
  bundle: true,
  minify: true,
  format: "iife",
  globalName: "Plotly",
  target: "es2016",
  // as plotly.js's own build (esbuild-config.js); CSS is only imported for map (MapLibre) subplots, not bundled
  define: { global: "window", "define.amd": "false" },
  loader: { ".css": "empty" },
  legalComments: "none",
  banner: { js: `/**\n* plotly.js v${plotly.version} (partial bundle: scatter, ${traces.join(", ")})\n` +
                `* Copyright 2012-2026, Plotly, Inc. All rights reserved. Licensed under the MIT license.\n` +
                `* Bundled packages and their licences: LICENSE.txt next to this file.\n*/` },
  plugins: [patches],
  metafile: true,
  write: false,
  logLevel: "warning",
});
const code = result.outputFiles.find((f) => f.path.endsWith(".js")).contents;
const left = FORBIDDEN.filter((text) => Buffer.from(code).includes(text));
if (left.length) throw new Error(`the bundle still holds ${left.join(", ")}: an off-machine action is back`);
writeFileSync(join(out, "plotly.min.js"), code);
// plotly.js's own styles as a file: the pages link it (with the id and class that tell plotly.js not to inject
// a <style> element, which a "style-src 'self'" Content-Security-Policy refuses)
copyFileSync(join(here, "node_modules", "plotly.js", "dist", "plotly.css"), join(out, "plotly.css"));
const css = readFileSync(join(out, "plotly.css"));

// every npm package with code in the bundle, with its licence text
const packages = new Map();
const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint);
for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
  if (!bytesInOutput) continue;
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g);
  if (!match) continue;
  const root = join(here, input.slice(0, input.lastIndexOf(match[match.length - 1]) + match[match.length - 1].length));
  const meta = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  if (packages.has(`${meta.name}@${meta.version}`)) continue;
  const file = readdirSync(root).find((f) => /^(licen[cs]e|copying)/i.test(f));
  packages.set(`${meta.name}@${meta.version}`, { name: meta.name, version: meta.version, license: meta.license,
                       text: file ? readFileSync(join(root, file), "utf8").trim() : `(${meta.license}; no licence file in the package)` });
}
const sorted = [...packages.values()].sort((a, b) => a.name.localeCompare(b.name));
writeFileSync(join(out, "LICENSE.txt"),
  `Licences of the packages bundled in plotly.min.js (plotly.js v${plotly.version}, partial bundle built by\n` +
  `tools/plotly-bundle). ${sorted.length} packages.\n\n` +
  sorted.map((p) => `=== ${p.name} ${p.version} (${p.license})\n\n${p.text}\n`).join("\n"));

const sha256 = createHash("sha256").update(code).digest("hex");
writeFileSync(join(out, "SOURCE.md"),
  `# plotly.js, partial bundle\n\n` +
  `- Built from the npm packages plotly.js ${plotly.version} (MIT, Plotly, Inc.) and its dependencies with\n` +
  `  esbuild, by \`tools/plotly-bundle\` (\`npm ci && npm run build\`; versions locked in its package-lock.json).\n` +
  `- Trace types: scatter (always in the core), ${traces.join(", ")}: what Setu's pages and reports draw.\n` +
  `- File: \`plotly.min.js\`, ${code.length} bytes, sha256 \`${sha256}\`.\n` +
  `- Off-machine actions removed from the sources (patches.mjs): the "Share chart" button and its upload\n` +
  `  to Plotly Cloud, the logo's link to plotly.com; map boundaries default to this server's /static/topojson/.\n` +
  `- Styles: \`plotly.css\`, plotly.js's dist/plotly.css unchanged, ${css.length} bytes, sha256\n` +
  `  \`${createHash("sha256").update(css).digest("hex")}\`; linked by the pages instead of injected.\n` +
  `- Licences: \`LICENSE.txt\` (plotly.js and every bundled package, ${sorted.length} in all).\n`);
console.log(`plotly.min.js ${code.length} bytes, sha256 ${sha256}; ${sorted.length} packages; traces scatter, ${traces.join(", ")}`);
