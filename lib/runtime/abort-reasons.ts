/**
 * Formats the stack of every AbortController abort reason as it is set, so the reason no longer holds its
 * captured call sites.
 *
 * Why: V8 keeps an Error's call sites — with each frame's receiver — until `error.stack` is first read. React's
 * Flight renderer ends every render with `request.cacheController.abort(Error("This render completed
 * successfully…"))` inside a `setImmediate` callback, and nobody reads that stack. The receiver of that frame is
 * the `Immediate`, which holds the request's AsyncLocalStorage store; a run `Immediate` also keeps its
 * `_idleNext`/`_idlePrev` links to the others of its batch, and those hold their requests' stores (request,
 * response, the rendered payload). One long-lived handle created inside a render (a database socket) is enough
 * to root the whole chain: under ~50 concurrent users the retained heap grew by ~14 MB a minute
 * (nodejs/node#66129; decision 55). Reading `.stack` once replaces the call sites by a string.
 */
const INSTALLED = Symbol.for("pipewise.abortReasonStacks");

type Patched = typeof AbortController.prototype & { [INSTALLED]?: true };

export function formatAbortReasonStacks(): void {
  const proto = AbortController.prototype as Patched;
  if (proto[INSTALLED]) return;
  const abort = proto.abort;
  Object.defineProperty(proto, "abort", {
    configurable: true,
    writable: true,
    value: function abortWithFormattedReason(this: AbortController, reason?: unknown) {
      // abort() without a reason creates its DOMException itself, too late for us: create the same one here.
      const r = reason === undefined ? new DOMException("This operation was aborted", "AbortError") : reason;
      if (r instanceof Error) void r.stack;
      return abort.call(this, r);
    },
  });
  Object.defineProperty(proto, INSTALLED, { value: true });
}
