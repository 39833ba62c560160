#!/usr/bin/env node
// postinstall: makes drizzle-orm 0.45's `is()` remember each class's entity kinds (decision 63).
// drizzle asks `is(value, SomeClass)` for every chunk of every statement it builds and for every column of every
// row it maps. A miss (most calls: a chunk is tried against each kind in turn) walks the value's class chain,
// and `entityKind in cls` walks the static chain again at each step. Upstream made the same walk cheaper in
// drizzle-team/drizzle-orm#6129 (the 1.0 line, not released for 0.45). Here the kinds found along a class's
// chain are kept in a WeakMap keyed by the class, so a miss costs a map lookup. Same answers: an instance of
// the class, or of any class whose chain carries the same entity kind (another copy of drizzle), is one; a
// value with no prototype is not (upstream #5625; the original threw). tests/unit/drizzle-is.test.ts checks the
// answers and that the patch is installed. Idempotent; fails loudly if drizzle's code is not what it expects
// (a new version: check whether upstream has the fix, then drop or update this script). scripts/patch-package.mjs
// applies the edits.
import { patchPackage } from "./patch-package.mjs";

const MARK = "/* pipewise: entity kinds remembered */";

const walk = `  let cls = Object.getPrototypeOf(value).constructor;
  if (cls) {
    while (cls) {
      if (entityKind in cls && cls[entityKind] === type[entityKind]) {
        return true;
      }
      cls = Object.getPrototypeOf(cls);
    }
  }
  return false;
}`;
const remembered = `  ${MARK}
  const cls = Object.getPrototypeOf(value)?.constructor;
  if (!cls) {
    return false;
  }
  let kinds = kindsOf.get(cls);
  if (kinds === undefined) {
    kinds = new Set();
    for (let c = cls; c; c = Object.getPrototypeOf(c)) {
      if (Object.prototype.hasOwnProperty.call(c, entityKind)) kinds.add(c[entityKind]);
    }
    kindsOf.set(cls, kinds);
  }
  return kinds.has(type[entityKind]);
}`;
const edits = [
  ["function is(value, type) {", "const kindsOf = new WeakMap();\nfunction is(value, type) {"],
  [walk, remembered],
];

patchPackage({
  name: "drizzle-orm",
  files: ["entity.js", "entity.cjs"],
  mark: MARK,
  edits,
  recheck: "check whether upstream made is() cheaper (drizzle-orm#6129) and update scripts/patch-drizzle.mjs",
  applied: "is() remembers entity kinds",
});
