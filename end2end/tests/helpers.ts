import { expect, Page, TestInfo } from "@playwright/test";

export const DEMO_PASSWORD = "demo-password";

export const DEMO_USERS: [login: string, role: string][] = [
  ["retail@demo.test", "Розничный покупатель"],
  ["wholesale@demo.test", "Оптовый покупатель"],
  ["dealer@demo.test", "Менеджер дилера"],
  ["dealer.service@demo.test", "Сервисный инженер дилера"],
  ["dealer.staff@demo.test", "Сотрудник дилера"],
  ["supplier@demo.test", "Поставщик"],
  ["manager@demo.test", "Менеджер по продажам"],
  ["head@demo.test", "Руководитель региона"],
  ["cashier@demo.test", "Кассир"],
  ["service@demo.test", "Сервисный инженер"],
  ["admin@demo.test", "Администратор"],
];

export const jsEnabled = (info: TestInfo) => !info.project.name.endsWith("-nojs");
export const isPhone = (info: TestInfo) => info.project.name.startsWith("phone");

/**
 * When JavaScript runs, waits until the page's interactive parts (islands) have hydrated: every
 * navigation loads a page in full, and clicks or input before hydration go to plain HTML.
 */
export async function hydrated(page: Page, info: TestInfo) {
  if (jsEnabled(info)) {
    await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1);
  }
}

/** Opens a page and waits until it has hydrated. */
export async function open(page: Page, path: string, info: TestInfo) {
  await page.goto(path);
  await hydrated(page, info);
}

export async function signIn(page: Page, login: string, info: TestInfo, password = DEMO_PASSWORD) {
  await open(page, "/login", info);
  await page.getByTestId("login-identifier").fill(login);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
}
