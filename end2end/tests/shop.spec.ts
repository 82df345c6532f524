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

test("a retail buyer orders to a pickup point and pays in the sandbox", async ({ page }, info) => {
  test.skip(!jsEnabled(info), "the cart and checkout are interactive (server functions)");
  test.skip(!isPhone(info), "places an order with a shared demo account: once, on the phone");
  await signIn(page, "retail@demo.test", info);
  await expect(page).toHaveURL(/\/home$/);
  await page.getByTestId("nav-catalog").click();
  await expect(page).toHaveURL(/\/catalog$/);
  await hydrated(page, info);
  await page.getByTestId("search").fill("кран шаровой");
  await page.getByTestId("search-submit").click();
  await expect(page).toHaveURL(/q=/);
  await page.getByTestId("filters").locator("summary").click();
  await page.getByTestId("stock-facet").locator("input").check();
  await page.getByTestId("apply-filters").click();
  await expect(page).toHaveURL(/stock=1/);
  await hydrated(page, info);
  const first = page.getByTestId("product").first();
  await first.getByTestId("add-to-cart").click();
  await expect(first.getByTestId("add-to-cart")).toHaveText("В корзине ✓");
  await page.getByTestId("nav-cart").click();
  await expect(page).toHaveURL(/\/cart$/);
  await hydrated(page, info);
  await expect(page.getByTestId("cart-line")).toHaveCount(1);
  // Totals follow the quantity at once (computed in the browser by the domain crate).
  const before = await page.getByTestId("cart-total").textContent();
  await page.getByTestId("cart-quantity").fill("2");
  await page.getByTestId("cart-quantity").press("Tab");
  await expect(page.getByTestId("cart-total")).not.toHaveText(before ?? "");
  await expect(page.getByTestId("cart-notice")).toHaveCount(0);
  // A pickup point that has everything, paid online.
  await page.getByTestId("pickup-points").locator("label", { hasText: "всё в наличии" }).first().locator("input").check();
  await page.getByTestId("payment-online").check();
  await page.getByTestId("place-order").click();
  await expect(page).toHaveURL(/\/sandbox-pay\//);
  await expect(page.getByTestId("sandbox-banner")).toContainText("Тестовый платёжный провайдер");
  await page.getByTestId("sandbox-pay").click();
  await expect(page).toHaveURL(/\/orders\/\d+\?payment=paid/);
  await expect(page.getByTestId("payment-result")).toHaveText("Оплата прошла успешно.");
  await expect(page.getByTestId("payment-status")).toHaveText("Оплачен");
  await expect(page.getByTestId("timeline-event")).toHaveCount(2);
  const orderId = page.url().match(/\/orders\/(\d+)/)![1];
  await page.getByTestId("nav-orders").click();
  // Newest first (the other viewport's run may have ordered too).
  await expect(page.getByTestId("order-row").first()).toContainText(orderId);
  await expect(page.getByTestId("loyalty")).toBeVisible();
});

test("a wholesale buyer with overdue debt sees the block with the numbers", async ({ page }, info) => {
  test.skip(!jsEnabled(info), "the cart is interactive");
  await signIn(page, "wholesale.overdue@demo.test", info);
  await expect(page).toHaveURL(/\/home$/);
  await open(page, "/catalog?cat=boilers&stock=1", info);
  await page.getByTestId("product").first().getByTestId("add-to-cart").click();
  await expect(page.getByTestId("product").first().getByTestId("add-to-cart")).toHaveText("В корзине ✓");
  await open(page, "/cart", info);
  const credit = page.getByTestId("credit").first();
  await expect(credit.getByTestId("credit-message")).toContainText("просроченная задолженность");
  await expect(credit.getByTestId("credit-limit")).toHaveText("300 000,00 ₽");
  await expect(credit.getByTestId("credit-overdue")).toHaveText("120 000,00 ₽");
  await expect(credit.getByTestId("credit-days")).toHaveText("35");
  await page.getByTestId("delivery-address").fill("Москва, ул. Монтажная, 7, склад 2");
  await page.getByTestId("place-order").click();
  await expect(page.getByTestId("checkout").getByTestId("credit")).toBeVisible();
  await expect(page).toHaveURL(/\/cart$/);
});

test("a wholesale buyer over the limit sends the order for approval", async ({ page }, info) => {
  test.skip(!jsEnabled(info), "the cart is interactive");
  test.skip(!isPhone(info), "places an order with a shared demo account: once, on the phone");
  await signIn(page, "wholesale@demo.test", info);
  await expect(page).toHaveURL(/\/home$/);
  await open(page, "/catalog?cat=boilers&stock=1&sort=price_desc", info);
  await page.getByTestId("product").first().getByTestId("product-name").click();
  await expect(page.getByTestId("product-title")).toBeVisible();
  await hydrated(page, info);
  // The first add-to-cart is the product's own (analogs follow below).
  await page.getByTestId("quantity").fill("2");
  await page.getByTestId("add-to-cart").first().click();
  await expect(page.getByTestId("add-to-cart").first()).toHaveText("В корзине ✓");
  await open(page, "/cart", info);
  await expect(page.getByTestId("credit-message")).toContainText("согласование");
  await expect(page.getByTestId("credit-limit")).toHaveText("500 000,00 ₽");
  await expect(page.getByTestId("credit-available")).toBeVisible();
  await expect(page.getByTestId("credit-shortfall")).toBeVisible();
  await page.getByTestId("delivery-address").fill("Москва, ул. Монтажная, 7, склад 2");
  await page.getByTestId("place-order").click();
  await expect(page).toHaveURL(/\/orders\/\d+$/);
  await expect(page.getByTestId("order-status")).toHaveText("Ждёт согласования");
  await expect(page.getByTestId("awaiting-approval")).toBeVisible();
  const pdf = await page.request.get((await page.getByTestId("invoice-pdf").getAttribute("href"))!);
  expect(pdf.status()).toBe(200);
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
});

test("quick order takes pasted lines and lists what it could not read", async ({ page }, info) => {
  test.skip(!jsEnabled(info), "quick order answers in place");
  await signIn(page, "dealer@demo.test", info);
  await expect(page).toHaveURL(/\/home$/);
  // Phone and desktop share the dealer's cart: start from an empty one.
  await open(page, "/cart", info);
  const lines = page.getByTestId("cart-line");
  for (let n = await lines.count(); n > 0; n--) {
    await page.getByTestId("remove-line").first().click();
    await expect(lines).toHaveCount(n - 1);
  }
  await open(page, "/quick-order", info);
  await page.getByTestId("quick-lines").fill("PIP-000005 12,5\nNO-SUCH-1 3\nBLR-000001 1,5\nVLV-000007\t2");
  await page.getByTestId("quick-submit").click();
  await expect(page.getByTestId("quick-added")).toContainText("2");
  const rejected = page.getByTestId("rejected-line");
  await expect(rejected).toHaveCount(2);
  await expect(rejected.nth(0)).toContainText("Артикул не найден");
  await expect(rejected.nth(1)).toContainText("только целыми");
  await open(page, "/cart", info);
  await expect(page.getByTestId("cart-line")).toHaveCount(2);

  // A file from Excel goes the same way; a file that is not a spreadsheet is refused next to the field.
  await open(page, "/quick-order", info);
  await page.getByTestId("quick-file").setInputFiles({ name: "photo.jpg", mimeType: "image/jpeg", buffer: Buffer.from([0xff, 0xd8, 0xff, 0, 1, 2]) });
  await page.getByTestId("quick-upload-submit").click();
  await expect(page.getByTestId("quick-file-error")).toContainText("Не удалось прочитать файл");
  await page.getByTestId("quick-file").setInputFiles({ name: "заказ.csv", mimeType: "text/csv", buffer: Buffer.from("Артикул;Количество\r\nPIP-000015;3\r\nNO-SUCH-2;1\r\n") });
  await page.getByTestId("quick-upload-submit").click();
  await expect(page.getByTestId("quick-added")).toContainText("1");
  await expect(page.getByTestId("quick-file-error")).toBeEmpty();
  await expect(page.getByTestId("rejected-line")).toHaveCount(1);
  await open(page, "/cart", info);
  await expect(page.getByTestId("cart-line")).toHaveCount(3);
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

test("a guest's cart joins the account after signing in", async ({ page }, info) => {
  test.skip(!jsEnabled(info), "adding to the cart answers in place");
  test.skip(!isPhone(info), "one viewport is enough");
  await open(page, "/catalog?cat=radiators&stock=1", info);
  await page.getByTestId("product").first().getByTestId("add-to-cart").click();
  await expect(page.getByTestId("product").first().getByTestId("add-to-cart")).toHaveText("В корзине ✓");
  await signIn(page, "dealer.staff@demo.test", info);
  await expect(page).toHaveURL(/\/home$/);
  await open(page, "/cart", info);
  await expect(page.getByTestId("cart-line")).toHaveCount(1);
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
