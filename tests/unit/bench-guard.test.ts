import { describe, expect, it } from "vitest";
import { benchEnabled, benchGuard } from "@/app/api/bench/_lib/guard";

const secret = "bench-secret-0123456789";
const call = (authorization?: string) => new Request("http://localhost/api/bench/trace", { method: "POST", headers: authorization ? { authorization } : {} });

describe("bench-only routes", () => {
  it("do not exist unless the server runs with PIPEWISE_BENCH=1 and a long enough secret", () => {
    expect(benchEnabled({})).toBe(false);
    expect(benchEnabled({ PIPEWISE_BENCH: "1" })).toBe(false);
    expect(benchEnabled({ PIPEWISE_BENCH: "1", PIPEWISE_BENCH_SECRET: "short" })).toBe(false);
    expect(benchEnabled({ PIPEWISE_BENCH: "0", PIPEWISE_BENCH_SECRET: secret })).toBe(false);
    expect(benchGuard(call(`Bearer ${secret}`), { PIPEWISE_BENCH_SECRET: secret })?.status).toBe(404);
  });

  it("refuse a call without the bearer secret, or with another one", () => {
    const env = { PIPEWISE_BENCH: "1", PIPEWISE_BENCH_SECRET: secret };
    expect(benchGuard(call(), env)?.status).toBe(401);
    expect(benchGuard(call("Bearer bench-secret-0123456780"), env)?.status).toBe(401);
    expect(benchGuard(call(secret), env)?.status).toBe(401);
    expect(benchGuard(call(`Bearer ${secret}`), env)).toBeNull();
  });
});
