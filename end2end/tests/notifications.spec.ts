// Notifications area: the bell counts live, the notifications page, the administrator's template
// editor with its preview, and the administrator's overview without JavaScript.
import { expect, Page, test } from "@playwright/test";
import { DEMO_PASSWORD, hydrated, isPhone, jsEnabled, open, signIn } from "./helpers";

/** A new retail buyer signed in on this page's context (through the server functions, as the
 *  registration island calls them; the sandbox SMS gateway answers the code). */
async function newRetailBuyer(page: Page, baseURL: string) {
  const digits = String(Date.now()).slice(-7);
  const phone = `+7958${digits}`;
  // An address of its own: codes are limited per address, and the other tests ask for theirs.
  const headers = { origin: baseURL, "x-forwarded-for": `10.58.${Number(digits.slice(-4)) % 250}.${Number(digits.slice(-2)) + 1}` };
  const sent = await page.request.post("/api/send_phone_code", { form: { phone }, headers });
  expect(sent.ok()).toBeTruthy();
  const code = (await sent.json()).sandbox_code as string;
  const form = { name: "Вера Колокольчикова", phone, code, password: "звонок-2026-дома" };
  const registered = await page.request.post("/api/register", { form, headers });
  expect(registered.ok()).toBeTruthy();
}

test("the bell counts new notifications without a reload", async ({ page, browser }, info) => {
  test.skip(!jsEnabled(info), "the bell follows the server live");
  test.skip(!isPhone(info), "a browser flow: on the phone");
  const baseURL = String(info.project.use.baseURL);
  await newRetailBuyer(page, baseURL);
  await open(page, "/home", info);
  await expect(page.getByTestId("bell")).toBeVisible();
  await expect(page.getByTestId("bell-count")).toBeHidden();

  // In another tab the buyer orders; this tab's bell counts it.
  const tab = await page.context().newPage();
  await open(tab, "/catalog?cat=fittings&stock=1&sort=price_asc", info);
  await tab.getByTestId("product").first().getByTestId("add-to-cart").click();
  await expect(tab.getByTestId("product").first().getByTestId("add-to-cart")).toHaveText("В корзине ✓");
  await open(tab, "/cart", info);
  await tab.getByTestId("fulfilment-delivery").check();
  await tab.getByTestId("delivery-address").fill("Тверь, ул. Радиаторная, 3, кв. 5");
  await tab.getByTestId("payment-online").check();
  await tab.getByTestId("place-order").click();
  await expect(tab).toHaveURL(/\/sandbox-pay\//);
  const orderId = (await tab.locator("main p").first().innerText()).match(/(\d+)/)![1];
  await tab.close();
  await expect(page.getByTestId("bell-count")).toHaveText("1");

  // The notifications page: the order is there; marking all read empties the bell.
  await page.getByTestId("bell").click();
  await expect(page).toHaveURL(/\/notifications$/);
  await hydrated(page, info);
  await expect(page.getByTestId("notification").first()).toContainText(`Заказ №${orderId} принят`);
  await expect(page.getByTestId("notification").first()).toHaveAttribute("data-read", "false");
  await page.getByTestId("mark-all-read").click();
  await expect(page.getByTestId("notification").first()).toHaveAttribute("data-read", "true");
  await expect(page.getByTestId("bell-count")).toBeHidden();

  // Staff cancel the order; the buyer's open page hears of it.
  const { viewport, isMobile, hasTouch, deviceScaleFactor, userAgent, locale } = info.project.use;
  const staff = await browser.newContext({ viewport, isMobile, hasTouch, deviceScaleFactor, userAgent, locale, baseURL });
  const admin = await staff.newPage();
  await signIn(admin, "admin@demo.test", info);
  await expect(admin).toHaveURL(/\/home$/);
  await open(admin, `/staff/orders/${orderId}`, info);
  await admin.getByTestId("order-move-cancelled").click();
  await admin.getByTestId("cancel-reason").fill("Нет машины на этот адрес");
  await admin.getByTestId("cancel-confirm").click();
  await expect(admin.getByTestId("order-status")).toHaveText("Отменён");
  await staff.close();
  await expect(page.getByTestId("bell-count")).toHaveText("1");
  await page.reload();
  await expect(page.getByTestId("notification").first()).toContainText(`Заказ №${orderId}: Отменён`);
});

test("the administrator edits a template and sees the preview", async ({ page }, info) => {
  test.skip(!jsEnabled(info), "the preview is filled as the text is typed");
  test.skip(!isPhone(info), "a browser flow: on the phone");
  await signIn(page, "admin@demo.test", info);
  await expect(page).toHaveURL(/\/home$/);
  await open(page, "/admin/notifications", info);
  await page.getByTestId("template-order_status-en").click();
  await expect(page).toHaveURL(/\/admin\/notifications\/order_status\?lang=en$/);
  await hydrated(page, info);
  await expect(page.getByTestId("preview-subject")).toHaveText("Order 1024: Отгружен");
  await page.getByTestId("template-subject").fill("Your order {{order}} is {{status}} now");
  await expect(page.getByTestId("preview-subject")).toHaveText("Your order 1024 is Отгружен now");
  // A placeholder this notice does not know is refused before saving.
  await page.getByTestId("template-body").fill("Paid {{amount}}");
  await expect(page.getByTestId("template-body-error")).toHaveText("Неизвестная подстановка: используйте только перечисленные ниже.");
  await expect(page.getByTestId("template-save")).toBeDisabled();
  await page.getByTestId("template-body").fill("Dear {{name}}, see {{link}}");
  await expect(page.getByTestId("preview-body")).toHaveText("Dear Иван Петров, see https://kabinet.example.ru/orders/1024");
  await page.getByTestId("template-save").click();
  await expect(page.getByTestId("template-saved")).toHaveText("Сохранено");
  await open(page, "/admin/notifications/order_status?lang=en", info);
  await expect(page.getByTestId("template-subject")).toHaveValue("Your order {{order}} is {{status}} now");
  await page.getByTestId("template-reset").click();
  await expect(page.getByTestId("template-subject")).toHaveValue("Order {{order}}: {{status}}");
  await expect(page.getByTestId("template-reset")).toBeHidden();
});

test("the administrator's notifications and delivery queue read without JavaScript", async ({ page }, info) => {
  test.skip(jsEnabled(info) || isPhone(info), "server-rendered pages: once, on the desktop without JavaScript");
  await page.goto("/login");
  await page.getByTestId("login-identifier").fill("admin@demo.test");
  await page.getByTestId("login-password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  await expect(page).toHaveURL(/\/home$/);
  await page.getByTestId("nav-notifications").click();
  await expect(page).toHaveURL(/\/admin\/notifications$/);
  // The demo has no mail server: e-mails wait in the queue, and the page says so.
  await expect(page.getByTestId("no-smtp")).toBeVisible();
  await expect(page.getByTestId("notice-password_reset")).toContainText("безопасность: отключить нельзя");
  await page.getByTestId("outbox-link").click();
  await expect(page).toHaveURL(/\/admin\/outbox$/);
  await expect(page.getByTestId("outbox-queued")).toHaveAttribute("aria-current", "page");
  await page.getByTestId("outbox-sent").click();
  await expect(page).toHaveURL(/view=sent/);
  await expect(page.getByTestId("outbox-sent")).toHaveAttribute("aria-current", "page");
});
