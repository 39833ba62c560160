import { describe, expect, it } from "vitest";
import { contactListParamsSchema, createContactSchema, contactName } from "@/lib/contacts/schema";
import { companyListParamsSchema, createCompanySchema } from "@/lib/companies/schema";

const messages = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));

describe("contact input", () => {
  it("trims, lower-cases the email, canonicalises the time zone and turns blanks into nulls", () => {
    const parsed = createContactSchema.parse({
      firstName: "  Ann ",
      lastName: "",
      email: "  Ann.Lee@Example.COM ",
      phone: " ",
      title: "",
      companyId: "",
      newCompanyName: "",
      ownerId: "",
      lifecycle: "",
      source: "",
      timeZone: "asia/shanghai",
    });
    expect(parsed).toEqual({
      firstName: "Ann",
      lastName: "",
      email: "ann.lee@example.com",
      phone: null,
      title: null,
      companyId: null,
      newCompanyName: null,
      ownerId: null,
      lifecycle: "lead",
      source: null,
      timeZone: "Asia/Shanghai",
    });
  });

  it("leaves the owner undefined when the field is not sent (the command then uses the caller)", () => {
    expect(createContactSchema.parse({ firstName: "A" }).ownerId).toBeUndefined();
  });

  it("reports each bad field with its own i18n key", () => {
    const result = createContactSchema.safeParse({ firstName: "", email: "ann@", timeZone: "Moon/Base", lifecycle: "vip", companyId: "x" });
    expect(messages(result)).toEqual({
      firstName: "errors.required",
      email: "errors.invalidEmail",
      timeZone: "errors.invalidTimeZone",
      lifecycle: "errors.invalid",
      companyId: "errors.invalid",
    });
  });

  it("refuses over-long fields", () => {
    expect(messages(createContactSchema.safeParse({ firstName: "x".repeat(121) }))).toEqual({ firstName: "errors.tooBig" });
  });

  it("names a contact from first and last name", () => {
    expect(contactName({ firstName: "Ann", lastName: "Lee" })).toBe("Ann Lee");
    expect(contactName({ firstName: "Ann", lastName: "" })).toBe("Ann");
  });
});

describe("company input", () => {
  it.each([
    ["https://www.Acme.com/about?x=1", "acme.com"],
    ["ACME.co.uk.", "acme.co.uk"],
    ["http://shop.acme.io:8080", "shop.acme.io"],
    ["例子.中国", "例子.中国"],
  ])("normalises the domain %s → %s", (input, domain) => {
    expect(createCompanySchema.parse({ name: "Acme", domain }).domain).toBe(domain);
    expect(createCompanySchema.parse({ name: "Acme", domain: input }).domain).toBe(domain);
  });

  it.each(["not a domain", "localhost", "acme", "-acme.com"])("refuses the domain %s", (domain) => {
    expect(messages(createCompanySchema.safeParse({ name: "Acme", domain }))).toEqual({ domain: "errors.invalidDomain" });
  });

  it("requires a name and turns blank optional fields into nulls", () => {
    expect(messages(createCompanySchema.safeParse({ name: "  " }))).toEqual({ name: "errors.required" });
    expect(createCompanySchema.parse({ name: "Acme", domain: "", phone: "", address: "" })).toEqual({ name: "Acme", domain: null, phone: null, address: null });
  });
});

describe("list URL parameters", () => {
  it("keeps valid values and ignores malformed ones instead of failing", () => {
    expect(contactListParamsSchema.parse({ q: " ann ", owner: "me", lifecycle: "customer", sort: "company", dir: "desc", page: "3" })).toEqual({
      q: "ann",
      owner: "me",
      lifecycle: "customer",
      sort: "company",
      dir: "desc",
      page: 3,
    });
    expect(contactListParamsSchema.parse({ owner: "'; drop table", lifecycle: "vip", sort: "email", dir: "up", page: "-1" })).toEqual({
      owner: undefined,
      lifecycle: undefined,
      sort: undefined,
      dir: undefined,
      page: undefined,
    });
    expect(companyListParamsSchema.parse({ sort: "deals", page: "abc" })).toMatchObject({ sort: "deals", page: undefined });
  });
});
