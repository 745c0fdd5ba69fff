// Builds the trimmed front-end assets that are committed under static/ (and the axe-core copy
// the browser tests use). Run by hand after changing the classes templates use:
//   cd frontend && npm ci && npm run build
// Running the system never needs it: its output is in the repository.
import { PurgeCSS } from "purgecss";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";

const root = new URL("..", import.meta.url).pathname;

// 1. Bootstrap's CSS trimmed to the classes the non-admin surfaces use (static/css/bootstrap.min.css).
// The templates, the crispy-forms and Django form templates, and the Python that names classes.
const site = execFileSync(root + ".venv/bin/python", ["-c",
  "import crispy_bootstrap5, django, os; print(os.path.dirname(crispy_bootstrap5.__file__)); print(os.path.dirname(django.__file__))"],
).toString().trim().split("\n");
const [purged] = await new PurgeCSS().purge({
  content: [
    root + "templates/**/*.html",
    root + "{congress,surveys,evaluations,suggestions,media_publish,oversight}/**/*.py",
    root + "static/js/*.js",
    site[0] + "/templates/**/*.html",
    site[1] + "/forms/templates/**/*.html",
  ],
  css: [root + "static/vendor/bootstrap/bootstrap.min.css"],
  variables: true,
  keyframes: true,
  fontFace: true,
  safelist: {
    // Built in templates from data: message levels (alert-{{ tags }}), rating badges.
    standard: [/^alert-/, /^text-bg-/, "show", "collapsing", "was-validated", "is-invalid", "is-valid"],
    variables: [/^--bs-(body|emphasis|secondary|tertiary|border|link|focus|highlight|form|heading|code|font|gradient|box-shadow|btn|gutter)/],
  },
});
const banner = "/*! Bootstrap v5.3.9 (MIT), trimmed by frontend/build.mjs to the classes the surfaces use */\n";
writeFileSync(root + "static/css/bootstrap.min.css", banner + purged.css.replace(/\/\*# sourceMappingURL=.*?\*\//, ""));

// 2. axe-core for the browser tests only (tests/e2e/vendor/axe.min.js).
copyFileSync("node_modules/axe-core/axe.min.js", root + "tests/e2e/vendor/axe.min.js");
const size = (p) => readFileSync(root + p).length;
for (const p of ["static/css/bootstrap.min.css", "tests/e2e/vendor/axe.min.js"]) {
  console.log(p, size(p), "bytes");
}
