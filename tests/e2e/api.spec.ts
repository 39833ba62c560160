import { expect, test } from "@playwright/test";
import { newUser, signUp } from "./helpers";

// Issue 10's journey: an owner creates an API key (shown once), a script uses it, the owner revokes it; then
// subscribes a webhook and reads the API reference.

test("an owner creates an API key, uses it, revokes it; adds a webhook; reads the reference", async ({ page, request }) => {
  const slug = await signUp(page, newUser("api"));

  await page.goto(`/w/${slug}/settings/api`);
  await expect(page.getByRole("link", { name: "API", exact: true })).toHaveAttribute("aria-current", "page");
  await expect(page.getByText("No API keys yet.")).toBeVisible();
  await page.getByLabel("Key name").fill("Website form");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByText("Copy this key now: it is shown only once.")).toBeVisible();
  const token = await page.getByTestId("new-api-key").inputValue();
  expect(token).toMatch(/^pw_/);
  const row = page.getByTestId("api-key-row").filter({ hasText: "Website form" });
  await expect(row).toContainText("Never");
  await page.screenshot({ path: "test-results/api-keys.png", fullPage: true });

  const auth = { Authorization: `Bearer ${token}` };
  const pipelines = await request.get("/api/v1/pipelines", { headers: auth });
  expect(pipelines.status()).toBe(200);
  const [pipeline] = ((await pipelines.json()) as { data: { id: string; stages: { id: string }[] }[] }).data;
  const created = await request.post("/api/v1/deals", { headers: auth, data: { title: "From the API", pipelineId: pipeline!.id, stageId: pipeline!.stages[0]!.id, value: 2500 } });
  expect(created.status()).toBe(201);
  const invalid = await request.post("/api/v1/deals", { headers: auth, data: { title: "" } });
  expect(invalid.status()).toBe(422);
  expect(invalid.headers()["content-type"]).toBe("application/problem+json");

  await page.reload();
  await expect(row).not.toContainText("Never"); // last used
  page.once("dialog", (dialog) => dialog.accept());
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("Revoked");
  expect((await request.get("/api/v1/pipelines", { headers: auth })).status()).toBe(401);

  await page.getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByText("No webhooks yet.")).toBeVisible();
  await page.getByLabel("URL").fill("https://hooks.example.com/pipewise");
  await page.getByLabel("Deal moved").check();
  await page.getByRole("button", { name: "Add webhook" }).click();
  const subscription = page.getByTestId("webhook-subscription");
  await expect(subscription).toContainText("https://hooks.example.com/pipewise");
  await expect(subscription).toContainText("deal.moved");
  await expect(subscription).toContainText("Enabled");
  await subscription.getByRole("button", { name: "Disable" }).click();
  await expect(subscription).toContainText("Disabled");
  await page.screenshot({ path: "test-results/webhooks.png", fullPage: true });

  const openapi = await request.get("/api/v1/openapi.json");
  expect(openapi.status()).toBe(200);
  expect(((await openapi.json()) as { openapi: string }).openapi).toBe("3.1.0");
  await page.goto(`/w/${slug}/settings/api/reference`);
  await expect(page.getByRole("heading", { name: "Pipewise REST API" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Deals", exact: true })).toBeVisible();
  await expect(page.locator("#updateDeal")).toContainText("/api/v1/deals/{dealId}");
  await page.screenshot({ path: "test-results/api-reference.png" });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/w/${slug}/settings/webhooks`);
  await page.screenshot({ path: "test-results/webhooks-phone.png", fullPage: true });
});
