import { expect, type Page } from "@playwright/test";

export const DEMO = { email: "demo@example.com", password: "demo-password", slug: "acme" } as const;

export type NewUser = { name: string; email: string; password: string; workspaceName: string };

/** A user no earlier run (or test) has used: emails are unique per run and per call. */
export function newUser(label: string): NewUser {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return {
    name: `${label[0]?.toUpperCase() ?? "E"}${label.slice(1)} ${id}`,
    email: `e2e-${label}-${id}@example.com`,
    password: `pw-${id}-secret`,
    workspaceName: `E2E ${label} ${id}`,
  };
}

/**
 * Where a workspace opens: /w/<slug> redirects to its pipelines, which open the first pipeline's board
 * (/w/<slug>/pipelines/<id>) or, with no pipeline, the pipelines page itself.
 */
export function workspaceHome(slug = "(?!new\\b)[^/?#]+"): RegExp {
  return new RegExp(`/w/${slug}/pipelines(/[^/?#]+)?$`);
}

/** The workspace slug of a /w/<slug>/… URL. */
export function slugOf(url: string): string {
  const slug = /\/w\/([^/?#]+)/.exec(new URL(url).pathname)?.[1];
  if (!slug || slug === "new") throw new Error(`not a workspace URL: ${url}`);
  return slug;
}

/**
 * Fills and submits the sign-up form on the current /signup page (which may carry a callbackUrl). Coming from an
 * invitation (`ownWorkspace: false`) the form has no "Workspace name": the invited workspace is the user's.
 */
export async function submitSignUp(page: Page, user: NewUser, { emailPrefilled = false, ownWorkspace = true } = {}) {
  await page.getByLabel("Your name").fill(user.name);
  if (emailPrefilled) await expect(page.getByLabel("Email")).toHaveValue(user.email);
  else await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  if (ownWorkspace) await page.getByLabel("Workspace name").fill(user.workspaceName);
  else await expect(page.getByLabel("Workspace name")).toHaveCount(0);
  await page.getByRole("button", { name: "Create account" }).click();
}

/** Signs up from /signup and waits for the new workspace; returns its slug. */
export async function signUp(page: Page, user: NewUser): Promise<string> {
  await page.goto("/signup");
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await submitSignUp(page, user);
  await expect(page).toHaveURL(workspaceHome());
  await expect(workspaceSwitcher(page)).toContainText(user.workspaceName);
  return slugOf(page.url());
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

export function workspaceSwitcher(page: Page) {
  return page.getByRole("button", { name: "Switch workspace" });
}

/** Signs out through the account menu in the sidebar and waits for the sign-in page. */
export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Account menu" }).click();
  await page.getByRole("menuitem", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login(\?|$)/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
}

/**
 * dnd-kit swallows clicks for 50 ms after a pointer drag ends or is cancelled (so a drop is not also a click on what
 * lies under it), on a page timer. A longer page timer set after the drag ended fires after it: then clicks land again.
 * Without this, a click right after a cancelled drag was lost on a loaded machine (input outran the timer).
 */
export async function afterPointerDrag(page: Page) {
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 60)));
}
