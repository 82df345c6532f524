// Measures what a phone downloads to open one page (default /catalog) of a running Kabinet:
// every /pkg/ file (JS, wasm pieces, CSS), raw and as brotli (quality 11, what the server's
// compression layer sends). Used for the first-load numbers in the README.
//   node end2end/first-load.mjs http://127.0.0.1:3000 /catalog
import { chromium } from "playwright";
import zlib from "node:zlib";
const base = process.argv[2] ?? "http://127.0.0.1:3300";
const path = process.argv[3] ?? "/catalog";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, deviceScaleFactor: 3 });
const page = await ctx.newPage();
const files = [];
page.on("response", async (r) => {
  const u = new URL(r.url());
  if (!u.pathname.startsWith("/pkg/")) return;
  try { const b = await r.body(); files.push([u.pathname, b.length, zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length, r.headers()["content-encoding"] ?? "-"]); } catch (e) { files.push([u.pathname, -1, -1, String(e)]); }
});
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
await page.goto(base + path);
await page.waitForSelector("body[data-hydrated=true]", { timeout: 20000 }).catch(() => errors.push("not hydrated"));
await page.waitForTimeout(1500);
files.sort((a, b) => b[2] - a[2]);
for (const f of files.slice(0, 12)) console.log(f.join("\t"));
console.log("total raw", files.reduce((s, f) => s + f[1], 0), "brotli", files.reduce((s, f) => s + f[2], 0), "files", files.length);
console.log("errors", errors);
await browser.close();
