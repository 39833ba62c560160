import { expect, test } from "@playwright/test";
import { DEMO, signIn } from "./helpers";

test("⌘K finds a company by name and opens it with the keyboard alone", async ({ page }) => {
  await signIn(page, DEMO.email, DEMO.password);
  await expect(page).toHaveURL(/\/w\/acme\/pipelines\//);
  await page.keyboard.press("Control+k");
  const box = page.getByRole("combobox", { name: "Search deals, people and organizations" });
  await expect(box).toBeFocused();
  await box.fill("northwind");
  const options = page.getByRole("listbox", { name: "Results" }).getByRole("option");
  await expect(options.filter({ hasText: "Organization" }).first()).toContainText("Northwind Traders");
  // walk down to the organization result and open it
  const count = await options.count();
  let target = 0;
  for (let i = 0; i < count; i++) if ((await options.nth(i).innerText()).includes("Organization")) { target = i; break; }
  for (let i = 0; i < target; i++) await box.press("ArrowDown");
  await expect(options.nth(target)).toHaveAttribute("aria-selected", "true");
  await box.press("Enter");
  await expect(page).toHaveURL(/\/w\/acme\/companies\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "Northwind Traders" })).toBeVisible();
  // opened again, the palette starts empty: the next search is not appended to the last one
  await page.keyboard.press("Control+k");
  await expect(box).toBeFocused();
  await expect(box).toHaveValue("");
  await expect(page.getByRole("listbox", { name: "Results" }).getByRole("option")).toHaveCount(0);
});

test("the sidebar search button opens the palette, and a miss says so", async ({ page }) => {
  await signIn(page, DEMO.email, DEMO.password);
  // the shortcut shown is the platform's: Ctrl K here (Linux), ⌘K on a Mac
  await page.getByRole("button", { name: "Search Ctrl K" }).first().click();
  const box = page.getByRole("combobox", { name: "Search deals, people and organizations" });
  await box.fill("zzzz-nothing");
  await expect(page.getByText("Nothing matches “zzzz-nothing”.")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(box).toHaveCount(0);
});
