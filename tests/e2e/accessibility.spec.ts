import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, signIn, workspaceHome } from "./helpers";

/** axe-core's WCAG 2.1 A/AA rules on the page as it is now; only serious and critical violations fail. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.waitForLoadState("networkidle");
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes
      .slice(0, 3)
      .map((n) => n.target.join(" "))
      .join(" | ")}`);
}

test("the sign-in page has no serious accessibility violation", async ({ page }) => {
  await page.goto("/login");
  expect(await seriousViolations(page)).toEqual([]);
});

test.describe("main pages of the demo workspace", () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, DEMO.email, DEMO.password);
    await expect(page).toHaveURL(workspaceHome(DEMO.slug));
  });

  test("the board has no serious accessibility violation", async ({ page }) => {
    expect(await seriousViolations(page)).toEqual([]);
  });

  for (const [name, path] of [
    ["deals", "deals"],
    ["contacts", "contacts"],
    ["activities", "activities"],
    ["automations", "automations"],
    ["the workflow builder", "automations/new"],
    ["lead scoring", "automations/scoring"],
    ["sequences", "sequences"],
    ["the pipeline review", "reports/review"],
    ["the forecast", "reports/forecast"],
    ["goals", "reports/goals"],
    ["the strategy comparison", "reports/strategy"],
    ["settings", "settings"],
    ["members", "settings/members"],
    ["custom fields", "settings/fields"],
  ] as const) {
    test(`${name} has no serious accessibility violation`, async ({ page }) => {
      await page.goto(`/w/${DEMO.slug}/${path}`);
      expect(await seriousViolations(page)).toEqual([]);
    });
  }

  test("a deal page and a contact page have no serious accessibility violation", async ({ page }) => {
    for (const list of ["deals", "contacts"]) {
      await page.goto(`/w/${DEMO.slug}/${list}`);
      await page.locator("tbody a").first().click();
      await expect(page).toHaveURL(new RegExp(`/${list}/[0-9a-f-]{36}`));
      expect(await seriousViolations(page), list).toEqual([]);
    }
  });
});
