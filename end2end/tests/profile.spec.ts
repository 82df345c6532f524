import { expect, test } from "@playwright/test";
import { hydrated, jsEnabled, signIn } from "./helpers";

test("contacts are validated next to the field and saved", async ({ page }, info) => {
  test.skip(!jsEnabled(info), "profile editing uses server functions; without JavaScript only sign-in, registration and language are plain forms");
  await signIn(page, "dealer.staff@demo.test", info);
  await expect(page).toHaveURL(/\/home$/);
  await page.getByTestId("nav-profile").click();
  await expect(page).toHaveURL(/\/profile$/);
  await hydrated(page, info);
  await page.getByTestId("profile-email").fill("not-an-email");
  await page.getByTestId("profile-save").click();
  await expect(page.getByTestId("profile-email-error")).toHaveText("E-mail должен выглядеть как name@company.ru.");
  await page.getByTestId("profile-email").fill("dealer.staff@demo.test");
  await page.getByTestId("profile-name").fill("Марина Козлова-Белова");
  await page.getByTestId("profile-save").click();
  await expect(page.getByRole("status")).toHaveText("Сохранено");
  // The frame (rendered on the server) shows the new name at once.
  await expect(page.getByTestId("user-menu")).toContainText("Марина Козлова-Белова");
  await page.reload();
  await hydrated(page, info);
  await expect(page.getByTestId("profile-name")).toHaveValue("Марина Козлова-Белова");
  await expect(page.getByTestId("user-menu")).toContainText("Марина Козлова-Белова");
});

test("the password change asks for the current password", async ({ page }, info) => {
  test.skip(!jsEnabled(info), "uses server functions");
  await signIn(page, "dealer.service@demo.test", info);
  await expect(page).toHaveURL(/\/home$/);
  await page.goto("/profile");
  await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1);
  await page.getByTestId("password-current").fill("wrong-current");
  await page.getByTestId("password-new").fill("new-secret-42");
  await page.getByTestId("password-confirm").fill("new-secret-42");
  await page.getByTestId("password-submit").click();
  await expect(page.getByTestId("password-current-error")).toHaveText("Текущий пароль указан неверно.");
});
