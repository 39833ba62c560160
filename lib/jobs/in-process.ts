/**
 * The in-process tick: when Pipewise runs embedded (`npm start`, no DATABASE_URL) or PIPEWISE_INPROCESS_TICK=1,
 * the server runs the engine itself every few seconds, so a demo needs no cron. One tick at a time (the next
 * one is scheduled only when the previous finished), stopped on shutdown. Concurrent ticks from other
 * instances or the cron route are safe anyway: jobs are claimed with SKIP LOCKED.
 */
export const DEFAULT_TICK_INTERVAL_MS = 5_000;

export function shouldTickInProcess(env: Record<string, string | undefined> = process.env): boolean {
  if (env.PIPEWISE_INPROCESS_TICK === "1") return true;
  if (env.PIPEWISE_INPROCESS_TICK === "0") return false;
  return !env.DATABASE_URL;
}

export type Ticker = { stop: () => Promise<void>; readonly running: boolean };

/**
 * Calls `run` every `intervalMs` (measured from the end of the previous run, so runs never overlap) until
 * stopped. A failing run is reported to `onError` and the ticker goes on. `stop` waits for a run in flight.
 */
export function startTicker(run: () => Promise<unknown>, intervalMs = DEFAULT_TICK_INTERVAL_MS, onError: (error: unknown) => void = () => {}): Ticker {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | undefined;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = run()
        .then(
          () => undefined,
          (error: unknown) => onError(error),
        )
        .finally(() => {
          inFlight = undefined;
          schedule();
        });
    }, intervalMs);
    timer.unref?.();
  };
  schedule();
  return {
    get running() {
      return !stopped;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}

const g = globalThis as unknown as { __pipewiseTicker?: Ticker };

/**
 * Starts the process's one ticker (a second call is a no-op) and stops it on SIGTERM/SIGINT, so no new tick
 * begins while the server shuts down. A tick cut short by the exit loses nothing: its jobs' leases expire
 * and the next tick runs them again.
 */
export function startInProcessTick(run: () => Promise<unknown>, intervalMs = DEFAULT_TICK_INTERVAL_MS): Ticker {
  if (g.__pipewiseTicker?.running) return g.__pipewiseTicker;
  const ticker = startTicker(run, intervalMs, (error) => console.error("[pipewise] tick failed:", error));
  g.__pipewiseTicker = ticker;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      // Next.js exits on these signals itself; if nothing else listens, re-raise so the default still applies.
      void ticker.stop().finally(() => {
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    });
  }
  return ticker;
}
