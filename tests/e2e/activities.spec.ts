import { expect, test, type Locator, type Page } from "@playwright/test";
import { newUser, signUp } from "./helpers";

// A rep's day with activities: schedule one, complete it (and schedule the next one as offered), reschedule by
// dragging in the week view with the mouse and with the keyboard or from a row's menu, and plan a deal's next step
// from its board card.
// Each test signs up into a workspace of its own; the browser and the new user are both in UTC.

const utcDate = (offsetDays = 0) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The Monday-first week of today (UTC), as dates. */
function thisWeek(): string[] {
  const today = new Date(`${utcDate()}T12:00:00Z`);
  const monday = new Date(today.getTime() - ((today.getUTCDay() + 6) % 7) * 86_400_000);
  return Array.from({ length: 7 }, (_, i) => new Date(monday.getTime() + i * 86_400_000).toISOString().slice(0, 10));
}

async function scheduleFromMyDay(page: Page, fields: { subject: string; type?: string; date?: string; time?: string }) {
  await page.getByRole("button", { name: "Schedule activity" }).click();
  const dialog = page.getByRole("dialog", { name: "Schedule an activity" });
  if (fields.type) await dialog.getByText(fields.type, { exact: true }).click();
  await dialog.getByLabel("Subject").fill(fields.subject);
  await dialog.getByLabel("Date").fill(fields.date ?? utcDate());
  if (fields.time) await dialog.getByLabel("Time").fill(fields.time);
  await dialog.getByRole("button", { name: "Schedule", exact: true }).click();
  await expect(dialog).toBeHidden();
}

const dayColumn = (page: Page, date: string) => page.locator(`[data-day="${date}"]`);
const chip = (page: Page, date: string, subject: string) => dayColumn(page, date).getByRole("listitem").filter({ hasText: subject });

/** A real pointer drag: past the activation distance first, then in steps to the target. */
async function drag(page: Page, from: Locator, to: Locator) {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + 10);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 10, a.y + 20, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + Math.min(b.height / 2, 60), { steps: 20 });
  await page.mouse.up();
}

test("schedule an activity, complete it, and schedule the next one as offered", async ({ page }) => {
  const slug = await signUp(page, newUser("myday"));
  await page.goto(`/w/${slug}/activities`);
  await expect(page.getByRole("heading", { name: "My day" })).toBeVisible();
  await scheduleFromMyDay(page, { subject: "Call the first lead", date: utcDate(1), time: "10:30" });
  const upcoming = page.getByRole("list", { name: "Upcoming" });
  await expect(upcoming.getByText("Call the first lead")).toBeVisible();

  // A click, not check(): the row moves to "Recently done" (a new element) as soon as the optimistic update lands.
  await upcoming.getByRole("checkbox", { name: "Mark “Call the first lead” as done" }).click();
  const done = page.getByRole("list", { name: "Recently done" });
  await expect(done.getByText("Call the first lead")).toBeVisible();
  await expect(upcoming).toHaveCount(0); // the section is empty again
  // The toast offers the next step.
  await page.getByRole("button", { name: "Schedule next" }).click();
  const next = page.getByRole("dialog", { name: "Schedule the next activity" });
  await next.getByText("Meeting", { exact: true }).click();
  await expect(next.getByLabel("Subject")).toHaveValue("Meeting");
  // An empty subject is refused in place; the error goes as soon as a subject is typed, before the next submit.
  await next.getByLabel("Subject").fill("");
  await next.getByRole("button", { name: "Schedule", exact: true }).click();
  await expect(next.getByText("This field is required.")).toBeVisible();
  await expect(next.getByLabel("Subject")).toHaveAttribute("aria-invalid", "true");
  await next.getByLabel("Subject").fill("Demo meeting");
  await expect(next.getByText("This field is required.")).toBeHidden();
  await expect(next.getByLabel("Subject")).not.toHaveAttribute("aria-invalid", "true");
  await next.getByLabel("Date").fill(utcDate(2));
  await next.getByLabel("Time").fill("15:00");
  await next.getByRole("button", { name: "Schedule", exact: true }).click();
  await expect(page.getByRole("list", { name: "Upcoming" }).getByText("Demo meeting")).toBeVisible();

  // Undo: unchecking brings it back to the open ones, and it stays so after a reload.
  await done.getByRole("checkbox", { name: "Mark “Call the first lead” as not done" }).click();
  await page.reload();
  await expect(page.getByRole("list", { name: "Upcoming" }).getByText("Call the first lead")).toBeVisible();
});

test("reschedule by dragging in the week view, with the mouse and with the keyboard", async ({ page }) => {
  const slug = await signUp(page, newUser("week"));
  const week = thisWeek();
  const today = utcDate();
  const target = today === week[0] ? week[2]! : week[0]!; // another day of the same week
  await page.goto(`/w/${slug}/activities?view=week`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Activities"); // "My day" is the list's title
  await scheduleFromMyDay(page, { subject: "Drag me", time: "23:15" });
  await expect(chip(page, today, "Drag me")).toBeVisible();

  await drag(page, chip(page, today, "Drag me"), dayColumn(page, target));
  await expect(chip(page, target, "Drag me")).toBeVisible();
  await expect(page.getByText(/“Drag me” moved to/)).toBeVisible();
  await page.waitForLoadState("networkidle");
  await page.reload();
  await expect(chip(page, target, "Drag me")).toBeVisible();
  await expect(chip(page, target, "Drag me")).toContainText("11:15 PM"); // the time of day is kept
  await expect(chip(page, today, "Drag me")).toHaveCount(0);

  // Keyboard: Space picks it up, an arrow moves it a day, Space drops it.
  const step = target === week[6] ? -1 : 1;
  const keyTarget = week[week.indexOf(target) + step]!;
  // Each key waits for the screen-reader announcement of the previous one (a busy machine is slow to pick up).
  const live = page.locator("[role=status][aria-live]");
  await chip(page, target, "Drag me").focus();
  await page.keyboard.press("Space");
  // Picked up: the live region speaks of it ("Picked up…", then "…is over <its day>").
  const weekday = (date: string) => new Date(`${date}T12:00:00Z`).toLocaleDateString("en-US", { weekday: "long", timeZone: "UTC" });
  await expect(live.filter({ hasText: /Drag me/ })).toHaveCount(1);
  await page.keyboard.press(step > 0 ? "ArrowRight" : "ArrowLeft");
  await expect(live.filter({ hasText: new RegExp(`Drag me is over ${weekday(keyTarget)}`) })).toHaveCount(1);
  await page.keyboard.press("Space");
  await expect(chip(page, keyTarget, "Drag me")).toBeVisible();
  await page.waitForLoadState("networkidle");
  await page.reload();
  await expect(chip(page, keyTarget, "Drag me")).toBeVisible();
});

test("reschedule from a row's menu: today, tomorrow keeping the time, next Monday, or pick a date", async ({ page }) => {
  const slug = await signUp(page, newUser("quick"));
  const nextMonday = addDays(thisWeek()[0]!, 7);
  await page.goto(`/w/${slug}/activities`);
  await scheduleFromMyDay(page, { subject: "Send the quote", date: utcDate(-1) });
  await scheduleFromMyDay(page, { subject: "Call back", date: utcDate(-1), time: "10:30" });
  const overdue = page.getByRole("list", { name: "Overdue" });
  const rescheduleTo = async (list: Locator, subject: string, choice: RegExp) => {
    await list.getByRole("button", { name: `Actions for ${subject}` }).click();
    await page.getByRole("menuitem", { name: choice }).click();
    await expect(page.getByText(`“${subject}” moved to`).last()).toBeVisible();
  };

  // An all-day task, overdue since yesterday, moved to today and then to next week's Monday.
  await rescheduleTo(overdue, "Send the quote", /^Today/);
  const today = page.getByRole("list", { name: "Today" });
  await expect(today.getByRole("listitem").filter({ hasText: "Send the quote" })).toContainText("Today (all day)");
  await rescheduleTo(today, "Send the quote", /^Next week/);
  const upcoming = page.getByRole("list", { name: "Upcoming" });
  const mondayText = new Date(`${nextMonday}T12:00:00Z`).toLocaleDateString("en-US", { weekday: "short", month: "short", day: "numeric", timeZone: "UTC" });
  await expect(upcoming.getByRole("listitem").filter({ hasText: "Send the quote" })).toContainText(`${mondayText} (all day)`);

  // A call at 10:30 yesterday, moved to tomorrow: still at 10:30.
  await rescheduleTo(overdue, "Call back", /^Tomorrow/);
  const tomorrowText = new Date(`${utcDate(1)}T12:00:00Z`).toLocaleDateString("en-US", { weekday: "short", month: "short", day: "numeric", timeZone: "UTC" });
  await expect(upcoming.getByRole("listitem").filter({ hasText: "Call back" })).toContainText(`${tomorrowText}, 10:30 AM`);
  await expect(page.getByRole("list", { name: "Overdue" })).toHaveCount(0);
  await page.waitForLoadState("networkidle");
  await page.reload();
  await expect(page.getByRole("list", { name: "Upcoming" }).getByRole("listitem").filter({ hasText: "Call back" })).toContainText("10:30 AM");

  // "Pick a date…" opens the activity to edit.
  await page.getByRole("list", { name: "Upcoming" }).getByRole("button", { name: "Actions for Call back" }).click();
  await page.getByRole("menuitem", { name: "Pick a date…" }).click();
  await expect(page.getByRole("dialog", { name: "Edit activity" }).getByLabel("Date")).toHaveValue(utcDate(1));
});

test("a board card warns when a deal has no next activity, and schedules one from the card", async ({ page }) => {
  await signUp(page, newUser("cards"));
  await page.getByRole("button", { name: "Add a deal in Lead in" }).click();
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Add deal", exact: true }) }).first();
  await form.getByLabel("Title").fill("Card deal");
  await form.getByRole("button", { name: "Add deal", exact: true }).click();
  const card = page.getByRole("region", { name: "Pipeline board" }).getByRole("listitem").filter({ hasText: "Card deal" });
  await expect(card.getByTestId("card-next-activity")).toHaveText("No activity scheduled");
  await card.getByTestId("card-next-activity").click();
  const dialog = page.getByRole("dialog", { name: "Schedule the next activity" });
  await expect(dialog.getByRole("button", { name: /Deal.*Card deal/ })).toBeVisible();
  await dialog.getByLabel("Subject").fill("Qualify the budget");
  await dialog.getByLabel("Date").fill(utcDate(-1)); // yesterday: overdue at once
  await dialog.getByRole("button", { name: "Schedule", exact: true }).click();
  await expect(card.getByTestId("card-next-activity")).toContainText("Qualify the budget");
  await expect(card.getByTestId("card-next-activity")).toHaveAccessibleName(/^Overdue: Call/);
});
