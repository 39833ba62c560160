import { describe, expect, it } from "vitest";
import { firstValues, listHref, pageRange, sortHref } from "@/app/w/[workspace]/contacts/_components/list-url";

const defaultDir = (s: "name" | "created") => (s === "created" ? "desc" : "asc") as "asc" | "desc";

describe("list URLs", () => {
  it("keeps the first value of repeated params and drops empty ones", () => {
    expect(firstValues({ q: ["ann", "bob"], owner: "", page: "2", sort: undefined })).toEqual({ q: "ann", page: "2" });
  });

  it("changes one param, drops the page and sorts keys for stable links", () => {
    expect(listHref("/w/acme/contacts", { q: "ann", page: "3", lifecycle: "lead" }, { owner: "me" })).toBe("/w/acme/contacts?lifecycle=lead&owner=me&q=ann");
  });

  it("removes a param set to undefined or empty, and page 1", () => {
    expect(listHref("/c", { q: "ann", page: "2" }, { q: "" })).toBe("/c");
    expect(listHref("/c", { q: "ann" }, { page: "1" })).toBe("/c?q=ann");
    expect(listHref("/c", { q: "a b&c" }, { page: "2" })).toBe("/c?page=2&q=a+b%26c");
  });

  it("flips the active column and starts a new column at its natural direction", () => {
    expect(sortHref("/c", {}, "name", { sort: "created", dir: "desc" }, defaultDir)).toBe("/c?sort=name");
    expect(sortHref("/c", { sort: "name" }, "name", { sort: "name", dir: "asc" }, defaultDir)).toBe("/c?dir=desc&sort=name");
    expect(sortHref("/c", { sort: "name", dir: "desc", page: "2" }, "name", { sort: "name", dir: "desc" }, defaultDir)).toBe("/c?sort=name");
    expect(sortHref("/c", {}, "created", { sort: "name", dir: "asc" }, defaultDir)).toBe("/c?sort=created");
  });

  it("computes the visible row range", () => {
    expect(pageRange(1, 50, 0)).toEqual({ from: 0, to: 0 });
    expect(pageRange(1, 50, 122)).toEqual({ from: 1, to: 50 });
    expect(pageRange(3, 50, 122)).toEqual({ from: 101, to: 122 });
  });
});
