import { expect, test } from "@playwright/test";
import { hydrated, isPhone, jsEnabled, open } from "./helpers";

test("Kabinet is installable: manifest, icons and a service worker", async ({ page, request }, info) => {
  const response = await request.get("/manifest.webmanifest");
  expect(response.ok()).toBeTruthy();
  expect(response.headers()["content-type"]).toContain("application/manifest+json");
  const manifest = await response.json();
  expect(manifest.display).toBe("standalone");
  expect(manifest.start_url).toBe("/home");
  expect(manifest.theme_color).toMatch(/^#/);
  const sizes = manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes} ${i.purpose}`);
  expect(sizes).toEqual(expect.arrayContaining(["192x192 any", "512x512 any", "512x512 maskable"]));
  for (const icon of manifest.icons) {
    const r = await request.get(icon.src);
    expect(r.ok(), icon.src).toBeTruthy();
    expect(r.headers()["content-type"]).toContain("image/png");
  }

  await open(page, "/login", info);
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
  test.skip(!jsEnabled(info), "service workers need JavaScript");
  const registration = await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    const cacheNames = await caches.keys();
    return { scope: reg.scope, active: !!reg.active, cacheNames };
  });
  expect(registration.active).toBe(true);
  expect(new URL(registration.scope).pathname).toBe("/");
  expect(registration.cacheNames.some((n: string) => n.startsWith("kabinet-"))).toBe(true);
});

test("pages hydrate under the Content-Security-Policy, with nothing refused", async ({ page }, info) => {
  test.skip(!jsEnabled(info), "the policy governs scripts");
  test.skip(!isPhone(info), "one viewport is enough: the policy is the same");
  const refused: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
  });
  page.on("pageerror", (e) => refused.push(e.message));
  for (const path of ["/login", "/catalog", "/cart"]) {
    const response = await page.goto(path);
    const policy = response!.headers()["content-security-policy"];
    expect(policy).toContain("frame-ancestors 'none'");
    // Only the inline scripts carrying this answer's nonce, never 'unsafe-inline'.
    expect(policy).toMatch(/script-src 'self' 'nonce-[0-9a-f]{32}' 'wasm-unsafe-eval'/);
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    await hydrated(page, info);
  }
  // The catalog's islands work (they are wasm run under the policy).
  await page.goto("/catalog?stock=1");
  await hydrated(page, info);
  await page.getByTestId("product").first().getByTestId("add-to-cart").click();
  await expect(page.getByTestId("product").first().getByTestId("add-to-cart")).toHaveText("В корзине ✓");
  expect(refused).toEqual([]);
});

test("built files come precompressed and are kept: a second visit downloads no JS, wasm or CSS", async ({ browser }, info) => {
  test.skip(!jsEnabled(info) || !isPhone(info), "the browser's cache on the phone; the same files serve every project");
  // The service worker would answer the second visit from its own cache; this checks the HTTP
  // cache the files' names and headers earn (and the worker is not there on a first visit).
  const { viewport, isMobile, hasTouch, deviceScaleFactor, userAgent, locale, baseURL } = info.project.use;
  const context = await browser.newContext({ viewport, isMobile, hasTouch, deviceScaleFactor, userAgent, locale, baseURL, serviceWorkers: "block" });
  const page = await context.newPage();
  const built = () =>
    page.evaluate(() =>
      (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
        .filter((e) => new URL(e.name).pathname.startsWith("/pkg/"))
        .map((e) => ({ path: new URL(e.name).pathname, transfer: e.transferSize, body: e.decodedBodySize })),
    );
  const encodings: Record<string, string> = {};
  page.on("response", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith("/pkg/")) encodings[path] = `${r.headers()["content-encoding"] ?? "-"} ${r.headers()["cache-control"]}`;
  });
  await page.goto("/catalog");
  await hydrated(page, info);
  const first = await built();
  expect(first.some((f) => f.path.endsWith(".wasm"))).toBe(true);
  for (const f of first) {
    // Every built file has its content's hash in its name, arrives as brotli, and is kept a year.
    expect(f.path).toMatch(/\.[A-Za-z0-9_-]{22}\.(js|wasm|css)$/);
    expect(encodings[f.path], f.path).toBe("br public, max-age=31536000, immutable");
    expect(f.transfer, f.path).toBeGreaterThan(0);
  }
  const total = first.reduce((sum, f) => sum + f.transfer, 0);
  console.log(`first load of /catalog: ${first.length} built files, ${total} bytes over the wire (${first.map((f) => `${f.path.split("/").pop()} ${f.transfer}`).join(", ")})`);
  // A second visit: the same files, none fetched again.
  await page.goto("/catalog");
  await hydrated(page, info);
  const second = await built();
  expect(second.map((f) => f.path).sort()).toEqual(first.map((f) => f.path).sort());
  for (const f of second) expect(f.transfer, f.path).toBe(0);
  await context.close();
});
