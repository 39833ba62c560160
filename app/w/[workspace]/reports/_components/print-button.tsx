"use client";

import type { ReactNode } from "react";
import { buttonClass } from "../../../../_components/ui";

/** Opens the browser's print dialog (the print stylesheet drops the app chrome, so "Save as PDF" is clean). */
export function PrintButton({ label, icon }: { label: string; icon?: ReactNode }) {
  return (
    <button type="button" className={buttonClass("secondary")} onClick={() => window.print()}>
      {icon} {label}
    </button>
  );
}
