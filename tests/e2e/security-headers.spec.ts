import { expect, test } from "@playwright/test";
import { DEMO, newUser, signIn, signUp, workspaceHome } from "./helpers";

/** The CSP's script-src: a fresh nonce per response, 'strict-dynamic', never 'unsafe-inline'. */
function scriptSrc(csp: string | undefined): string {
  return (csp ?? "").split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src")) ?? "";
}

test("every page has a nonce-based Content-Security-Policy and the app runs under it", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load)/i.test(m.text())) violations.push(m.text());
  });

  // A page asked for with a Next-Action header (no action: Next.js renders the page) still gets its nonce.
  const forged = await page.request.get("/login", { headers: { "next-action": "x", "x-pipewise-path": "/elsewhere" } });
  expect(scriptSrc(forged.headers()["content-security-policy"])).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'$/);

  const first = await page.request.get("/login");
  const second = await page.request.get("/login");
  const csp = first.headers()["content-security-policy"];
  expect(scriptSrc(csp)).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'$/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(scriptSrc(second.headers()["content-security-policy"])).not.toBe(scriptSrc(csp)); // a new nonce each time
  expect(first.headers()["x-content-type-options"]).toBe("nosniff");
  expect(first.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");

  // The scripts Next renders carry this response's nonce: the app hydrates (sign in, open ⌘K) with no violation.
  await signIn(page, DEMO.email, DEMO.password);
  await expect(page).toHaveURL(workspaceHome(DEMO.slug));
  await page.keyboard.press("ControlOrMeta+k");
  await expect(page.getByRole("dialog")).toBeVisible();
  expect(violations).toEqual([]);
});

test("server actions answer without the page's nonce, with the baseline headers, and still sign-in-guarded", async ({ page }) => {
  // proxy.ts lets POSTs naming an action through untouched (they answer a React payload, never a document): no
  // nonce to make, and the action authorizes by itself. next.config.ts still gives them the baseline headers.
  await signUp(page, newUser("action-headers"));
  await page.getByRole("button", { name: "Add a deal in Lead in" }).click();
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Add deal", exact: true }) }).first();
  await form.getByLabel("Title").fill("Header deal");
  const answered = page.waitForResponse((r) => r.request().method() === "POST" && Boolean(r.request().headers()["next-action"]));
  await form.getByRole("button", { name: "Add deal", exact: true }).click();
  const response = await answered;
  expect(response.status()).toBe(200);
  const headers = response.headers();
  expect(headers["content-type"]).toContain("text/x-component");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).not.toContain("nonce-");
  await expect(page.getByRole("region", { name: "Pipeline board" }).getByRole("listitem").filter({ hasText: "Header deal" })).toBeVisible();

  // Signed out, the same request is refused by the action itself, not redirected by the proxy.
  const action = response.request();
  await page.context().clearCookies();
  const replay = await page.request.post(action.url(), { headers: { ...action.headers(), cookie: "" }, data: action.postDataBuffer() ?? undefined, maxRedirects: 0 });
  expect(replay.status()).toBe(200);
  expect(await replay.text()).toContain('"code":"UNAUTHENTICATED"');
});
