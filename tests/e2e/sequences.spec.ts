import { expect, test, type Page } from "@playwright/test";
import { DEMO, signIn, workspaceHome } from "./helpers";

// Sequences in the demo workspace. Without SMTP the emails are captured in the Outbox; the server ticks the
// engine in-process every few seconds, and demo mode offers "Simulate a reply", which goes through the real
// inbound pipeline. The demo seed has a scoring rule: a reply to a sequence email is worth 10 points.

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const scoreOf = async (page: Page) => Number(await page.locator("dt", { hasText: /^Score$/ }).locator("xpath=following-sibling::dd[1]").innerText());

test.beforeEach(async ({ page }) => {
  await signIn(page, DEMO.email, DEMO.password);
  await expect(page).toHaveURL(workspaceHome(DEMO.slug));
});

test("build a two-step sequence, enroll a contact, see the email in the Outbox, simulate a reply: stopped, score raised", async ({ page }) => {
  const name = `E2E cadence ${unique()}`;
  await page.goto(`/w/${DEMO.slug}/sequences/new`);
  await page.getByLabel("Name", { exact: true }).fill(name);
  // Any day, any hour (the run may happen at night or on a weekend).
  for (const day of ["Sat", "Sun"]) await page.getByLabel(day, { exact: true }).check();
  await page.getByLabel("From", { exact: true }).fill("00:00");
  await page.getByLabel("to", { exact: true }).fill("00:00");
  // The starting template has two emails; an unknown merge field is flagged before saving and refused on save.
  const first = page.getByTestId("step-0");
  await first.getByLabel("Subject").fill("Hello {{contact.frist_name}}");
  await expect(first.getByText("Unknown field: contact.frist_name")).toBeVisible();
  await page.getByRole("button", { name: "Save sequence" }).click();
  await expect(first.getByText("This template uses a merge field that does not exist.")).toBeVisible();
  await first.getByLabel("Subject").fill(`Hello {{contact.first_name}} (${name})`);
  await page.getByRole("button", { name: "Save sequence" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByText("reply in thread")).toBeVisible();

  // Enroll a demo contact from its page.
  await page.goto(`/w/${DEMO.slug}/contacts`);
  await page.getByRole("main").getByRole("link").filter({ hasText: /\S/ }).and(page.locator("a[href*='/contacts/']")).first().click();
  await page.waitForURL(/\/contacts\/[0-9a-f-]{36}/);
  const contactName = (await page.getByRole("heading", { level: 1 }).innerText()).trim();
  const scoreBefore = await scoreOf(page);
  const panel = page.getByTestId("sequence-panel");
  await panel.getByText("Enroll in a sequence").click();
  await panel.getByLabel("Sequence").selectOption({ label: name });
  await panel.getByRole("button", { name: "Enroll", exact: true }).click();
  await expect(panel.getByRole("link", { name })).toBeVisible();

  // Within a few ticks the first email is captured in the Outbox.
  await page.goto(`/w/${DEMO.slug}/sequences/outbox`);
  const message = page.getByTestId("outbox-message").filter({ hasText: `(${name})` });
  await expect(async () => {
    await page.reload();
    await expect(message).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 40_000 });
  await expect(message).toContainText(contactName);
  await expect(message.getByTestId("message-status")).toHaveText("Captured");

  await message.getByRole("button", { name: "Simulate a reply" }).click();
  await expect(page.getByText("Reply recorded")).toBeVisible();

  // The enrollment stopped as replied, and no follow-up was rendered.
  await page.goto(`/w/${DEMO.slug}/sequences`);
  await page.getByRole("link", { name }).click();
  await expect(page.getByTestId("enrollment-row").getByTestId("enrollment-status")).toHaveText("Replied");
  await expect(page.getByTestId("sequence-stats")).toContainText("Replied1");

  // The scoring rule raised the contact's score once the reply event was dispatched.
  await page.getByTestId("enrollment-row").getByRole("link", { name: contactName }).click();
  await page.waitForURL(/\/contacts\//); // reload the contact page, not the sequence page still on screen
  await expect(async () => {
    await page.reload();
    expect(await scoreOf(page)).toBe(Math.min(scoreBefore + 10, Number.MAX_SAFE_INTEGER));
  }).toPass({ timeout: 40_000 });
  await expect(page.getByTestId("sequence-panel")).toContainText("Replied:");
  await page.goto(`/w/${DEMO.slug}/sequences/outbox`);
  await expect(page.getByTestId("outbox-message").filter({ hasText: `(${name})` })).toHaveCount(1);
});
