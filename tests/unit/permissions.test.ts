import { describe, expect, it } from "vitest";
import { can, roles } from "@/lib/auth/permissions";

// Invariants other code relies on; a matrix change that breaks one must be a deliberate decision.
describe("permission matrix invariants", () => {
  it("whoever manages pipelines also sees every deal (settings count deals regardless of visibility)", () => {
    for (const role of roles) if (can(role, "pipelines.manage")) expect(can(role, "deals.readAll")).toBe(true);
  });
  it("only reps lack deals.readAll (the digest email's SQL hides other owners' deal titles from reps alone)", () => {
    expect(roles.filter((r) => !can(r, "deals.readAll"))).toEqual(["rep"]);
  });
  it("whoever may write deals or contacts may read them", () => {
    for (const role of roles) {
      if (can(role, "deals.write")) expect(can(role, "deals.read")).toBe(true);
      if (can(role, "contacts.write")) expect(can(role, "contacts.read")).toBe(true);
    }
  });
  it("contacts.manageAny (delete or reassign anyone's contact or company) goes to managers and up, who also write contacts", () => {
    expect(roles.filter((r) => can(r, "contacts.manageAny"))).toEqual(["owner", "admin", "manager"]);
    for (const role of roles) if (can(role, "contacts.manageAny")) expect(can(role, "contacts.write")).toBe(true);
  });
  it("only owners delete a workspace; admins manage members and settings; reps manage neither", () => {
    expect(roles.filter((r) => can(r, "workspace.delete"))).toEqual(["owner"]);
    expect(roles.filter((r) => can(r, "members.manage"))).toEqual(["owner", "admin"]);
    expect(can("rep", "settings.manage")).toBe(false);
  });
});
