// A new user signs up, adds a server, enrolls a real bridge process and watches it live.
import { expect, type Page, type TestInfo, test } from "@playwright/test";
import { bridge, stopProcess, tempDir } from "../apps/web/test/harness";

async function keepScreenshot(page: Page, testInfo: TestInfo, name: string) {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

async function signUp(page: Page, email: string) {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByRole("button", { name: "New here? Create an account" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("secret-password");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByRole("heading", { name: "Fleet" })).toBeVisible();
  await expect(page.getByTestId("user-email")).toHaveText(email);
}

test("a user enrolls a bridge and watches its server live", async ({ page, browser }, testInfo) => {
  await page.goto("/sign-in");
  await keepScreenshot(page, testInfo, "1-sign-in");
  await signUp(page, `e2e-${Date.now()}@example.com`);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-live", "true");

  await page.getByLabel("Server name").fill("e2e-web-01");
  await page.getByRole("button", { name: "Add server" }).click();
  const command = (await page.getByTestId("enroll-command").textContent()) ?? "";
  const [, url, token] = /--url (\S+) --token (\S+)/.exec(command) ?? [];
  expect(token).toMatch(/^nvs_enr_/);
  await expect(page.getByTestId("install-command")).toContainText("install-bridge.sh | sudo bash");
  const row = page.getByTestId("server-row").filter({ hasText: "e2e-web-01" });
  await expect(row.getByTestId("server-state")).toHaveText("awaiting bridge");
  await keepScreenshot(page, testInfo, "2-add-server");

  const home = await tempDir("e2e-bridge");
  const enroll = bridge(["enroll", "--url", url!, "--token", token!], home);
  expect(await enroll.exit, enroll.output.text).toBe(0);
  const daemon = bridge(["run"], home);
  try {
    // No reload: the fleet page hears about the bridge over its WebSocket.
    await expect(row.getByTestId("server-state")).toHaveText("online");
    await expect(row.getByTestId("cpu")).toHaveText(/\d+\.\d %/);
    await keepScreenshot(page, testInfo, "3-fleet-online");

    await row.getByRole("link", { name: "e2e-web-01" }).click();
    await expect(page.getByTestId("server-name")).toHaveText("e2e-web-01");
    await expect(page.getByTestId("stat-ram")).toHaveText(/\d+\.\d %/);
    // A line needs two samples: the second heartbeat arrives live, 5 s after the first.
    await expect(page.locator(".recharts-line-curve").first()).toHaveAttribute("d", /\d[LC]\d/, { timeout: 30_000 });
    // The time axis spans the whole hour, however few samples there are: six different ten-minute marks.
    const xTicks = page.getByTestId("metrics-chart").getByText(/^\d{1,2}:\d{2}/);
    await expect(xTicks).toHaveCount(6);
    expect(new Set(await xTicks.allTextContents()).size).toBe(6);
    await keepScreenshot(page, testInfo, "4-server-chart");

    const serverUrl = page.url();
    const stranger = await browser.newPage();
    await signUp(stranger, `e2e-stranger-${Date.now()}@example.com`);
    await expect(stranger.getByTestId("server-row")).toHaveCount(0);
    const response = await stranger.goto(serverUrl);
    expect(response?.status()).toBe(404);
    await keepScreenshot(stranger, testInfo, "5-stranger-404");
    await stranger.close();

    await stopProcess(daemon.child);
    await expect(page.getByTestId("server-state")).toHaveText("offline");
  } finally {
    await stopProcess(daemon.child);
  }

  await page.getByRole("button", { name: "New enrollment token" }).click();
  await expect(page.getByTestId("enroll-command")).toContainText("--token nvs_enr_");
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Remove server" }).click();
  await expect(page.getByRole("heading", { name: "Fleet" })).toBeVisible();
  await expect(page.getByTestId("server-row")).toHaveCount(0);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
});
