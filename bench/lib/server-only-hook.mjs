// Preloaded into bench child processes: `server-only` (which throws outside React's server build) resolves to an
// empty module, as Vitest's alias does for the tests — lib modules load in plain Node, and React stays the
// ordinary client build (the react-server condition would break libraries such as next-intl).
import { register } from "node:module";

const hooks = `export async function resolve(specifier, context, next) {
  if (specifier === "server-only") return { url: "data:text/javascript,export {};", shortCircuit: true };
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
