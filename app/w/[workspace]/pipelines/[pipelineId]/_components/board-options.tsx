"use client";

import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { loadBoardOptionsAction } from "../actions";

export type BoardOptions = NonNullable<Extract<Awaited<ReturnType<typeof loadBoardOptionsAction>>, { ok: true }>["data"]>;

const BoardOptionsContext = createContext<{ options: BoardOptions | null; load: () => Promise<BoardOptions | null> }>({
  options: null,
  load: async () => null,
});

/**
 * The pick lists of the board's dialogs and menus (members, sources, lost reasons, activity types, deal fields),
 * fetched once when the user starts to interact with the page — the pointer over it, focus inside it, a touch —
 * instead of being sent in the page (issue #11: they were most of the board's props in a large team). A dialog
 * that needs them waits for `load()`; the request is made once per page view.
 */
export function BoardOptionsProvider({ slug, pipelineId, children }: { slug: string; pipelineId: string; children: ReactNode }) {
  const te = useTranslations("errors");
  const [options, setOptions] = useState<BoardOptions | null>(null);
  const pending = useRef<Promise<BoardOptions | null> | null>(null);
  const load = useCallback(() => {
    pending.current ??= loadBoardOptionsAction(slug, undefined, { pipelineId }).then(
      (result) => {
        if (result.ok && result.data) {
          setOptions(result.data);
          return result.data;
        }
        pending.current = null; // refused (signed out, removed from the workspace…): the next need asks again
        const code = result.ok ? "invalid" : result.message.replace(/^errors\./, "");
        toast.error(te.has(code) ? te(code) : te("invalid"));
        return null;
      },
      () => (pending.current = null), // network: the next need asks again
    );
    return pending.current;
  }, [slug, pipelineId, te]);
  // Mere interaction asks once; what needs the lists (a dialog, a drag) asks again after a failure.
  const asked = useRef(false);
  const intent = () => {
    if (asked.current) return;
    asked.current = true;
    void load();
  };
  return (
    <BoardOptionsContext.Provider value={{ options, load }}>
      <div className="flex flex-col" onPointerOver={options ? undefined : intent} onFocus={options ? undefined : intent} onTouchStart={options ? undefined : intent}>
        {children}
      </div>
    </BoardOptionsContext.Provider>
  );
}

export function useBoardOptions() {
  return useContext(BoardOptionsContext);
}
