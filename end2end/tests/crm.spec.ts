// CRM area: a head gives a client its responsible manager from the client's order.
import { expect, test } from "@playwright/test";
import { isPhone, jsEnabled, open, signIn } from "./helpers";

test("a head takes the client from its manager and gives it back", async ({ page, browser }, info) => {
  test.skip(!jsEnabled(info), "the picker is interactive");
  test.skip(!isPhone(info), "places an order with a shared demo account: once, on the phone");
  test.slow();
  await signIn(page, "wholesale@demo.test", info);
  await expect(page).toHaveURL(/\/home$/);
  // Not the cheapest fittings, which the other flows take at the same time.
  await open(page, "/catalog?cat=fittings&stock=1&sort=price_desc", info);
  await page.getByTestId("product").nth(1).getByTestId("add-to-cart").click();
  await expect(page.getByTestId("product").nth(1).getByTestId("add-to-cart")).toHaveText("В корзине ✓");
  await open(page, "/cart", info);
  await page.getByTestId("delivery-address").fill("Москва, ул. Монтажная, 7, склад 2");
  await page.getByTestId("place-order").click();
  await expect(page).toHaveURL(/\/orders\/\d+$/);
  const orderId = page.url().match(/\/orders\/(\d+)/)![1];

  const { viewport, isMobile, hasTouch, deviceScaleFactor, userAgent, locale, baseURL } = info.project.use;
  const staff = await browser.newContext({ viewport, isMobile, hasTouch, deviceScaleFactor, userAgent, locale, baseURL });
  try {
    const head = await staff.newPage();
    await signIn(head, "head@demo.test", info);
    await expect(head).toHaveURL(/\/home$/);
    await open(head, `/staff/orders/${orderId}`, info);
    const picker = head.getByTestId("client-manager");
    await expect(picker).toContainText("ООО «СтройМонтаж»");
    const select = picker.getByTestId("client-manager-select");
    const manager = await select.inputValue();
    expect(manager).not.toBe("0");
    // Nothing chosen yet: nothing to save.
    await expect(picker.getByTestId("client-manager-send")).toBeDisabled();
    await select.selectOption("0");
    await picker.getByTestId("client-manager-send").click();
    await expect(picker.getByTestId("client-manager-saved")).toBeVisible();
    await open(head, `/staff/orders/${orderId}`, info);
    await expect(head.getByTestId("client-manager-select")).toHaveValue("0");
    // Back to the manager, who is told.
    await head.getByTestId("client-manager-select").selectOption(manager);
    await head.getByTestId("client-manager-send").click();
    await expect(head.getByTestId("client-manager-saved")).toBeVisible();
    await open(head, `/staff/orders/${orderId}`, info);
    await expect(head.getByTestId("client-manager-select")).toHaveValue(manager);
  } finally {
    await staff.close();
  }
});
