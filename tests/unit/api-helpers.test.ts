import { describe, expect, it } from "vitest";
import { z } from "@/lib/validation";
import { AppError } from "@/lib/errors";
import { errorResponse, messageText, validationProblem } from "@/lib/api/problem";
import { customForApi } from "@/lib/api/money-fields";
import { toMajor } from "@/lib/api/resources/common";
import { hashApiToken, newApiToken, tokenPrefix } from "@/lib/api-keys/token";

describe("API problem responses", () => {
  it("words domain i18n keys in English and leaves unknown keys as they are", () => {
    expect(messageText("errors.NOT_FOUND")).toMatch(/^Not found/);
    expect(messageText("api.atInFuture")).toBe("at cannot be in the future.");
    expect(messageText("errors.noSuchKey")).toBe("errors.noSuchKey");
  });

  it("lists every field's problem, unknown fields by name, nested paths with dots", async () => {
    const schema = z.strictObject({ title: z.string().min(1), stages: z.array(z.object({ probability: z.number().max(100) })) });
    const parsed = schema.safeParse({ title: "", stages: [{ probability: 120 }], colour: "red" });
    const response = validationProblem(parsed.error!);
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = (await response.json()) as { status: number; errors: Record<string, string[]> };
    expect(Object.keys(body.errors).sort()).toEqual(["colour", "stages.0.probability", "title"]);
    expect(body.errors.colour).toEqual(["Unknown field."]);
  });

  it("maps AppErrors to statuses; a NOT_FOUND naming a field (a foreign stage id) is a 422 on that field", async () => {
    expect(errorResponse(new AppError("NOT_FOUND")).status).toBe(404);
    expect(errorResponse(new AppError("FORBIDDEN")).status).toBe(403);
    expect(errorResponse(new AppError("CONFLICT", "errors.contactEmailTaken")).status).toBe(409);
    const foreign = errorResponse(new AppError("NOT_FOUND", "errors.stageNotFound", { stageId: ["errors.stageNotFound"] }));
    expect(foreign.status).toBe(422);
    expect(Object.keys(((await foreign.json()) as { errors: object }).errors)).toEqual(["stageId"]);
    const custom = errorResponse(new AppError("VALIDATION", "errors.VALIDATION", { "custom.seats": ["errors.invalid"] }));
    expect(Object.keys(((await custom.json()) as { errors: object }).errors)).toEqual(["customFields.seats"]);
    expect(() => errorResponse(new Error("boom"))).toThrow("boom");
  });
});

describe("money in the API", () => {
  it("shows minor units as major units of the currency", () => {
    expect(toMajor(123450, "USD")).toBe(1234.5);
    expect(toMajor(1500, "JPY")).toBe(1500);
    expect(toMajor(1234, "KWD")).toBe(1.234);
  });

  it("converts only money custom fields", () => {
    expect(customForApi({ budget: 1250, seats: 3, plan: "opt_1" }, new Map([["budget", "EUR"]]))).toEqual({ budget: 12.5, seats: 3, plan: "opt_1" });
    expect(customForApi({ seats: 3 }, undefined)).toEqual({ seats: 3 });
  });
});

describe("API key tokens", () => {
  it("are pw_ + 32 random bytes, hashed with SHA-256, shown by an 11-character prefix", () => {
    const a = newApiToken();
    const b = newApiToken();
    expect(a).toMatch(/^pw_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(hashApiToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiToken(a)).toBe(hashApiToken(a));
    expect(tokenPrefix(a)).toBe(a.slice(0, 11));
  });
});
