import { expect, test, type Page } from "@playwright/test";
import { afterPointerDrag, newUser, signUp } from "./helpers";

// Issue 4's journey: an admin adds a custom field, shows it on the cards, requires it for a stage; dragging a deal
// there asks for exactly that field, and the move happens once it is filled in.

const board = (page: Page) => page.getByRole("region", { name: "Pipeline board" });
const card = (page: Page, stage: string, title: string) => board(page).getByRole("list", { name: stage, exact: true }).getByRole("listitem").filter({ hasText: title });

test("a required custom field is asked for when a deal is dragged into its stage, then shown on the card", async ({ page }) => {
  const slug = await signUp(page, newUser("fields"));

  // 1. Add a number field "Seats" to deals.
  await page.goto(`/w/${slug}/settings/fields`);
  const add = page.locator("form").filter({ has: page.getByRole("button", { name: "Add field" }) });
  await add.getByLabel("Name").fill("Seats");
  await add.getByLabel("Type", { exact: true }).selectOption("number");
  await add.getByRole("button", { name: "Add field" }).click();
  await expect(page.getByText("seats", { exact: true })).toBeVisible();

  // 2. Require it for "Demo" and show it on the cards.
  await page.goto(`/w/${slug}/settings/pipelines`);
  await page.getByRole("button", { name: "Required to enter Demo" }).click();
  await page.getByRole("checkbox", { name: "Seats" }).check();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Saved").first()).toBeVisible();
  await page.getByRole("button", { name: "Fields on the board's cards" }).click();
  await page.getByRole("checkbox", { name: "Seats" }).check();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Saved").first()).toBeVisible();

  // 3. A deal dragged into Demo asks for Seats; a bad value is refused in place; a good one moves it.
  await page.getByRole("link", { name: "Open board" }).first().click();
  await page.getByRole("button", { name: "Add a deal in Lead in" }).click();
  const quick = page.locator("form").filter({ has: page.getByRole("button", { name: "Add deal", exact: true }) }).first();
  await quick.getByLabel("Title").fill("Needs seats");
  await quick.getByRole("button", { name: "Add deal", exact: true }).click();
  const from = card(page, "Lead in", "Needs seats");
  await expect(from).toBeVisible();
  const a = (await from.boundingBox())!;
  const b = (await board(page).getByRole("list", { name: "Demo", exact: true }).boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + 12);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 10, a.y + 22, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + 40, { steps: 20 });
  await page.mouse.up();
  await afterPointerDrag(page);

  const dialog = page.getByRole("dialog", { name: "Demo needs a few details" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Seats").fill("lots");
  await dialog.getByRole("button", { name: "Save and move" }).click();
  await expect(dialog.getByText("Enter a number, like 42 or 3.5.")).toBeVisible();
  await expect(dialog.getByLabel("Seats")).toHaveValue("lots");
  await dialog.getByLabel("Seats").fill("25");
  await dialog.getByRole("button", { name: "Save and move" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(card(page, "Demo", "Needs seats")).toContainText("Seats");
  await expect(card(page, "Demo", "Needs seats")).toContainText("25");
  await page.reload();
  await expect(card(page, "Demo", "Needs seats")).toContainText("25");
  // 4. The deal's history names the field by its label, with both values.
  await card(page, "Demo", "Needs seats").getByRole("link", { name: "Needs seats" }).click();
  await expect(page.getByText("Seats changed from — to 25")).toBeVisible();
  await expect(page.getByText(/custom:seats/)).toHaveCount(0);
});
