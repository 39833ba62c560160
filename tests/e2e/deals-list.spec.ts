import { expect, test } from "@playwright/test";
import { DEMO, signIn } from "./helpers";

test("the deals list follows the search box as you type, keeping what is typed", async ({ page }) => {
  await signIn(page, DEMO.email, DEMO.password);
  await expect(page).toHaveURL(/\/w\/acme\/pipelines\//);
  await page.goto(`/w/${DEMO.slug}/deals`);
  const summary = page.getByText(/\d+ deals? match/);
  const before = await summary.innerText();
  const box = page.getByRole("searchbox", { name: "Search deals" });
  await box.click();
  await box.pressSequentially("Wonk", { delay: 40 });
  // no Enter, no leaving the box: the list follows after a short pause
  await expect(page).toHaveURL(/[?&]q=Wonk(&|$)/);
  await expect(summary).not.toHaveText(before);
  await expect(box).toBeFocused();
  await box.pressSequentially("a", { delay: 40 });
  await expect(page).toHaveURL(/[?&]q=Wonka(&|$)/);
  await expect(box).toHaveValue("Wonka");
  // emptied, the list shows every open deal again
  await box.fill("");
  await expect(page).not.toHaveURL(/[?&]q=/);
  await expect(summary).toHaveText(before);
});

test("a close-date range that ends before it starts says why nothing matches", async ({ page }) => {
  await signIn(page, DEMO.email, DEMO.password);
  await expect(page).toHaveURL(/\/w\/acme\/pipelines\//);
  await page.goto(`/w/${DEMO.slug}/deals`);
  await page.getByLabel("Close from").fill("2027-03-01");
  await expect(page).toHaveURL(/closeFrom=2027-03-01/);
  await page.getByLabel("to", { exact: true }).fill("2026-01-01");
  await expect(page.getByRole("status").filter({ hasText: "“Close from” is after “to”" })).toBeVisible();
  await page.getByLabel("to", { exact: true }).fill("2027-12-31");
  await expect(page.getByText("“Close from” is after “to”")).toHaveCount(0);
});
