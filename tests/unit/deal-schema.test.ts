import { describe, expect, it } from "vitest";
import { createDealSchema, dealFiltersSchema, updateDealSchema } from "@/lib/deals/schema";

const dealId = "6f9619ff-8b86-4d11-b42d-00c04fc964ff";

describe("deal input schemas", () => {
  it("an inline edit of one field carries only that field (others are not nulled)", () => {
    expect(updateDealSchema.parse({ dealId, title: " New title " })).toEqual({ dealId, title: "New title" });
    expect(updateDealSchema.parse({ dealId, contactId: "" })).toEqual({ dealId, contactId: null });
  });

  it("a new deal defaults its optional links to null and keeps the typed amount as text", () => {
    const parsed = createDealSchema.parse({ title: "T", pipelineId: dealId, stageId: dealId, value: "12.50" });
    expect(parsed).toMatchObject({ title: "T", value: "12.50", ownerId: null, contactId: null, companyId: null, expectedCloseDate: null });
  });

  it("refuses bad dates, currencies and emails with i18n keys", () => {
    const result = createDealSchema.safeParse({ title: "", pipelineId: dealId, stageId: dealId, currency: "dollars", expectedCloseDate: "2026-02-30", newContactEmail: "nope" });
    expect(result.success).toBe(false);
    const messages = result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}:${i.message}`);
    expect(messages).toEqual(expect.arrayContaining(["title:errors.required", "currency:errors.invalidCurrency", "expectedCloseDate:errors.invalidDate", "newContactEmail:errors.invalidEmail"]));
  });

  it("board filters from the URL ignore junk instead of failing the page", () => {
    expect(dealFiltersSchema.parse({ owner: "x", status: "nope", stuck: "1", closeFrom: "bad" })).toEqual({ stuck: true });
    expect(dealFiltersSchema.parse({ owner: "me", status: "won", q: "  acme " })).toMatchObject({ owner: "me", status: "won", q: "acme" });
  });
});
