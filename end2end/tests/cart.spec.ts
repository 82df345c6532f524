// Cart area: the cart and its credit panel, quick orders, a guest cart joining the account.
import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { hydrated, isPhone, jsEnabled, open, signIn } from "./helpers";

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
