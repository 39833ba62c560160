"use client";

import { useSyncExternalStore } from "react";

let zoneCache: string[] | undefined;
const browserZones = () => (zoneCache ??= typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : []);
const noZones: string[] = [];
const subscribeNever = () => () => {};

/**
 * IANA time-zone suggestions for an input's `list`, from the browser's own list. None in the server HTML: the
 * server's and the browser's lists differ, which would be a hydration mismatch.
 */
export function TimeZoneDatalist({ id }: { id: string }) {
  const zones = useSyncExternalStore(subscribeNever, browserZones, () => noZones);
  return (
    <datalist id={id}>
      {zones.map((z) => (
        <option key={z} value={z} />
      ))}
    </datalist>
  );
}
