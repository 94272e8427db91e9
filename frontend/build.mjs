// Builds the public portal's Gov Design System bundle from the installed npm packages
// (node_modules, by `npm ci`) into dist/gov/, which Django finds through STATICFILES_DIRS:
//   dist/gov/gov.css         Roboto @font-face rules, the design tokens, base styles, layout
//                            and the components below (plain-HTML variant: data-* attributes)
//   dist/gov/roboto-*.woff2  the font files those rules name
// The packages ship compiled CSS (no SCSS), so nothing is compiled: files are selected and
// concatenated. Run by scripts/assets; uses Node's standard library only.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const styles = join(here, "node_modules/@gov-design-system-ce/styles/lib/html");
const fonts = join(here, "node_modules/@gov-design-system-ce/fonts/lib");
const out = join(here, "dist/gov");

// Components the portal's pages use (add one here when a page needs it).
const COMPONENTS = [
  "container", "layout", "layout-column", "grid", "grid-item", "flex", "spacer",
  "breadcrumbs", "link", "button", "tag", "card", "tile", "message", "infobar",
  "empty", "error-code", "accordion", "accordion-item", "attachments", "attachments-item",
  "pagination", "icon",
  "form-control", "form-group", "form-label", "form-message", "form-input", "form-select",
  "form-checkbox", "form-radio", "form-search",
];
// Roboto: the weights the styles use (regular, medium, bold) and regular italic.
const FONT_FACES = ["regular", "italic", "medium", "bold"];

const read = (path) => readFileSync(path, "utf8").replace(/^\uFEFF/, "");

// Keep only the @font-face rules of the shipped weights.
const fontCss = read(join(fonts, "roboto.css"))
  .split(/(?=\/\* latin)/)
  .filter((rule) => {
    const file = /url\('roboto-([a-z-]+?)(?:-ext)?\.woff2'\)/.exec(rule);
    return file && FONT_FACES.includes(file[1]);
  });
const fontFiles = fontCss.flatMap((rule) =>
  [...rule.matchAll(/url\('(roboto-[a-z-]+\.woff2)'\)/g)].map((m) => m[1]),
);

const parts = [
  "/* Gov Design System CE (@gov-design-system-ce/styles, /fonts; EUPL 1.2), built by frontend/build.mjs. */",
  ...fontCss,
  read(join(styles, "tokens.css")),
  read(join(styles, "styles.css")),
  read(join(styles, "layout.css")),
  ...COMPONENTS.map((name) => read(join(styles, `components/gov-${name}.css`))),
];

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "gov.css"), parts.join("\n"));
for (const file of fontFiles) copyFileSync(join(fonts, file), join(out, file));
console.log(`dist/gov: gov.css and ${fontFiles.length} font files`);
