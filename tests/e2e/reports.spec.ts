import { expect, test } from "@playwright/test";
import { DEMO, newUser, signIn, signUp, workspaceHome } from "./helpers";

// Reports: the manager's monthly review on the demo workspace (KPIs, the bottleneck in words, a figure that opens
// the deals behind it), and a goal set in Settings showing up as a progress bar.

test("the pipeline review shows the KPIs and the bottleneck, and a figure opens the deals behind it", async ({ page }) => {
  await signIn(page, DEMO.email, DEMO.password);
  await expect(page).toHaveURL(workspaceHome(DEMO.slug));
  await page.goto(`/w/${DEMO.slug}/reports`);
  await expect(page).toHaveURL(new RegExp(`/w/${DEMO.slug}/reports/review$`));
  await expect(page.getByRole("heading", { name: "Pipeline review" })).toBeVisible();
  const kpis = page.getByTestId("kpis");
  for (const label of ["Won revenue", "Deals won", "Win rate", "Sales velocity", "New deals", "Activities completed"]) {
    await expect(kpis.getByText(label, { exact: true })).toBeVisible();
  }
  await expect(page.getByTestId("bottleneck")).toContainText(/Demo holds \d+(\.\d)?% of open deals/);
  await expect(page.getByRole("heading", { name: "Stage funnel" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Stage funnel" })).toBeVisible();

  // the review downloads as a spreadsheet
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Excel (XLSX)" }).click();
  expect((await download).suggestedFilename()).toMatch(/^pipeline-review-\d{4}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx$/);

  // "New deals" this month: the number links to exactly those deals
  const newDeals = kpis.locator('[data-kpi="newDeals"] a');
  const count = Number((await newDeals.innerText()).replace(/[^\d]/g, ""));
  expect(count).toBeGreaterThan(0);
  await newDeals.click();
  await expect(page).toHaveURL(/\/deals\?.*createdFrom=/);
  await expect(page.getByText(new RegExp(`^${count} deals? match`))).toBeVisible();

  // the monthly pack subscription is there for a manager (the demo owner is subscribed by the seed)
  await page.goBack();
  await expect(page.getByRole("button", { name: "Stop the monthly email" })).toBeVisible();
});

test("a goal set in Settings shows its progress bar and the gap in words", async ({ page }) => {
  await signUp(page, newUser("goals"));
  const slug = /\/w\/([^/]+)/.exec(new URL(page.url()).pathname)![1]!;
  await page.goto(`/w/${slug}/settings/goals`);
  await expect(page.getByRole("link", { name: "Goals", exact: true })).toHaveAttribute("aria-current", "page");
  await page.getByLabel("Metric").selectOption({ label: "New deals" });
  await page.getByLabel("Per").selectOption({ label: "Month" });
  await page.getByLabel("Target").fill("3");
  await page.getByRole("button", { name: "Save goal" }).click();
  await expect(page.getByTestId("goal-row")).toContainText("Whole workspace · New deals · Month");

  await page.getByRole("link", { name: "See progress" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${slug}/reports/goals$`));
  const goal = page.getByTestId("goal");
  await expect(goal.getByRole("progressbar", { name: "Progress of Whole workspace: New deals" })).toHaveAttribute("aria-valuenow", "0");
  await expect(goal).toContainText("3 more new deals to reach 3.");
});

test("a new workspace's review says there is nothing to show instead of drawing empty charts", async ({ page }) => {
  const slug = await signUp(page, newUser("emptyreview"));
  await page.goto(`/w/${slug}/reports/review`);
  // with no open deal the funnel has no bottleneck to look for (not "open deals are spread evenly")
  await expect(page.getByTestId("bottleneck")).toHaveText("There are no open deals, so there is no bottleneck to point out.");
  // nothing closed: the won-and-lost chart says so, as its table does, instead of bare axes
  const wonLost = page.getByRole("region", { name: "Won and lost" });
  await expect(wonLost.getByRole("table", { name: "Won and lost by owner" })).toContainText("Nothing closed in this period.");
  await expect(wonLost.locator("figure")).toHaveText("Nothing closed in this period.");
  await expect(wonLost.locator("figure svg")).toHaveCount(0);
  // the funnel and time-in-stage charts too: no deal entered, left or is open in a stage
  const funnel = page.getByRole("region", { name: "Stage funnel" });
  await expect(funnel.locator("figure")).toHaveText("No deal entered a stage of this pipeline in the period, and none is open in it.");
  await expect(funnel.locator("figure svg")).toHaveCount(0);
  const timeInStage = page.getByRole("region", { name: "Time in stage" });
  await expect(timeInStage.locator("figure")).toHaveText("No stay in a stage ended in the period, and no deal is open in this pipeline.");
  await expect(timeInStage.locator("figure svg")).toHaveCount(0);
});

test("on a phone the report pages do not scroll sideways: wide tables scroll inside their box", async ({ page }) => {
  await signIn(page, DEMO.email, DEMO.password);
  await expect(page).toHaveURL(workspaceHome(DEMO.slug));
  await page.setViewportSize({ width: 390, height: 844 });
  for (const report of ["review", "forecast"]) {
    await page.goto(`/w/${DEMO.slug}/reports/${report}`);
    await expect(page.locator(".recharts-surface").first()).toBeVisible(); // drawn after hydration
    // a table cell's screen-reader-only text is positioned: outside a positioned scroll box it widened the page
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), report).toBe(0);
  }
});
