import { beforeAll, describe, expect, it } from "vitest";
import { encode } from "next-auth/jwt";
import { claimsOfToken, sessionTokenFrom } from "@/lib/auth/session-token";

const SECRET = "unit-test-secret-0123456789abcdef0123456789";
const NAME = "authjs.session-token";

beforeAll(() => {
  process.env.AUTH_SECRET = SECRET;
});

/** A session cookie exactly as Auth.js writes it (its own encode, salt = the cookie name). */
const cookieFor = (claims: Record<string, unknown>, o: { salt?: string; secret?: string; maxAge?: number } = {}) =>
  encode({ token: claims, secret: o.secret ?? SECRET, salt: o.salt ?? NAME, maxAge: o.maxAge ?? 3600 });

describe("session cookie claims without Auth.js's session round trip", () => {
  it("reads the user id, session version, session id and expiry of a cookie Auth.js wrote; a missing version never matches", async () => {
    const now = Date.now();
    const claims = await claimsOfToken(await cookieFor({ uid: "u-1", sv: 3, sid: "s-1" }), NAME, now);
    expect(claims).toMatchObject({ userId: "u-1", sessionVersion: 3, sessionId: "s-1" });
    expect(Math.abs(claims!.expiresAt.getTime() - (now + 3_600_000))).toBeLessThan(2_000); // the cookie's exp
    expect(await claimsOfToken(await cookieFor({ uid: "u-2" }), NAME, now)).toMatchObject({ userId: "u-2", sessionVersion: -1, sessionId: null });
  });

  it("refuses a token under another salt or secret, a tampered one, one without a user, and garbage", async () => {
    const now = Date.now();
    const good = await cookieFor({ uid: "u-1", sv: 1 });
    expect(await claimsOfToken(good, `__Secure-${NAME}`, now)).toBeNull();
    expect(await claimsOfToken(await cookieFor({ uid: "u-1", sv: 1 }, { secret: "another-secret-0123456789abcdef0123456" }), NAME, now)).toBeNull();
    const parts = good.split(".");
    parts[3] = `${parts[3]!.slice(0, -2)}${parts[3]!.endsWith("AA") ? "BB" : "AA"}`; // the ciphertext
    expect(await claimsOfToken(parts.join("."), NAME, now)).toBeNull();
    expect(await claimsOfToken(await cookieFor({ sub: "no uid" }), NAME, now)).toBeNull();
    expect(await claimsOfToken("not.a.jwe.at.all", NAME, now)).toBeNull();
    expect(await claimsOfToken("", NAME, now)).toBeNull();
  });

  it("treats an expired token as no session, first read or remembered, with Auth.js's 15 s tolerance", async () => {
    const now = Date.now();
    expect(await claimsOfToken(await cookieFor({ uid: "u-1", sv: 1 }, { maxAge: -60 }), NAME, now)).toBeNull();
    const token = await cookieFor({ uid: "u-9", sv: 2 }, { maxAge: 60 });
    expect(await claimsOfToken(token, NAME, now)).toMatchObject({ userId: "u-9", sessionVersion: 2 }); // decrypted and remembered
    expect(await claimsOfToken(token, NAME, now + 70_000)).toMatchObject({ userId: "u-9", sessionVersion: 2 }); // within the tolerance
    expect(await claimsOfToken(token, NAME, now + 80_000)).toBeNull(); // remembered, but past exp + 15 s
  });

  it("joins a token split into chunks as Auth.js's SessionStore does, and prefers the whole cookie", () => {
    const all = [
      { name: `${NAME}.1`, value: "BBB" },
      { name: "other", value: "x" },
      { name: `${NAME}.0`, value: "AAA" },
      { name: `${NAME}.10`, value: "DDD" },
      { name: `${NAME}.2`, value: "CCC" },
    ];
    expect(sessionTokenFrom(all, NAME)).toBe("AAABBBCCCDDD");
    expect(sessionTokenFrom([{ name: NAME, value: "WHOLE" }, ...all], NAME)).toBe("WHOLE");
    expect(sessionTokenFrom([{ name: `x${NAME}.0`, value: "no" }], NAME)).toBeNull();
    expect(sessionTokenFrom([], NAME)).toBeNull();
  });
});
