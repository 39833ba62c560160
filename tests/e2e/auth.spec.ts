import { expect, test } from "@playwright/test";
import { DEMO, newUser, signIn, signOut, signUp, submitSignUp, workspaceHome, workspaceSwitcher } from "./helpers";

test.describe("signed out", () => {
  test("opening a workspace redirects to the sign-in page", async ({ page }) => {
    await page.goto(`/w/${DEMO.slug}`);
    await expect(page).toHaveURL(/\/login(\?|$)/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  });

  test("the sign-in page shows the demo login, and it works", async ({ page }) => {
    await page.goto("/login");
    const demo = page.getByTestId("demo-login");
    await expect(demo).toContainText("Demo workspace");
    await expect(demo).toContainText(DEMO.email);
    await expect(demo).toContainText(DEMO.password);
    await expect(page.getByLabel("Email")).toHaveValue(DEMO.email);

    await page.getByLabel("Password").fill(DEMO.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(workspaceHome(DEMO.slug));
    await expect(page.getByRole("button", { name: "Account menu" })).toContainText(DEMO.email);

    await signOut(page);
    await page.goto(`/w/${DEMO.slug}`);
    await expect(page).toHaveURL(/\/login(\?|$)/);
  });

  test("a wrong password is refused with a clear message", async ({ page }) => {
    await signIn(page, DEMO.email, "not-the-password");
    // (Next's route announcer is an empty role=alert too: look inside the form.)
    await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong email or password.");
    await expect(page).toHaveURL(/\/login(\?|$)/);
    // The password is not echoed back; the email is kept.
    await expect(page.getByLabel("Password")).toHaveValue("");
    await expect(page.getByLabel("Email")).toHaveValue(DEMO.email);
  });
});

test("sign up, invite a sales rep, who accepts and is limited to a rep's pages", async ({ page, browser }) => {
  const owner = newUser("owner");
  const rep = newUser("rep");

  // 1. Sign up: the owner lands in the new workspace.
  const slug = await signUp(page, owner);

  // 2. Settings → Members: invite the rep.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${slug}/settings$`));
  await page.getByRole("link", { name: "Members", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${slug}/settings/members$`));
  await expect(page.getByRole("heading", { name: "Members (1)" })).toBeVisible();

  await page.getByLabel("Email", { exact: true }).fill(rep.email);
  await page.getByLabel("Role", { exact: true }).selectOption({ label: "Sales rep" });
  await page.getByRole("button", { name: "Send invitation" }).click();
  const linkInput = page.getByTestId("invitation-link");
  await expect(linkInput).toHaveValue(/\/invite\/[^/]+$/);
  const link = await linkInput.inputValue();
  expect(new URL(link).origin).toBe(new URL(page.url()).origin);
  const pending = page.getByRole("heading", { name: "Pending invitations" }).locator("xpath=..");
  await expect(pending).toContainText(rep.email);
  await expect(pending).toContainText("Sales rep");

  // 3. The invitee, in a separate browser context, opens the link and creates an account to accept.
  const repContext = await browser.newContext();
  try {
    const repPage = await repContext.newPage();
    await repPage.goto(link);
    await expect(repPage.getByRole("heading", { name: `Join ${owner.workspaceName}` })).toBeVisible();
    await expect(repPage.getByText(rep.email)).toBeVisible();
    await repPage.getByRole("link", { name: "Create an account to accept" }).click();
    await expect(repPage).toHaveURL(/\/signup\?/);
    await submitSignUp(repPage, rep, { emailPrefilled: true, ownWorkspace: false });

    // Back on the invitation, now signed in.
    await expect(repPage).toHaveURL(new URL(link).pathname);
    await expect(repPage.getByText(`Signed in as ${rep.email}.`)).toBeVisible();
    await repPage.getByRole("button", { name: "Accept invitation" }).click();
    await expect(repPage).toHaveURL(workspaceHome(slug));
    await expect(workspaceSwitcher(repPage)).toContainText(owner.workspaceName);
    // The invited workspace is the rep's only one: signing up from the link created none of their own.
    await workspaceSwitcher(repPage).click();
    await expect(repPage.getByRole("menuitem").filter({ hasNotText: "New workspace" })).toHaveCount(1);
    await repPage.keyboard.press("Escape");

    // 4. A rep may not open an admin-only settings page (the audit log).
    await repPage.goto(`/w/${slug}/settings/audit`);
    await expect(repPage).toHaveURL(new RegExp(`/w/${slug}/forbidden$`));
    await expect(repPage.getByText("Not allowed", { exact: true })).toBeVisible();
    // …but sees the member list (where the sidebar's Settings takes a rep), without the invitation form.
    await repPage.goto(`/w/${slug}/settings`);
    await expect(repPage).toHaveURL(new RegExp(`/w/${slug}/settings/members$`));
    await expect(repPage.getByRole("heading", { name: "Members (2)" })).toBeVisible();
    await expect(repPage.getByRole("button", { name: "Send invitation" })).toHaveCount(0);

    await signOut(repPage);
    await repPage.goto(`/w/${slug}`);
    await expect(repPage).toHaveURL(/\/login(\?|$)/);
  } finally {
    await repContext.close();
  }

  // 5. The owner sees the rep as a member with the rep role; the invitation is no longer pending.
  await page.reload();
  await expect(page.getByRole("heading", { name: "Members (2)" })).toBeVisible();
  await expect(page.getByLabel(`Role of ${rep.name}`)).toHaveValue("rep");
  await expect(page.getByRole("heading", { name: "Pending invitations" })).toHaveCount(0);

  await signOut(page);
});

test("a signed-in user who is not a member of a workspace gets the 404 page", async ({ page }) => {
  const outsider = newUser("outsider");
  await signUp(page, outsider);

  const response = await page.goto(`/w/${DEMO.slug}/pipelines`);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByText("404", { exact: true })).toBeVisible();
  expect(response?.status()).toBe(404);
  // Nothing of the demo workspace leaks.
  await expect(page.getByText("Acme Sales")).toHaveCount(0);
});

test("signing out ends that session for a copy of its cookie too, and leaves the user's other sessions signed in", async ({ page, browser }) => {
  const user = newUser("revoke");
  const slug = await signUp(page, user);
  const copied = await page.context().cookies(); // what an attacker who copied the cookie would hold

  // A second session of the same user, on another "device".
  const laptop = await browser.newContext();
  const other = await browser.newContext();
  try {
    const laptopPage = await laptop.newPage();
    await signIn(laptopPage, user.email, user.password);
    await expect(laptopPage).toHaveURL(workspaceHome(slug));

    await signOut(page);

    // The copied cookie no longer opens the workspace.
    await other.addCookies(copied);
    const copyPage = await other.newPage();
    await copyPage.goto(`/w/${slug}/contacts`);
    await expect(copyPage).toHaveURL(/\/login(\?|$)/);

    // The other session is untouched.
    await laptopPage.goto(`/w/${slug}/contacts`);
    await expect(laptopPage).toHaveURL(new RegExp(`/w/${slug}/contacts`));
    await expect(laptopPage.getByRole("button", { name: "Account menu" })).toContainText(user.email);
  } finally {
    await laptop.close();
    await other.close();
  }
});
