import { expect, test } from "@playwright/test";
import { jsEnabled, open } from "./helpers";

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
