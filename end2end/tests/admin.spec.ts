import { expect, test } from "@playwright/test";
import { hydrated, jsEnabled, signIn } from "./helpers";

test("the administrator invites a user; the link goes to the user, not to the screen", async ({ page }, info) => {
  test.skip(!jsEnabled(info), "administration uses server functions");
  await signIn(page, "admin@demo.test", info);
  await expect(page).toHaveURL(/\/home$/);
  await page.getByTestId("nav-users").click();
  await expect(page).toHaveURL(/\/admin\/users$/);
  await hydrated(page, info);
  await expect(page.getByTestId("users")).toContainText("Олег Морозов");
  const email = `${info.project.name}-${Date.now()}@client.test`;
  await page.getByTestId("new-user-organisation").selectOption({ label: "ООО «СтройМонтаж» — Клиент" });
  await page.getByTestId("new-user-role").selectOption("wholesale_buyer");
  await page.getByTestId("new-user-name").fill("Виктор Сидоров");
  await page.getByTestId("new-user-email").fill("broken@");
  await page.getByTestId("new-user-submit").click();
  await expect(page.getByTestId("new-user-email-error")).toHaveText("E-mail должен выглядеть как name@company.ru.");
  await page.getByTestId("new-user-email").fill(email);
  await page.getByTestId("new-user-submit").click();
  await expect(page.getByTestId("new-user-done")).toContainText(email);
  await expect(page.getByTestId("new-user-done")).not.toContainText("/password/");
  await expect(page.getByTestId("users")).toContainText(email);
});
