import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { addDelay, inWindow, localParts, nextWindowStart, smsWindow, type SendingWindow } from "@/lib/sequences/window";

// Zones with DST on either hemisphere, half-hour and 45-minute offsets, a zone that skips midnight, and UTC.
const zones = ["UTC", "America/New_York", "America/Los_Angeles", "Europe/Berlin", "Europe/London", "Australia/Sydney", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tokyo", "America/Santiago", "Pacific/Chatham", "America/Havana"];

// Instants around DST changes of 2026 (and ordinary days), to the minute.
const instant = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }).map((ms) => new Date(Math.floor(ms / 60_000) * 60_000));
const window: fc.Arbitrary<SendingWindow> = fc
  .record({
    days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    start: fc.integer({ min: 0, max: 287 }),
    length: fc.integer({ min: 1, max: 288 }),
  })
  .map(({ days, start, length }) => ({ days, startMinute: start * 5, endMinute: Math.min(1440, (start + length) * 5) }));

describe("sending window (property-based, across time zones and DST)", () => {
  it("the next send time is never before `from`, and lies inside the window in the recipient's zone", () => {
    fc.assert(
      fc.property(instant, window, fc.constantFrom(...zones), (from, w, tz) => {
        const at = nextWindowStart(from, w, tz);
        expect(at).not.toBeNull();
        expect(at!.getTime()).toBeGreaterThanOrEqual(from.getTime());
        expect(inWindow(at!, w, tz)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("is the earliest such instant: no five-minute mark between `from` and it is inside the window", () => {
    fc.assert(
      fc.property(instant, window, fc.constantFrom(...zones), (from, w, tz) => {
        const at = nextWindowStart(from, w, tz)!;
        if (inWindow(from, w, tz)) {
          expect(at.getTime()).toBe(from.getTime());
          return;
        }
        // Window bounds are on five-minute marks; every zone's offset is a multiple of 15 minutes.
        for (let t = Math.ceil(from.getTime() / 300_000) * 300_000; t < at.getTime(); t += 300_000) expect(inWindow(new Date(t), w, tz)).toBe(false);
      }),
      { numRuns: 120 },
    );
  });

  it("an instant already inside the window is sent at once", () => {
    fc.assert(
      fc.property(instant, window, fc.constantFrom(...zones), (from, w, tz) => {
        fc.pre(inWindow(from, w, tz));
        expect(nextWindowStart(from, w, tz)!.getTime()).toBe(from.getTime());
      }),
    );
  });

  it("SMS stay between 08:00 and 21:00 local whatever the sequence's window", () => {
    fc.assert(
      fc.property(instant, window, fc.constantFrom(...zones), (from, w, tz) => {
        const sms = smsWindow(w) ?? { days: w.days, startMinute: 480, endMinute: 1260 };
        const at = nextWindowStart(from, sms, tz)!;
        const local = localParts(at, tz).minute;
        expect(local).toBeGreaterThanOrEqual(480);
        expect(local).toBeLessThan(1260);
      }),
      { numRuns: 200 },
    );
  });

  it("business days skip weekends and keep the local time of day (also across a DST change)", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 15 }), fc.constantFrom(...zones), (from, n, tz) => {
        const to = addDelay(from, n, "business_days", tz);
        const a = localParts(from, tz);
        const b = localParts(to, tz);
        expect(b.isoWeekday).toBeLessThanOrEqual(5);
        // Same wall-clock time unless it fell into a DST gap (then it moves forward by the gap, at most an hour).
        expect(b.minute - a.minute === 0 || (b.minute - a.minute > 0 && b.minute - a.minute <= 60)).toBe(true);
        expect(to.getTime()).toBeGreaterThan(from.getTime());
      }),
      { numRuns: 300 },
    );
  });

  it("examples: New York's spring-forward Sunday, Friday → Monday, Tokyo evening", () => {
    const weekdays = { days: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 1020 };
    // Friday 2026-03-06 18:00 in New York (EST) → Monday 2026-03-09 09:00 EDT (the clocks moved on Sunday).
    expect(nextWindowStart(new Date("2026-03-06T23:00:00Z"), weekdays, "America/New_York")!.toISOString()).toBe("2026-03-09T13:00:00.000Z");
    // Two business days after Friday 10:00 Berlin is Tuesday 10:00 Berlin.
    expect(addDelay(new Date("2026-03-27T09:00:00Z"), 2, "business_days", "Europe/Berlin").toISOString()).toBe("2026-03-31T08:00:00.000Z");
    // 19:00 in Tokyo → 09:00 the next morning there.
    expect(nextWindowStart(new Date("2026-03-10T10:00:00Z"), weekdays, "Asia/Tokyo")!.toISOString()).toBe("2026-03-11T00:00:00.000Z");
    // A window only at 02:00–03:00 on the US spring-forward day does not exist that day: the next Sunday's is used.
    expect(nextWindowStart(new Date("2026-03-08T06:00:00Z"), { days: [7], startMinute: 120, endMinute: 180 }, "America/New_York")!.toISOString()).toBe("2026-03-15T06:00:00.000Z");
    // Minutes and hours are elapsed time.
    expect(addDelay(new Date("2026-03-08T06:30:00Z"), 90, "minutes", "America/New_York").toISOString()).toBe("2026-03-08T08:00:00.000Z");
  });
});
