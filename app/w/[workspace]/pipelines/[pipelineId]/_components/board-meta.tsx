"use client";

import { createContext, useContext, useState, type Dispatch, type ReactNode, type SetStateAction } from "react";
import { useLocale, useTranslations } from "next-intl";
import { boardTotals, type BoardMeta, type ColumnMeta } from "@/lib/deals/board-meta";
import { moneyTotalsText } from "./money-totals";

const BoardMetaContext = createContext<{ meta: BoardMeta; setMeta: Dispatch<SetStateAction<BoardMeta>> } | null>(null);

/**
 * Column counts and totals shared by the board (its headers) and the toolbar (the pipeline summary), so a move
 * updates both at once without asking the server. Server data wins whenever the page is refreshed.
 */
export function BoardMetaProvider({ columns, children }: { columns: (ColumnMeta & { id: string })[]; children: ReactNode }) {
  // the page passes its columns (with names and cards, shared with the board: sent once); keep what meta is
  const toMeta = (list: typeof columns): BoardMeta => Object.fromEntries(list.map(({ id, count, probability, totals }) => [id, { count, probability, totals }]));
  const [meta, setMeta] = useState(() => toMeta(columns));
  const [server, setServer] = useState(columns);
  if (server !== columns) {
    setServer(columns);
    setMeta(toMeta(columns));
  }
  return <BoardMetaContext.Provider value={{ meta, setMeta }}>{children}</BoardMetaContext.Provider>;
}

export function useBoardMeta() {
  const value = useContext(BoardMetaContext);
  if (!value) throw new Error("useBoardMeta outside BoardMetaProvider");
  return value;
}

/** "N deals · $X · weighted $Y" for the whole pipeline. */
export function BoardSummary({ currency }: { currency: string }) {
  const t = useTranslations("board");
  const locale = useLocale();
  const { count, totals } = boardTotals(useBoardMeta().meta);
  return (
    <>
      {/* one string: no React text separators in the HTML */}
      {`${t("summary", { count })} · ${moneyTotalsText(totals, locale, currency)} · ${t("weighted")} ${moneyTotalsText(totals, locale, currency, true)}`}
    </>
  );
}
