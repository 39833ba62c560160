import fs from "node:fs";
import { expect, test, type Download, type Page } from "@playwright/test";
import { newUser, signUp } from "./helpers";

// A team moving in from a spreadsheet: upload, match columns, see refused rows in plain words, import the rest,
// find the deals, export them, then revert the import. Each run works in its own new workspace.

const file = [
  "Title;Value;Stage;Status;Contact name;Contact email;Company;Created date;Won/lost date",
  "Contoso licence;1200.50;Demo;Open;Emma Smith;emma@contoso.test;Contoso;2025-01-03;",
  "Fabrikam pilot;-5;Demo;Open;;;;2025-01-04;",
  "Globex renewal;800;Proposal;Won;Li Wei;li@globex.test;Globex;2025-02-01;2025-03-15",
].join("\n");

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; body: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent("download"), click()]);
  const d = download as Download;
  return { name: d.suggestedFilename(), body: fs.readFileSync((await d.path())!) };
}

test("import a deals sheet with a refused row, export the deals, revert the import", async ({ page }) => {
  const slug = await signUp(page, newUser("importer"));
  await page.goto(`/w/${slug}/settings/import`);
  await expect(page.getByRole("heading", { name: "Import data" })).toBeVisible();

  // The template downloads as an XLSX workbook.
  const template = await downloaded(page, () => page.getByRole("link", { name: "Pipeline template (.xlsx)" }).click());
  expect(template.body.subarray(0, 2).toString()).toBe("PK");

  await page.getByLabel("The file contains").selectOption("deals");
  await page.getByLabel("File", { exact: true }).setInputFiles({ name: "pipeline.csv", mimeType: "text/csv", buffer: Buffer.from(file) });
  await page.getByRole("button", { name: "Upload and match columns" }).click();

  // Step 2: every column was recognised.
  await expect(page.getByRole("heading", { name: "Match your columns to Pipewise fields" })).toBeVisible();
  await expect(page.getByLabel("Won/lost date")).toHaveValue("closedAt");
  await page.getByRole("button", { name: "Check the rows" }).click();

  // Step 3: the preview says what will happen and why a row is refused.
  await expect(page.getByRole("heading", { name: "1 row is refused" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Value: must not be negative" })).toBeVisible();
  const importButton = page.getByRole("button", { name: "Import 2 rows" });
  await expect(importButton).toBeDisabled();
  const report = await downloaded(page, () => page.getByRole("link", { name: "Download the error report (CSV)" }).click());
  expect(report.body.toString("utf8")).toMatch(/^\uFEFFRow,Problems,Title/);
  expect(report.body.toString("utf8")).toContain("3,Value: must not be negative,Fabrikam pilot,'-5");

  await page.getByLabel("Import the other rows and leave the refused ones out (they stay in the error report)").check();
  await importButton.click();
  await expect(page.getByRole("heading", { name: "Import finished" })).toBeVisible();
  await expect(page.getByText("2 deals created")).toBeVisible();

  // The deals are there, with their history dates; the list exports them as CSV with a BOM.
  await page.goto(`/w/${slug}/deals?status=all`);
  await expect(page.getByRole("link", { name: "Contoso licence" }).first()).toBeVisible();
  await page.getByRole("button", { name: "Export this list" }).click();
  const csv = await downloaded(page, () => page.getByRole("menuitem", { name: "CSV (UTF-8)" }).click());
  expect(csv.name).toMatch(/^deals-\d{4}-\d\d-\d\d\.csv$/);
  const text = csv.body.toString("utf8");
  expect(text.startsWith("\uFEFFTitle,Value,Currency")).toBe(true);
  expect(text).toContain("Globex renewal,800.00,USD");
  expect(text).toContain("2025-03-15 00:00:00");

  // The owner can take the whole workspace.
  await page.goto(`/w/${slug}/settings/export`);
  const zip = await downloaded(page, () => page.getByRole("link", { name: "Download the workspace (.zip)" }).click());
  expect(zip.body.subarray(0, 2).toString()).toBe("PK");

  // History, then revert: the deals are gone.
  await page.goto(`/w/${slug}/settings/import`);
  await expect(page.getByRole("heading", { name: "Import history" })).toBeVisible();
  await expect(page.getByText("Imported", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Revert" }).first().click();
  await page.getByRole("dialog").getByRole("button", { name: "Revert import" }).click();
  await expect(page.getByText("Reverted", { exact: true })).toBeVisible();
  await page.goto(`/w/${slug}/deals?status=all`);
  await expect(page.getByRole("link", { name: "Contoso licence" })).toHaveCount(0);
});

test("an unreadable file is refused with a reason and nothing is stored", async ({ page }) => {
  const slug = await signUp(page, newUser("junk"));
  await page.goto(`/w/${slug}/settings/import`);
  await page.getByLabel("File", { exact: true }).setInputFiles({ name: "photo.csv", mimeType: "text/csv", buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 1, 2, 3]) });
  await page.getByRole("button", { name: "Upload and match columns" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "This is not a spreadsheet" })).toHaveText("This is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file.");
  await expect(page.getByText("No imports yet. Upload a file above to start.")).toBeVisible();
});
