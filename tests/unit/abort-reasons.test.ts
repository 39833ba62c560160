import { AsyncLocalStorage } from "node:async_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { formatAbortReasonStacks } from "@/lib/runtime/abort-reasons";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/**
 * What React's Flight renderer does at the end of each render: inside a setImmediate callback, within the
 * request's AsyncLocalStorage store, abort a controller with an Error nobody reads. Every tenth controller is
 * kept (as a long-lived handle would keep one render's store). Returns how many of the stores survive a GC.
 */
async function survivingStores(renders: number): Promise<number> {
  const als = new AsyncLocalStorage<{ payload: number[] }>();
  const refs: WeakRef<object>[] = [];
  const kept: AbortController[] = [];
  await new Promise<void>((resolve) => {
    let done = 0;
    for (let i = 0; i < renders; i++) {
      const store = { payload: new Array<number>(1000).fill(i) };
      refs.push(new WeakRef(store));
      als.run(store, () =>
        setImmediate(() => {
          const controller = new AbortController();
          controller.abort(new Error("This render completed successfully."));
          if (i % 10 === 0) kept.push(controller);
          if (++done === renders) setTimeout(resolve, 5);
        }),
      );
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 5));
  gc();
  gc();
  expect(kept.every((c) => c.signal.reason instanceof Error)).toBe(true);
  return refs.filter((r) => r.deref() !== undefined).length;
}

describe("abort reasons' stacks are formatted as they are set (nodejs/node#66129)", () => {
  it("without it, an unread abort reason keeps the render's store and its batch alive; with it, nothing is kept", async () => {
    // The control proves the test can fail: this is the retention the fix removes.
    expect(await survivingStores(60)).toBeGreaterThanOrEqual(6);
    formatAbortReasonStacks();
    expect(await survivingStores(60)).toBe(0);
  });

  it("keeps abort()'s behaviour: the reason given, or an AbortError DOMException, and one abort event", () => {
    formatAbortReasonStacks();
    formatAbortReasonStacks(); // idempotent: not wrapped twice
    const reason = new Error("stop");
    const a = new AbortController();
    let events = 0;
    a.signal.addEventListener("abort", () => (events += 1));
    a.abort(reason);
    a.abort(new Error("again"));
    expect(a.signal.reason).toBe(reason);
    expect(events).toBe(1);
    const b = new AbortController();
    b.abort();
    expect(b.signal.reason).toBeInstanceOf(DOMException);
    expect((b.signal.reason as DOMException).name).toBe("AbortError");
    const c = new AbortController();
    c.abort("a string");
    expect(c.signal.reason).toBe("a string");
  });
});
