import { expect, test, type Page } from "@playwright/test";
import { DEMO, signIn, workspaceHome } from "./helpers";

// Automations in the demo workspace, whose seed holds the example workflow "Call after the demo": when a deal
// moves to Demo, a call is created for the deal owner, due the next day. The server ticks the engine in-process
// every few seconds (embedded database), so no cron is needed.

const board = (page: Page) => page.getByRole("region", { name: "Pipeline board" });
const column = (page: Page, stage: string) => board(page).getByRole("list", { name: stage, exact: true });
const card = (page: Page, stage: string, title: string) => column(page, stage).getByRole("listitem").filter({ hasText: title });
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test.beforeEach(async ({ page }) => {
  await signIn(page, DEMO.email, DEMO.password);
  await expect(page).toHaveURL(workspaceHome(DEMO.slug));
});

test("the example: move a deal to Demo, the tick creates the owner's call due the next day", async ({ page }) => {
  await page.goto(`/w/${DEMO.slug}/automations`);
  const example = page.getByRole("listitem").filter({ hasText: "Call after the demo" });
  await expect(example).toContainText("A deal moves to another stage · to Demo");
  await expect(example.getByRole("switch")).toHaveAttribute("aria-checked", "true");

  // A new deal in Qualified on the "New business" board.
  await page.goto(`/w/${DEMO.slug}/pipelines`);
  const title = `Automation deal ${unique()}`;
  await page.getByRole("button", { name: "Add a deal in Qualified" }).click();
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Add deal", exact: true }) }).first();
  await form.getByLabel("Title").fill(title);
  await form.getByLabel("Value").fill("4200");
  await form.getByRole("button", { name: "Add deal", exact: true }).click();
  // Open it and move it to Demo with the deal page's stage bar.
  await card(page, "Qualified", title).getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  const stagesBar = page.getByRole("navigation", { name: "Stages" });
  await stagesBar.getByRole("button", { name: /^Demo\b/ }).click();
  await expect(stagesBar.getByRole("button", { name: /^Demo\b/ })).toHaveAttribute("aria-current", "step");

  // Within a few ticks the deal has its follow-up call.
  await expect(async () => {
    await page.reload();
    await expect(page.getByText("Follow-up call after the demo").first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });

  // The run log says what happened.
  await page.goto(`/w/${DEMO.slug}/automations`);
  await page.getByRole("listitem").filter({ hasText: "Call after the demo" }).getByRole("link", { name: /run/ }).click();
  const run = page.getByRole("listitem").filter({ hasText: title });
  await expect(run).toContainText("Completed");
  await expect(run).toContainText("Create an activity — Done");
});

test("build a workflow in the form: errors keep the input, then it saves, toggles, duplicates and deletes", async ({ page }) => {
  const name = `Proposal follow-up ${unique()}`;
  await page.goto(`/w/${DEMO.slug}/automations/new`);
  await expect(page.getByRole("heading", { name: "New workflow" })).toBeVisible();
  await page.getByLabel("Event", { exact: true }).selectOption({ label: "A deal moves to another stage" });
  await page.getByLabel("Pipeline", { exact: true }).selectOption({ label: "New business" });
  await page.getByLabel("Moved to", { exact: true }).selectOption({ label: "Proposal" });
  await page.getByRole("button", { name: "Add a condition" }).click();
  await page.getByLabel("Field", { exact: true }).first().selectOption({ label: "Deal · value" });
  await page.getByLabel("Operator", { exact: true }).selectOption({ label: "is greater than" });
  await page.getByLabel("Value", { exact: true }).fill("10000");
  await page.getByLabel("Subject", { exact: true }).fill("Send the proposal");
  await page.getByLabel("Activity type", { exact: true }).selectOption({ label: "Email" });
  await page.getByRole("button", { name: "Add an action" }).click();
  await page.getByLabel("Step 2", { exact: true }).selectOption({ label: "Send a webhook" });
  await page.getByLabel("URL (https://…)").fill("not a url");
  await page.getByRole("button", { name: "Save workflow" }).click();
  // Refused: the name is missing and the URL is invalid; everything typed is still there.
  await expect(page.getByText("Please correct the highlighted fields.")).toBeVisible();
  await expect(page.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Enter a valid URL.")).toBeVisible();
  await expect(page.getByLabel("Subject", { exact: true })).toHaveValue("Send the proposal");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("URL (https://…)").fill("https://example.com/hooks/pipewise");
  await page.getByRole("button", { name: "Save workflow" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${DEMO.slug}/automations$`));

  const row = page.getByRole("listitem").filter({ hasText: name });
  await expect(row).toContainText("A deal moves to another stage · to Proposal · in New business");
  await expect(row).toContainText("Create an activity → Send a webhook");
  const toggle = row.getByRole("switch");
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await page.reload();
  await expect(page.getByRole("listitem").filter({ hasText: name }).getByRole("switch")).toHaveAttribute("aria-checked", "false");

  // The saved workflow opens in the builder with its webhook's signing secret.
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { name: "Edit workflow" })).toBeVisible();
  await expect(page.getByLabel("Signing secret")).toHaveValue(/^whsec_/);
  await expect(page.getByLabel("Value", { exact: true })).toHaveValue("10000");

  await page.goto(`/w/${DEMO.slug}/automations`);
  await page.getByRole("listitem").filter({ hasText: name }).getByRole("button", { name: new RegExp(`^${name}:`) }).click();
  await page.getByRole("menuitem", { name: "Duplicate" }).click();
  await expect(page.getByRole("listitem").filter({ hasText: `${name} (copy)` })).toBeVisible();
  await page.getByRole("listitem").filter({ hasText: `${name} (copy)` }).getByRole("button", { name: new RegExp(`^${name} \\(copy\\):`) }).click();
  await page.getByRole("menuitem", { name: "Delete" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("listitem").filter({ hasText: `${name} (copy)` })).toHaveCount(0);
});

test("failed jobs: admins see the queue and its failures", async ({ page }) => {
  await page.goto(`/w/${DEMO.slug}/automations/jobs`);
  await expect(page.getByRole("heading", { name: "Automations" })).toBeVisible();
  await expect(page.getByText(/^Queue: \d+ waiting/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Failed jobs" })).toHaveAttribute("aria-current", "page");
  // one current tab: Workflows, at the section's root, is not lit on its siblings' pages
  await expect(page.getByRole("link", { name: "Workflows", exact: true })).not.toHaveAttribute("aria-current", "page");
});
