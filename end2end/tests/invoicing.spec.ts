// Invoicing area: the payment schedule of an order (seed 001) and the staff's payment follow-up.
import { expect, test } from "@playwright/test";
import { hydrated, isPhone, jsEnabled, open, signIn } from "./helpers";

/** A day in Moscow (the seller's books), `YYYY-MM-DD`, `days` from today. */
const moscowDay = (days: number) => new Date(Date.now() + 3 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

test("staff split a dealer's order into instalments and follow up the one due today", async ({ page, browser }, info) => {
  test.skip(!jsEnabled(info), "the schedule form and the task form are interactive");
  test.skip(!isPhone(info), "places an order with a shared demo account: once, on the phone");
  test.slow();
  // The dealer orders one cheap fitting on credit, for delivery: one invoice.
  await signIn(page, "dealer@demo.test", info);
  await expect(page).toHaveURL(/\/home$/);
  // The dealer's cart is shared with the quick-order test: this order starts from an empty one.
  // (A state-changing request must come from our own pages: it says so by its Origin.)
  const origin = { origin: new URL(page.url()).origin };
  const cart = await (await page.request.post("/api/get_cart", { headers: origin, form: {} })).json();
  for (const line of cart.lines) {
    const form = { product_id: String(line.product_id), quantity: "0" };
    expect((await page.request.post("/api/cart_set", { headers: origin, form })).status()).toBe(200);
  }
  // The dearest fitting in stock: the other flows take the cheapest ones, at the same time.
  await open(page, "/catalog?cat=fittings&stock=1&sort=price_desc", info);
  await page.getByTestId("product").first().getByTestId("add-to-cart").click();
  await expect(page.getByTestId("product").first().getByTestId("add-to-cart")).toHaveText("В корзине ✓");
  await open(page, "/cart", info);
  await page.getByTestId("delivery-address").fill("Екатеринбург, ул. Монтажников, 4");
  await page.getByTestId("place-order").click();
  await expect(page).toHaveURL(/\/orders\/\d+$/);
  const orderId = page.url().match(/\/orders\/(\d+)/)![1];
  await expect(page.getByTestId("invoice")).toHaveCount(1);

  const { viewport, isMobile, hasTouch, deviceScaleFactor, userAgent, locale, baseURL } = info.project.use;
  const staff = await browser.newContext({ viewport, isMobile, hasTouch, deviceScaleFactor, userAgent, locale, baseURL });
  try {
    const admin = await staff.newPage();
    await signIn(admin, "admin@demo.test", info);
    await expect(admin).toHaveURL(/\/home$/);
    await open(admin, `/staff/orders/${orderId}`, info);
    const form = admin.getByTestId("schedule-form");
    await expect(form.getByTestId("schedule-row")).toHaveCount(1);
    // Half today: the domain crate says at once that the percentages do not make 100 %.
    await form.getByTestId("schedule-due").first().fill(moscowDay(0));
    await form.getByTestId("schedule-share").first().fill("50 %");
    await form.getByTestId("schedule-send").click();
    await expect(form.getByTestId("schedule-error")).toHaveText("Проценты в сумме должны дать 100 %.");
    // The other half in thirty days: each row shows its amount, and they make the total.
    await form.getByTestId("schedule-add").click();
    await expect(form.getByTestId("schedule-row")).toHaveCount(2);
    await form.getByTestId("schedule-due").nth(1).fill(moscowDay(30));
    await form.getByTestId("schedule-share").nth(1).fill("50 %");
    await expect(form.getByTestId("schedule-amount").nth(1)).toContainText("₽");
    const total = (await admin.getByTestId("order-total").textContent())!;
    await expect(form.getByTestId("schedule-total")).toContainText(`${total} / ${total}`);
    await form.getByTestId("schedule-send").click();
    // Two invoices now, each with its own number and due day; the timeline tells the change.
    await expect(admin.getByTestId("invoice")).toHaveCount(2);
    await expect(admin.getByTestId("invoice").first()).toContainText("Платёж 1");
    await expect(admin.getByTestId("invoice-number").nth(1)).toHaveText(/-2$/);
    await expect(admin.getByTestId("timeline-event").last()).toContainText("График платежей");

    // The instalment due today is in the payment follow-up; closing it needs a note.
    await open(admin, "/staff/tasks", info);
    const task = admin.getByTestId("task").filter({ hasText: `№${orderId}` });
    await expect(task).toHaveCount(1);
    await expect(task.getByTestId("task-invoice")).toContainText("Платёж 1 из 2");
    await task.getByTestId("task-done").click();
    await expect(task.getByTestId("task-error")).toHaveText("Напишите, о чём договорились с клиентом.");
    await task.getByTestId("task-note-input").fill("Дилер оплатит сегодня до 17:00");
    await task.getByTestId("task-done").click();
    await expect(admin.getByTestId("task").filter({ hasText: `№${orderId}` })).toHaveCount(0);
    await open(admin, "/staff/tasks?closed=1", info);
    const closed = admin.getByTestId("task").filter({ hasText: `№${orderId}` });
    await expect(closed.getByTestId("task-outcome")).toContainText("выполнено");
    await expect(closed.getByTestId("task-note")).toHaveText("Дилер оплатит сегодня до 17:00");

    // The dealer sees both invoices and downloads the second one's PDF.
    await open(page, `/orders/${orderId}`, info);
    await expect(page.getByTestId("invoice")).toHaveCount(2);
    await expect(page.getByTestId("schedule-form")).toHaveCount(0);
    const pdf = await page.request.get((await page.getByTestId("invoice-pdf").nth(1).getAttribute("href"))!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
  } finally {
    await staff.close();
  }
});
