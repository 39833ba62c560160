import { describe, expect, it } from "vitest";
import { clientIp } from "@/lib/auth/client-ip";

describe("clientIp", () => {
  it("takes the right-most X-Forwarded-For entry (added by next start) when no proxy is trusted", () => {
    expect(clientIp("6.6.6.6, 10.0.0.1", 0)).toBe("10.0.0.1");
  });
  it("ignores client-supplied entries left of the trusted proxies", () => {
    expect(clientIp("1.2.3.4, 203.0.113.9, 10.0.0.2", 1)).toBe("203.0.113.9");
    expect(clientIp("spoofed, 203.0.113.9, 10.0.0.2, 10.0.0.3", 2)).toBe("203.0.113.9");
  });
  it("never reads past the left end, and answers null without the header", () => {
    expect(clientIp("203.0.113.9", 3)).toBe("203.0.113.9");
    expect(clientIp(null)).toBeNull();
    expect(clientIp("  ,  ")).toBeNull();
  });
});
