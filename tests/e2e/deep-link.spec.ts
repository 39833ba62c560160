import { expect, test } from "@playwright/test";
import { DEMO } from "./helpers";

test("a signed-out deep link survives the sign-in", async ({ page }) => {
  await page.goto(`/w/${DEMO.slug}/deals?status=won`);
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  await page.getByLabel("Password").fill(DEMO.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${DEMO.slug}/deals\\?status=won$`));
  await expect(page.getByRole("heading", { name: "Deals" })).toBeVisible();
});

test("signing up from an invitation link does not ask for a workspace of one's own", async ({ page }) => {
  await page.goto("/signup?callbackUrl=%2Finvite%2Fsome-token");
  await expect(page.getByLabel("Your name")).toBeVisible();
  await expect(page.getByLabel("Workspace name")).toHaveCount(0);
});
