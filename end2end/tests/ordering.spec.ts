// Ordering area: checkout to a pickup point with online payment, orders sent for approval.
import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { hydrated, isPhone, jsEnabled, open, signIn } from "./helpers";

// Both use the one demo retail buyer's server-side cart: one after the other.
test.describe("the retail buyer's orders", () => {
  test.describe.configure({ mode: "serial" });

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

    // The buyer changes their mind: the paid order is cancelled and the money goes back in full.
    await open(page, `/orders/${orderId}`, info);
    const total = await page.getByTestId("order-total").textContent();
    await page.getByTestId("order-move-cancelled").click();
    await page.getByTestId("cancel-confirm").click();
    await expect(page.getByTestId("order-status")).toHaveText("Отменён");
    await expect(page.getByTestId("refund")).toContainText(total ?? "");
    // The sandbox reports the refund a moment later.
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("refund-status")).toHaveText("деньги вернулись", { timeout: 1000 });
    }).toPass({ timeout: 15000 });
  });

  test("a buyer cancels an unpaid order and its stock is back", async ({ page }, info) => {
    test.skip(!jsEnabled(info), "the cart and the order's actions are interactive");
    test.skip(!isPhone(info), "places an order with a shared demo account: once, on the phone");
    await signIn(page, "retail@demo.test", info);
    await expect(page).toHaveURL(/\/home$/);
    await open(page, "/catalog?q=насос&stock=1", info);
    await page.getByTestId("product").first().getByTestId("product-name").click();
    await expect(page.getByTestId("product-title")).toBeVisible();
    await hydrated(page, info);
    const productPage = page.url();
    const before = (await page.getByTestId("stock-table").textContent())!;
    // The first add-to-cart is the product's own (analogs follow below).
    await page.getByTestId("add-to-cart").first().click();
    await expect(page.getByTestId("add-to-cart").first()).toHaveText("В корзине ✓");
    await open(page, "/cart", info);
    await page.getByTestId("fulfilment-delivery").check();
    await page.getByTestId("delivery-address").fill("Москва, ул. Монтажная, 7, кв. 12");
    await page.getByTestId("payment-online").check();
    await page.getByTestId("place-order").click();
    // The buyer changes their mind on the payment page and does not pay.
    await expect(page).toHaveURL(/\/sandbox-pay\//);
    const orderId = (await page.locator("main p").first().innerText()).match(/(\d+)/)![1];
    await open(page, productPage, info);
    await expect(page.getByTestId("stock-table")).not.toHaveText(before);
    await open(page, `/orders/${orderId}`, info);
    await page.getByTestId("order-move-cancelled").click();
    await expect(page.getByTestId("cancel-dialog")).toBeVisible();
    await page.getByTestId("cancel-reason").fill("Нашёл у соседа");
    await page.getByTestId("cancel-confirm").click();
    await expect(page.getByTestId("order-status")).toHaveText("Отменён");
    await expect(page.getByTestId("timeline-event").last()).toContainText("Нашёл у соседа");
    await expect(page.getByTestId("order-moves")).toHaveCount(0);
    await open(page, productPage, info);
    await expect(page.getByTestId("stock-table")).toHaveText(before);
  });

  // Both place orders for the one demo wholesale client (its server-side cart and its credit):
  // one after the other, the small delivered order first, then the one over the limit.
});

test("a guest confirms the phone with an SMS code and becomes a buyer by ordering", async ({ page }, info) => {
  test.skip(!jsEnabled(info), "the cart and checkout are interactive (server functions)");
  test.skip(!isPhone(info), "creates an account: once, on the phone");
  // A valve in stock: some pickup point has it.
  await open(page, "/catalog?q=кран+шаровой&stock=1", info);
  const first = page.getByTestId("product").first();
  await first.getByTestId("add-to-cart").click();
  await expect(first.getByTestId("add-to-cart")).toHaveText("В корзине ✓");
  await open(page, "/cart", info);
  await page.getByTestId("guest_name").fill("Гость Тестов");
  const digits = String(Date.now()).slice(-7);
  await page.getByTestId("guest_phone").fill(`+7 916 ${digits}`);
  await page.getByTestId("fulfilment-pickup").check();
  await page.getByTestId("pickup-points").locator("label", { hasText: "всё в наличии" }).first().locator("input").check();
  await page.getByTestId("payment-on_pickup").check();
  await page.getByTestId("place-order").click();
  await expect(page.getByTestId("guest_code-error")).toHaveText("Введите код из SMS.");
  await page.getByTestId("guest-send-code").click();
  await expect(page.getByTestId("code-sent")).toContainText(`+7916${digits}`);
  await expect(page.getByTestId("guest-send-code")).toHaveText("Отправить код ещё раз");
  await page.getByTestId("guest_code").fill((await page.getByTestId("sandbox-code").textContent())!);
  await page.getByTestId("place-order").click();
  await expect(page).toHaveURL(/\/orders\/\d+\?welcome=1$/);
  await expect(page.getByTestId("welcome")).toBeVisible();
});

test.describe("the wholesale client's orders", () => {
  test.describe.configure({ mode: "serial" });

  test("a manager moves a client's order through assembly to shipment while the buyer watches the shipped share", async ({ page, browser }, info) => {
    test.skip(!jsEnabled(info), "the order's moves are interactive");
    test.skip(!isPhone(info), "places an order with a shared demo account: once, on the phone");
    // Two people, some forty steps: more than the default 30 s on a busy 2-core machine.
    test.slow();
    // The wholesale client orders three of one cheap product on credit, for delivery.
    await signIn(page, "wholesale@demo.test", info);
    await expect(page).toHaveURL(/\/home$/);
    await open(page, "/catalog?cat=fittings&stock=1&sort=price_asc", info);
    await page.getByTestId("product").first().getByTestId("add-to-cart").click();
    await expect(page.getByTestId("product").first().getByTestId("add-to-cart")).toHaveText("В корзине ✓");
    await open(page, "/cart", info);
    await hydrated(page, info);
    const before = await page.getByTestId("cart-total").textContent();
    await page.getByTestId("cart-quantity").fill("3");
    await page.getByTestId("cart-quantity").press("Tab");
    await expect(page.getByTestId("cart-total")).not.toHaveText(before ?? "");
    await page.getByTestId("delivery-address").fill("Москва, ул. Монтажная, 7, склад 2");
    await page.getByTestId("place-order").click();
    await expect(page).toHaveURL(/\/orders\/\d+$/);
    const orderUrl = page.url();
    const orderId = orderUrl.match(/\/orders\/(\d+)/)![1];
    await expect(page.getByTestId("order-status")).toHaveText("Новый");
    await expect(page.getByTestId("assembly-not-started")).toBeVisible();
    // The buyer keeps the order open (live from here on: no reload until the end).
    await hydrated(page, info);

    // The manager finds it in the queue by its number and works it.
    const { viewport, isMobile, hasTouch, deviceScaleFactor, userAgent, locale, baseURL } = info.project.use;
    const staff = await browser.newContext({ viewport, isMobile, hasTouch, deviceScaleFactor, userAgent, locale, baseURL });
    const manager = await staff.newPage();
    await signIn(manager, "manager@demo.test", info);
    await expect(manager).toHaveURL(/\/home$/);
    await manager.getByTestId("nav-staff-orders").click();
    await expect(manager).toHaveURL(/\/staff\/orders$/);
    await manager.getByTestId("queue-number").fill(orderId);
    await manager.getByTestId("queue-apply").click();
    await expect(manager.getByTestId("queue-row")).toHaveCount(1);
    await expect(manager.getByTestId("queue-chip-new")).toHaveText("Новый (1)");
    await manager.getByTestId("queue-row").click();
    await expect(manager).toHaveURL(new RegExp(`/staff/orders/${orderId}$`));
    const steps: [string, string][] = [
      ["in_work", "В работе"],
      ["confirmed", "Подтверждён"],
      ["awaiting_assembly", "Ожидает сборки"],
    ];
    for (const [code, name] of steps) {
      await hydrated(manager, info);
      await manager.getByTestId(`order-move-${code}`).click();
      await expect(manager.getByTestId("order-status")).toHaveText(name);
    }
    await expect(page.getByTestId("order-status")).toHaveText("Ожидает сборки");
    await expect(page.getByTestId("picked-share")).toHaveText("0 %");

    // Picking: more than ordered is refused next to the line before anything is sent; two are picked.
    await hydrated(manager, info);
    await manager.getByTestId("pick-0").fill("5");
    await manager.getByTestId("save-picks").click();
    await expect(manager.getByTestId("assembly-error-0")).toHaveText("Больше, чем заказано.");
    await manager.getByTestId("pick-0").fill("2");
    await manager.getByTestId("save-picks").click();
    await expect(manager.getByTestId("line-picked")).toContainText("2");
    await expect(page.getByTestId("picked-share")).toHaveText("66 %");

    // A partial shipment of one of the two picked: the buyer's open page follows.
    await hydrated(manager, info);
    await manager.getByTestId("ship-0").fill("1");
    await manager.getByTestId("shipment-note").fill("ТН-001");
    await manager.getByTestId("record-shipment").click();
    await expect(manager.getByTestId("shipment")).toHaveCount(1);
    await expect(manager.getByTestId("shipment").first()).toContainText("ТН-001");
    await expect(page.getByTestId("shipped-share")).toHaveText("33 %");

    // Everything picked: the order is assembled by itself; the rest leaves and it is shipped.
    await hydrated(manager, info);
    await manager.getByTestId("pick-all").click();
    await manager.getByTestId("save-picks").click();
    await expect(manager.getByTestId("order-status")).toHaveText("Собран");
    await hydrated(manager, info);
    await expect(manager.getByTestId("ship-0")).toHaveValue("2");
    await manager.getByTestId("record-shipment").click();
    await expect(manager.getByTestId("order-status")).toHaveText("Отгружен");
    await expect(manager.getByTestId("shipment")).toHaveCount(2);
    // An internal note, then a message the buyer sees.
    await hydrated(manager, info);
    await manager.getByTestId("comment-input").fill("Клиент просил звонить после 12:00");
    await manager.getByTestId("comment-send").click();
    await expect(manager.getByTestId("comment-internal")).toHaveCount(1);
    await hydrated(manager, info);
    await manager.getByTestId("comment-input").fill("Отгрузили двумя машинами, накладные в приложении");
    await manager.getByTestId("comment-for-buyer").check();
    await manager.getByTestId("comment-send").click();
    await expect(manager.getByTestId("comment")).toHaveCount(2);
    await staff.close();
    await expect(page.getByTestId("order-status")).toHaveText("Отгружен");
    await expect(page.getByTestId("shipped-share")).toHaveText("100 %");

    // Reloaded, the buyer's page has both shipments and every change in the history.
    await open(page, orderUrl, info);
    await expect(page.getByTestId("shipment")).toHaveCount(2);
    // Placed, three moves, picked, shipment, picked, assembled, shipment, shipped.
    await expect(page.getByTestId("timeline-event")).toHaveCount(10);
    // Who did what and where: the client placed it in their cabinet, the manager did the rest.
    await expect(page.getByTestId("timeline-by").first()).toContainText("Олег Морозов");
    await expect(page.getByTestId("timeline-via").first()).toHaveText("кабинет покупателя");
    await expect(page.getByTestId("timeline-by").last()).toContainText("Елена Смирнова (Менеджер по продажам)");
    await expect(page.getByTestId("timeline-via").last()).toHaveText("кабинет сотрудника");
    await expect(page.getByTestId("order-moves")).toHaveCount(0);
    // The manager's message is there; the internal note is not.
    await expect(page.getByTestId("comment")).toHaveCount(1);
    await expect(page.getByTestId("comment-body")).toHaveText("Отгрузили двумя машинами, накладные в приложении");
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
    await hydrated(page, info);
    // The line as the invoice will print it: the discounted unit price × 2 = the line sum (wasm).
    const kopecks = (text: string | null) => Number((text ?? "").replace(/[^\d]/g, ""));
    const price = kopecks(await page.getByTestId("cart-line-price").textContent());
    const sum = kopecks(await page.getByTestId("cart-line-sum").textContent());
    expect(sum).toBe(price * 2);
    await expect(page.getByTestId("cart-line").locator("s")).toBeVisible(); // the list price, struck out
    await expect(page.getByTestId("credit-message")).toContainText("согласование");
    await expect(page.getByTestId("credit-limit")).toHaveText("500 000,00 ₽");
    await expect(page.getByTestId("credit-available")).toBeVisible();
    await expect(page.getByTestId("credit-shortfall")).toBeVisible();
    await page.getByTestId("delivery-address").fill("Москва, ул. Монтажная, 7, склад 2");
    await page.getByTestId("place-order").click();
    await expect(page).toHaveURL(/\/orders\/\d+$/);
    await expect(page.getByTestId("order-status")).toHaveText("Ждёт согласования");
    await expect(page.getByTestId("awaiting-approval")).toBeVisible();
    // The order page prints the same position the cart showed.
    const position = page.getByTestId("order-position");
    await expect(position).toHaveCount(1);
    expect(Number(await position.getAttribute("data-price"))).toBe(price);
    expect(Number(await position.getAttribute("data-sum"))).toBe(sum);
    await expect(page.getByTestId("order-line-sum")).toHaveText(await page.getByTestId("order-total").textContent() ?? "");
    const pdf = await page.request.get((await page.getByTestId("invoice-pdf").getAttribute("href"))!);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
  });

  test("with the site channel waiting for payments, a head records the bank payment and the order goes to assembly", async ({ page, browser }, info) => {
    test.skip(!jsEnabled(info), "the switches, moves and payment form are interactive");
    test.skip(!isPhone(info), "places an order with a shared demo account: once, on the phone");
    test.slow();
    // The administrator and the head each in a browser of their own (a session is a cookie).
    const { viewport, isMobile, hasTouch, deviceScaleFactor, userAgent, locale, baseURL } = info.project.use;
    const context = () => browser.newContext({ viewport, isMobile, hasTouch, deviceScaleFactor, userAgent, locale, baseURL });
    const staff = [await context(), await context()];
    const admin = await staff[0].newPage();
    await signIn(admin, "admin@demo.test", info);
    await expect(admin).toHaveURL(/\/home$/);
    // The administrator makes the site's invoice orders wait for the money (and sets it back, whatever happens).
    await open(admin, "/admin/channels", info);
    await hydrated(admin, info);
    await expect(admin.getByTestId("prepay-site")).not.toBeChecked();
    await admin.getByTestId("prepay-site").check();
    await expect(admin.getByTestId("open-checks-site")).toContainText("Ждут оплаты");
    try {
      // The wholesale client orders one cheap product on credit.
      await signIn(page, "wholesale@demo.test", info);
      await expect(page).toHaveURL(/\/home$/);
      await open(page, "/catalog?cat=fittings&stock=1&sort=price_asc", info);
      await page.getByTestId("product").first().getByTestId("add-to-cart").click();
      await expect(page.getByTestId("product").first().getByTestId("add-to-cart")).toHaveText("В корзине ✓");
      await open(page, "/cart", info);
      await hydrated(page, info);
      await page.getByTestId("delivery-address").fill("Москва, ул. Монтажная, 7, склад 2");
      await page.getByTestId("place-order").click();
      await expect(page).toHaveURL(/\/orders\/\d+$/);
      const orderId = page.url().match(/\/orders\/(\d+)/)![1];
      await expect(page.getByTestId("waits-for-payment")).toBeVisible();

      // The head (the accountant here) sees it in the queue, due in three banking days, and confirms it.
      const head = await staff[1].newPage();
      await signIn(head, "head@demo.test", info);
      await expect(head).toHaveURL(/\/home$/);
      await open(head, "/staff/payments", info);
      const check = head.getByTestId("check").filter({ hasText: `№${orderId}` });
      await expect(check).toHaveCount(1);
      await expect(check.getByTestId("check-due")).toContainText("Срок");
      await check.getByTestId("check-order").click();
      await expect(head).toHaveURL(new RegExp(`/staff/orders/${orderId}$`));
      // (Over the limit after the order sent for approval above, it waits for the head's approval first.)
      const steps = [["in_work", "В работе"], ["confirmed", "Подтверждён"]];
      if ((await head.getByTestId("order-status").textContent()) === "Ждёт согласования") steps.unshift(["new", "Новый"]);
      for (const [code, name] of steps) {
        await hydrated(head, info);
        await head.getByTestId(`order-move-${code}`).click();
        await expect(head.getByTestId("order-status")).toHaveText(name);
      }
      // Not paid: no way to assembly yet.
      await expect(head.getByTestId("order-move-awaiting_assembly")).toHaveCount(0);
      await expect(head.getByTestId("waits-for-payment")).toContainText("Проверить поступление до");

      // The payment from the statement: checked as typed, then recorded; the rest of the invoice is the default.
      await hydrated(head, info);
      const left = await head.getByTestId("bank-amount").inputValue();
      await head.getByTestId("bank-amount").fill("0");
      await head.getByTestId("bank-send").click();
      await expect(head.getByTestId("bank-amount-error")).toHaveText("Сумма платежа должна быть больше нуля.");
      await expect(head.getByTestId("bank-document-error")).toHaveText("Укажите номер платёжного поручения.");
      await head.getByTestId("bank-amount").fill(left);
      await head.getByTestId("bank-document").fill("417");
      await head.getByTestId("bank-send").click();
      await expect(head.getByTestId("payment-status")).toHaveText("Оплачен");
      await expect(head.getByTestId("invoice-left")).toHaveText("0,00 ₽");
      await expect(head.getByTestId("bank-payment")).toContainText("417");
      const pdf = await head.request.get((await head.getByTestId("invoice-pdf").getAttribute("href"))!);
      expect(pdf.status()).toBe(200);
      await expect(head.getByTestId("timeline-event").last()).toContainText("Поступила оплата");
      await hydrated(head, info);
      await head.getByTestId("order-move-awaiting_assembly").click();
      await expect(head.getByTestId("order-status")).toHaveText("Ожидает сборки");
      // The check is closed; the buyer sees the order paid and in assembly.
      await open(head, "/staff/payments?closed=1", info);
      await expect(head.getByTestId("check").filter({ hasText: `№${orderId}` }).getByTestId("check-outcome")).toContainText("оплачено");
      await open(page, `/orders/${orderId}`, info);
      await expect(page.getByTestId("payment-status")).toHaveText("Оплачен");
      await expect(page.getByTestId("waits-for-payment")).toHaveCount(0);
      await expect(page.getByTestId("bank-payment-form")).toHaveCount(0);
    } finally {
      await open(admin, "/admin/channels", info);
      await hydrated(admin, info);
      await admin.getByTestId("prepay-site").uncheck();
      await expect(admin.getByTestId("open-checks-site")).toHaveText("Ждут оплаты: 0");
      for (const c of staff) await c.close();
    }
  });
});
test("the staff queue filters without JavaScript", async ({ page }, info) => {
  test.skip(jsEnabled(info), "the filter form is a plain GET form: checked where no script runs");
  await signIn(page, "admin@demo.test", info);
  await expect(page).toHaveURL(/\/home$/);
  await page.goto("/staff/orders?number=abc");
  await expect(page.getByTestId("queue-filters")).toContainText("Введите число цифрами.");
  await page.getByTestId("queue-number").fill("");
  await page.getByTestId("queue-channel").selectOption("dealer");
  await page.getByTestId("queue-apply").click();
  await expect(page).toHaveURL(/channel=dealer/);
  await expect(page.getByTestId("queue-chip-all")).toBeVisible();
  // Every order shown is a dealer's (or there is none yet in this run).
  const rows = page.getByTestId("queue-row");
  for (let i = 0; i < (await rows.count()); i++) await expect(rows.nth(i)).toContainText("Дилер");
  // The Excel export takes the same filter.
  const href = (await page.getByTestId("queue-export").getAttribute("href"))!;
  expect(href).toBe("/staff/orders.xlsx?channel=dealer");
  const workbook = await page.request.get(href);
  expect(workbook.status()).toBe(200);
  expect(workbook.headers()["content-type"]).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  // Orders of clients nobody is responsible for.
  await page.getByTestId("queue-manager").selectOption("none");
  await page.getByTestId("queue-apply").click();
  await expect(page).toHaveURL(/manager=none/);
  await expect(page.getByTestId("queue-manager")).toHaveValue("none");
  await page.getByTestId("queue-min").fill("100");
  await page.getByTestId("queue-max").fill("10");
  await page.getByTestId("queue-apply").click();
  await expect(page.getByTestId("queue-error")).toHaveText("Начало диапазона больше конца.");
});
