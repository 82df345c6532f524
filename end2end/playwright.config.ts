import { defineConfig, devices } from "@playwright/test";

// Every test runs four times: phone (390×844) and desktop, each hydrated (JavaScript on) and as
// plain server-rendered HTML (JavaScript off), against the release build with fresh demo data.
const port = Number(process.env.KABINET_E2E_PORT ?? 3100);
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};
const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 };
const desktop = { viewport: { width: 1280, height: 800 } };

export default defineConfig({
  testDir: "./tests",
  outputDir: "./test-results",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [["list"]],
  timeout: 30_000,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: "chromium",
    launchOptions: chromium,
    locale: "ru-RU",
    trace: "retain-on-failure",
  },
  projects: [
    { name: "phone", use: { ...phone, userAgent: devices["Pixel 7"].userAgent } },
    { name: "phone-nojs", use: { ...phone, userAgent: devices["Pixel 7"].userAgent, javaScriptEnabled: false } },
    { name: "desktop", use: { ...desktop } },
    { name: "desktop-nojs", use: { ...desktop, javaScriptEnabled: false } },
  ],
  webServer: {
    command: "bash ./serve.sh",
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: { KABINET_E2E_PORT: String(port) },
  },
});
