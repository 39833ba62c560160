import type { ReactNode } from "react";
import { Logo } from "../_components/logo";
import { LocaleSwitcher } from "../_components/locale-switcher";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-4 py-10">
      <div className="mb-8">
        <Logo className="text-lg" />
      </div>
      <div className="w-full max-w-sm">{children}</div>
      <div className="mt-8">
        <LocaleSwitcher />
      </div>
    </main>
  );
}
