// Measures what a phone downloads to open one page (default /catalog) of a running Kabinet, as the
// browser counts it (Resource Timing: bytes over the wire, headers included), first visit and
// second visit (HTTP cache only; the service worker is blocked). Used for the README's numbers.
//   node end2end/first-load.mjs http://127.0.0.1:3000 /catalog
import { chromium } from "playwright";
const base = process.argv[2] ?? "http://127.0.0.1:3300";
const path = process.argv[3] ?? "/catalog";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, deviceScaleFactor: 3, serviceWorkers: "block" });
const page = await ctx.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
const visit = async () => {
  await page.goto(base + path);
  await page.waitForSelector("body[data-hydrated=true]", { timeout: 20000 }).catch(() => errors.push("not hydrated"));
  await page.waitForTimeout(1000);
  return page.evaluate(() => performance.getEntriesByType("resource")
    .filter((e) => new URL(e.name).pathname.startsWith("/pkg/"))
    .map((e) => [new URL(e.name).pathname, e.transferSize, e.encodedBodySize, e.decodedBodySize]));
};
for (const label of ["first visit", "second visit"]) {
  const files = (await visit()).sort((a, b) => b[1] - a[1]);
  for (const f of files.slice(0, 12)) console.log(`  ${f[0]}\tover the wire ${f[1]}\tbody ${f[2]}\tunpacked ${f[3]}`);
  console.log(`${label}: ${files.length} built files, ${files.reduce((s, f) => s + f[1], 0)} bytes over the wire (${files.reduce((s, f) => s + f[3], 0)} unpacked)`);
}
console.log("errors", errors);
await browser.close();
