// Catalog area: search and filters, the Excel export, what code a page downloads, live prices.
import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { hydrated, isPhone, jsEnabled, open, signIn } from "./helpers";

test("the catalog searches word forms and filters, with or without JavaScript", async ({ page }, info) => {
  await open(page, "/catalog", info);
  await page.getByTestId("search").fill("краны");
  await page.getByTestId("search-submit").click();
  await expect(page).toHaveURL(/q=%D0%BA%D1%80%D0%B0%D0%BD%D1%8B|q=краны/);
  await expect(page.getByTestId("product").first()).toContainText("Кран");
  const count = await page.getByTestId("result-count").textContent();
  await page.getByTestId("filters").locator("summary").click();
  await page.getByTestId("stock-facet").locator("input").check();
  await page.getByTestId("apply-filters").click();
  await expect(page).toHaveURL(/stock=1/);
  await expect(page.getByTestId("result-count")).not.toHaveText(count ?? "");
  await expect(page.getByTestId("out-of-stock")).toHaveCount(0);
  // The product page: price, stock per location, warranty.
  await page.getByTestId("product-name").first().click();
  await expect(page.getByTestId("product-title")).toContainText("Кран");
  await expect(page.getByTestId("stock-row").first()).toBeVisible();
  await expect(page.getByTestId("warranty")).toContainText("месяц");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(page.viewportSize()!.width);
});

test("a quantity that is not a number is refused in place, or without JavaScript at the top of the page", async ({ page }, info) => {
  test.skip(!isPhone(info), "the same form on every screen: on the phone, with and without JavaScript");
  await open(page, "/catalog?cat=valves&stock=1", info);
  await page.getByTestId("product-name").first().click();
  await expect(page.getByTestId("product-title")).toBeVisible();
  await hydrated(page, info);
  await page.getByTestId("quantity").first().fill("два");
  await page.getByTestId("add-to-cart").first().click();
  const message = "Количество должно быть числом.";
  if (jsEnabled(info)) {
    await expect(page.getByTestId("add-error").first()).toHaveText(message);
    await expect(page.getByTestId("add-to-cart").first()).toHaveText("В корзину");
    await page.getByTestId("quantity").first().fill("2");
    await page.getByTestId("add-to-cart").first().click();
    await expect(page.getByTestId("add-to-cart").first()).toHaveText("В корзине ✓");
    await expect(page.getByTestId("add-error").first()).toBeEmpty();
  } else {
    // The server sends the browser back to the product with the reason.
    await expect(page.getByTestId("add-refused")).toHaveText(message);
    await expect(page.getByTestId("product-title")).toBeVisible();
  }
});

test("the Excel export downloads a workbook of the filtered view", async ({ page }, info) => {
  await open(page, "/catalog?cat=valves&stock=1", info);
  const download = page.waitForEvent("download");
  await page.getByTestId("export").click();
  const file = await (await download).path();
  const bytes = readFileSync(file!);
  expect(bytes.subarray(0, 2).toString()).toBe("PK");
  expect(bytes.length).toBeGreaterThan(3000);
});

test("the catalog page downloads only its own code; the cart's arrives on the cart page", async ({ page }, info) => {
  test.skip(!jsEnabled(info), "no code is downloaded without JavaScript");
  const pieces: string[] = [];
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith("/pkg/") && path.endsWith(".wasm")) pieces.push(path);
  });
  await open(page, "/catalog?cat=radiators&stock=1", info);
  // The catalog's islands (prices, stock, add to cart) are the main piece; nothing else comes.
  expect(pieces.length).toBe(1);
  await page.getByTestId("product").first().getByTestId("add-to-cart").click();
  await expect(page.getByTestId("product").first().getByTestId("add-to-cart")).toHaveText("В корзине ✓");
  await page.getByTestId("nav-cart").first().click();
  await expect(page).toHaveURL(/\/cart$/);
  await hydrated(page, info);
  expect(pieces.some((p) => p.includes("cart_view"))).toBe(true);
  expect(pieces.filter((p) => /login_form|users|contacts|quick_order/.test(p))).toEqual([]);
});

test("a price changed by staff shows on an open product page without reloading", async ({ page, browser }, info) => {
  test.skip(!jsEnabled(info), "live updates need JavaScript");
  test.skip(!isPhone(info), "changes a shared demo product: once, on the phone");
  // A guest on the phone looks at a radiator…
  await open(page, "/catalog?cat=radiators&stock=1", info);
  await page.getByTestId("product-name").first().click();
  await expect(page.getByTestId("product-title")).toBeVisible();
  await hydrated(page, info);
  const path = new URL(page.url()).pathname;
  const price = page.getByTestId("price").first();
  await expect(price).not.toHaveText(/12\s345,67/);
  // …while a sales manager, elsewhere, changes its retail price.
  const office = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "ru-RU" });
  const staff = await office.newPage();
  await signIn(staff, "manager@demo.test", info);
  await expect(staff).toHaveURL(/\/home$/);
  await open(staff, path, info);
  await staff.getByTestId("staff-retail").fill("12345,67");
  await staff.getByTestId("staff-save").click();
  await expect(staff.getByTestId("staff-panel").getByRole("status")).not.toBeEmpty();
  // The guest's page follows without a reload: the new list price, and the guest's own price
  // computed from it (the online-order promotion applies to guests).
  await expect(page.getByTestId("list-price").first()).toHaveText(/12\s345,67\s₽/);
  await expect(price).toHaveText(/12\s098,76\s₽/);
  await office.close();
});
