import { expect, test, type Page } from "@playwright/test";
import { DEMO, signIn, workspaceHome } from "./helpers";

/**
 * Each page ships only the message namespaces its client components use (lib/i18n/client-namespaces.ts). A
 * namespace missing from the browser makes next-intl log MISSING_MESSAGE while the page hydrates (or renders
 * after a client-side navigation) and show the key instead of the text: these journeys fail on any such log.
 */

/** Distinct "page: first line of the error" for every missing-message report (one per key and page, not per render). */
function watchMissingMessages(page: Page): Set<string> {
  const missing = new Set<string>();
  const record = (text: string) => {
    if (/MISSING_MESSAGE|Could not resolve .* in messages/i.test(text)) missing.add(`${new URL(page.url()).pathname}: ${text.split("\n")[0]}`);
  };
  page.on("console", (message) => record(message.text()));
  page.on("pageerror", (error) => record(error.message));
  return missing;
}

/** The first link on the current page whose path matches, as a path. */
async function firstLink(page: Page, pattern: RegExp): Promise<string | null> {
  const hrefs = await page.locator("main a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  return hrefs.find((h) => pattern.test(h)) ?? null;
}

async function open(page: Page, path: string) {
  // "commit": some pages replace their URL on load (report filters); waiting for "load" would see that abort.
  const response = await page.goto(path, { waitUntil: "commit" });
  expect(response?.status(), path).toBeLessThan(400);
  await expect(page.locator("main").first()).toBeVisible();
  await page.waitForLoadState("networkidle"); // hydration done: client components have rendered in the browser
}

test("main pages render with no missing messages when opened directly", async ({ page }) => {
  test.setTimeout(240_000);
  const missing = watchMissingMessages(page);
  await open(page, "/login");
  await open(page, "/signup");
  await open(page, "/forgot-password");

  await signIn(page, DEMO.email, DEMO.password);
  await expect(page).toHaveURL(workspaceHome(DEMO.slug));
  const board = new URL(page.url()).pathname;
  const w = `/w/${DEMO.slug}`;

  const pages = [
    board,
    `${w}/pipelines`,
    `${w}/deals`,
    `${w}/contacts`,
    `${w}/companies`,
    `${w}/activities`,
    `${w}/automations`,
    `${w}/automations/new`,
    `${w}/automations/scoring`,
    `${w}/automations/jobs`,
    `${w}/automations/waiting`,
    `${w}/sequences`,
    `${w}/sequences/new`,
    `${w}/sequences/outbox`,
    `${w}/reports`,
    `${w}/reports/review`,
    `${w}/reports/forecast`,
    `${w}/reports/strategy`,
    `${w}/reports/goals`,
    `${w}/settings`,
    `${w}/settings/profile`,
    `${w}/settings/members`,
    `${w}/settings/pipelines`,
    `${w}/settings/fields`,
    `${w}/settings/goals`,
    `${w}/settings/import`,
    `${w}/settings/export`,
    `${w}/settings/webhooks`,
    `${w}/settings/api`,
    `${w}/settings/audit`,
    "/w/new",
  ];
  for (const path of pages) await open(page, path);

  // Record pages, reached through the lists' first links.
  for (const [list, pattern] of [
    [board, /\/deals\/[^/?#]+$/],
    [`${w}/contacts`, /\/contacts\/[^/?#]+$/],
    [`${w}/companies`, /\/companies\/[^/?#]+$/],
    [`${w}/sequences`, /\/sequences\/(?!new|outbox)[^/?#]+$/],
    [`${w}/automations`, /\/automations\/(?!new|scoring|jobs|waiting)[^/?#]+$/],
  ] as const) {
    await open(page, list);
    const record = await firstLink(page, pattern);
    if (list === board) expect(record, "a deal card on the board").not.toBeNull();
    if (record) await open(page, record);
  }

  // A path that matches no page gets the not-found page with every namespace.
  await page.goto(`${w}/no-such-page`);
  await expect(page.getByRole("heading").first()).toBeVisible();
  await page.waitForLoadState("networkidle");

  expect([...missing]).toEqual([]);
});

test("pages reached by client-side navigation load the namespaces the first page did not have", async ({ page }) => {
  // No background preloading (it waits for an idle callback): each navigation must fetch what it lacks itself.
  await page.addInitScript(() => {
    window.requestIdleCallback = () => 0;
    window.cancelIdleCallback = () => undefined;
  });
  const missing = watchMissingMessages(page);
  await signIn(page, DEMO.email, DEMO.password);
  await expect(page).toHaveURL(workspaceHome(DEMO.slug));
  await page.waitForLoadState("networkidle");

  const nav = page.getByRole("navigation", { name: "Main" });
  for (const [link, url] of [
    ["Contacts", /\/contacts$/],
    ["Activities", /\/activities$/],
    ["Automations", /\/automations$/],
    ["Sequences", /\/sequences$/],
    ["Reports", /\/reports\/review$/], // /reports redirects there: wait for the end of it before the next click
    ["Deals", /\/deals$/],
    ["Settings", /\/settings$/],
  ] as const) {
    await nav.getByRole("link", { name: link, exact: true }).click();
    await expect(page).toHaveURL(url);
    await page.waitForLoadState("networkidle");
  }

  // Within settings (its layout stays mounted): the members page's client form translates with "members" and
  // "roles", which no page before it needed.
  await page.goto(`/w/${DEMO.slug}/settings/profile`);
  await page.getByRole("link", { name: "Members" }).first().click();
  await expect(page).toHaveURL(/\/settings\/members$/);
  await expect(page.getByRole("button", { name: "Send invitation" })).toBeVisible();
  await page.waitForLoadState("networkidle");

  expect([...missing]).toEqual([]);
});

test("a page's HTML carries only its own namespaces", async ({ page }) => {
  const login = await (await page.request.get("/login")).text();
  expect(login).not.toContain("signOutEverywhere"); // nav: the workspace shell's

  await signIn(page, DEMO.email, DEMO.password);
  await expect(page).toHaveURL(workspaceHome(DEMO.slug));
  const contacts = await (await page.request.get(`/w/${DEMO.slug}/contacts`)).text();
  expect(contacts).toContain("signOutEverywhere");
  expect(contacts).not.toContain("openDealsBehind"); // reports: not used by the contacts page's client components
  // The board carries no messages at all (decision 50): the browser loads its namespaces' chunks to hydrate.
  const board = await (await page.request.get(new URL(page.url()).pathname)).text();
  expect(board).toContain("Add a deal"); // rendered on the server with them all the same
  expect(board).not.toContain("signOutEverywhere");
});
