import { expect, test } from "@playwright/test";
import { DEMO, signIn, workspaceHome } from "./helpers";

/** The CSP's script-src: a fresh nonce per response, 'strict-dynamic', never 'unsafe-inline'. */
function scriptSrc(csp: string | undefined): string {
  return (csp ?? "").split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src")) ?? "";
}

test("every page has a nonce-based Content-Security-Policy and the app runs under it", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load)/i.test(m.text())) violations.push(m.text());
  });

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
