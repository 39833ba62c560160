import { afterEach, describe, expect, it, vi } from "vitest";
import { backoffMs } from "@/lib/jobs/backoff";
import { checkCronAuth } from "@/lib/jobs/cron-auth";
import { shouldTickInProcess, startTicker } from "@/lib/jobs/in-process";
import { periodicSlot } from "@/lib/jobs/schedule";
import { jobState } from "@/lib/jobs/state";

const now = new Date("2026-03-10T09:00:00Z");

describe("backoff", () => {
  it("doubles from 30 seconds and stops at one hour", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(backoffMs)).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000]);
    expect(backoffMs(100)).toBe(3_600_000);
  });
});

describe("job state", () => {
  const base = { doneAt: null, lockedUntil: null, attempts: 0, maxAttempts: 3 };
  it.each([
    ["pending when never tried", base, "pending"],
    ["pending between retries", { ...base, attempts: 2 }, "pending"],
    ["running while its lease holds", { ...base, attempts: 1, lockedUntil: new Date(now.getTime() + 1) }, "running"],
    ["running even on its last attempt", { ...base, attempts: 3, lockedUntil: new Date(now.getTime() + 1) }, "running"],
    ["dead when attempts are used up", { ...base, attempts: 3 }, "dead"],
    ["dead when its last attempt's lease expired", { ...base, attempts: 3, lockedUntil: now }, "dead"],
    ["pending again when a lease expired with attempts left", { ...base, attempts: 1, lockedUntil: now }, "pending"],
    ["done wins over everything", { ...base, attempts: 3, doneAt: now }, "done"],
  ] as const)("%s", (_name, job, state) => {
    expect(jobState(job, now)).toBe(state);
  });
});

describe("cron route authentication", () => {
  const prod = { CRON_SECRET: "s3cret-value", NODE_ENV: "production" };
  it("accepts the bearer secret", () => {
    expect(checkCronAuth("Bearer s3cret-value", prod)).toEqual({ ok: true });
    expect(checkCronAuth("bearer   s3cret-value ", prod)).toEqual({ ok: true });
  });
  it.each([null, "", "Bearer", "Bearer wrong", "Basic s3cret-value", "s3cret-value", "Bearer s3cret-value2"])("refuses %j with 401", (header) => {
    expect(checkCronAuth(header, prod)).toMatchObject({ ok: false, status: 401 });
  });
  it("refuses everything when CRON_SECRET is unset in production", () => {
    expect(checkCronAuth("Bearer anything", { NODE_ENV: "production" })).toMatchObject({ ok: false, status: 503 });
    expect(checkCronAuth(null, { CRON_SECRET: "", NODE_ENV: "production" })).toMatchObject({ ok: false, status: 503 });
  });
  it("lets `next dev` tick without a secret", () => {
    expect(checkCronAuth(null, { NODE_ENV: "development" })).toEqual({ ok: true });
  });
});

describe("periodic slots", () => {
  it("gives every instance in the same slot the same key", () => {
    const job = { kind: "prune-jobs", everyMs: 3_600_000 };
    const a = periodicSlot(job, new Date("2026-03-10T09:05:00Z"));
    const b = periodicSlot(job, new Date("2026-03-10T09:59:59Z"));
    const c = periodicSlot(job, new Date("2026-03-10T10:00:00Z"));
    expect(a).toEqual(b);
    expect(a.runAt.toISOString()).toBe("2026-03-10T09:00:00.000Z");
    expect(c.key).not.toBe(a.key);
  });
});

describe("in-process tick", () => {
  afterEach(() => vi.useRealTimers());

  it("runs embedded or when asked, not on PostgreSQL by default", () => {
    expect(shouldTickInProcess({})).toBe(true);
    expect(shouldTickInProcess({ DATABASE_URL: "postgres://x" })).toBe(false);
    expect(shouldTickInProcess({ DATABASE_URL: "postgres://x", PIPEWISE_INPROCESS_TICK: "1" })).toBe(true);
    expect(shouldTickInProcess({ PIPEWISE_INPROCESS_TICK: "0" })).toBe(false);
  });

  it("never overlaps itself, survives a failing tick and stops cleanly", async () => {
    vi.useFakeTimers();
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const errors: unknown[] = [];
    const ticker = startTicker(
      async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        runs += 1;
        await new Promise((resolve) => setTimeout(resolve, 12_000)); // slower than the interval
        active -= 1;
        if (runs === 2) throw new Error("database restarting");
      },
      5_000,
      (error) => errors.push(error),
    );
    await vi.advanceTimersByTimeAsync(60_000);
    expect(maxActive).toBe(1);
    expect(runs).toBe(4); // 5 s wait + 12 s run, repeated: starts at 5, 22, 39, 56 s
    expect(errors).toHaveLength(1);
    const stopping = ticker.stop();
    await vi.advanceTimersByTimeAsync(12_000); // lets the run in flight finish
    await stopping;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toBe(4);
    expect(ticker.running).toBe(false);
  });
});
