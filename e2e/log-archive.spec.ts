// A user's logs, from a command on the server to the archive browser: `nervesys-bridge log` on an
// enrolled bridge, shipped to the platform archive, listed, decoded and filtered in the dashboard.
// Then the storage settings page: a bucket of their own, its keys shown masked.
import { expect, type Page, type TestInfo, test } from "@playwright/test";
import { bridge, stopProcess, tempDir } from "../apps/web/test/harness";

async function keepScreenshot(page: Page, testInfo: TestInfo, name: string) {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

test("a user finds a server's logs in the archive and sets up their own bucket", async ({ page }, testInfo) => {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "New here? Create an account" }).click();
  await page.getByLabel("Email").fill(`e2e-logs-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill("secret-password");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByRole("heading", { name: "Fleet" })).toBeVisible();

  await page.getByLabel("Server name").fill("e2e-logs-01");
  await page.getByRole("button", { name: "Add server" }).click();
  const command = (await page.getByTestId("enroll-command").textContent()) ?? "";
  const [, url, token] = /--url (\S+) --token (\S+)/.exec(command) ?? [];
  const home = await tempDir("e2e-logs-bridge");
  expect(await bridge(["enroll", "--url", url!, "--token", token!], home).exit).toBe(0);
  const daemon = bridge(["run"], home);
  try {
    await daemon.output.waitFor(/archive pipeline configured/);
    for (const [level, message] of [
      ["info", "deploy started for release 42"],
      ["error", "deploy failed: disk full on /var"],
    ]) {
      const log = bridge(["log", "--level", level!, "--agent", "deployer", "--action", "deploy", message!], home);
      expect(await log.exit, log.output.text).toBe(0);
    }

    await page.getByTestId("server-row").filter({ hasText: "e2e-logs-01" }).getByRole("link").click();
    await expect(page.getByTestId("server-name")).toHaveText("e2e-logs-01");
    // The upload interval is 10 s here; the list refreshes with each heartbeat.
    await expect(page.getByTestId("archive-row").first()).toBeVisible({ timeout: 45_000 });
    await expect(page.getByTestId("last-upload")).not.toHaveText("never");
    // The oldest batch holds the bridge's start-up and the two lines logged right after it.
    await page.getByTestId("archive-row").last().getByRole("button", { name: "View" }).click();
    const viewer = page.getByTestId("batch-viewer");
    await viewer.getByLabel("Level").selectOption("ERROR");
    await viewer.getByLabel("Agent").fill("deployer");
    await viewer.getByRole("button", { name: "Filter" }).click();
    await expect(viewer.getByTestId("log-line")).toHaveCount(1);
    await expect(viewer.getByTestId("log-line")).toContainText("deploy failed: disk full on /var");
    await expect(viewer.getByTestId("viewer-summary")).toHaveText(/^1 of \d+ lines match$/);
    await keepScreenshot(page, testInfo, "1-archive-viewer");
  } finally {
    await stopProcess(daemon.child);
  }

  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByTestId("storage-current")).toContainText("No bucket of your own");
  await page.getByLabel("Bucket").fill("team-logs");
  await page.getByLabel("Access key").fill("AKIAE2EEXAMPLE1234");
  await page.getByLabel("Secret key").fill("e2e-very-secret-key");
  await page.getByRole("button", { name: "Save storage" }).click();
  await expect(page.getByRole("status")).toContainText("Saved");
  const current = page.getByTestId("storage-current");
  await expect(current).toContainText("team-logs at https://gateway.storjshare.io (eu1)");
  await expect(current).toContainText("AKIA");
  await expect(current).toContainText("1234");
  await expect(current).not.toContainText("AKIAE2EEXAMPLE1234");
  await expect(page.locator("body")).not.toContainText("e2e-very-secret-key");
  await keepScreenshot(page, testInfo, "2-storage-settings");
  await page.reload();
  await expect(page.getByTestId("storage-current")).toContainText("team-logs");
  // Another bucket, credentials left blank: the stored ones are kept.
  await page.getByLabel("Bucket").fill("team-logs-2");
  await page.getByRole("button", { name: "Save storage" }).click();
  await expect(page.getByTestId("storage-current")).toContainText("team-logs-2 at");
  await expect(page.getByTestId("storage-current")).toContainText("1234");
  await page.getByRole("button", { name: "Remove" }).click();
  await expect(page.getByTestId("storage-current")).toContainText("No bucket of your own");
});
