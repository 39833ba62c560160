import type { BoardCardDTO } from "@/lib/deals/queries";

/**
 * The board's first-paint cards as the page hands them to the client board: one positional array per card
 * instead of an object, because React sends each card twice — its HTML and its props in the RSC payload — and
 * the props' key names were ~40 % of them (issue #11: ≤ 60 KB of HTML). Pure, used on both sides: the page
 * packs (server), the board unpacks (browser). Absent values are `0` (one byte, and never a real value in these
 * positions) and trailing ones are dropped. "Show more" keeps returning plain BoardCardDTOs.
 *
 *   [id, title, value, ownerName, orgOrPerson, expectedCloseDate, daysInStage (stuck only), status, currency,
 *    next: [type, subject, dueAt, dueDate, overdue, label], custom]
 */
type Absent = 0;
type PackedNext = [type: string, subject: string, dueAt: string | Absent, dueDate: string | Absent, overdue: 1 | Absent, label: string | Absent];
export type PackedCard = [
  id: string,
  title: string,
  value: number,
  ownerName?: string | Absent,
  orgOrPerson?: string | Absent,
  expectedCloseDate?: string | Absent,
  daysInStage?: number | Absent,
  status?: "won" | "lost" | Absent,
  currency?: string | Absent,
  next?: PackedNext | Absent,
  custom?: Record<string, unknown> | Absent,
];

function trimmed<T extends unknown[]>(list: T): T {
  let end = list.length;
  while (end > 0 && list[end - 1] === 0) end--;
  return list.slice(0, end) as T;
}

export function packCard(card: BoardCardDTO): PackedCard {
  const next = card.nextActivity;
  return trimmed<PackedCard>([
    card.id,
    card.title,
    card.value,
    card.ownerName ?? 0,
    card.orgOrPerson ?? 0,
    card.expectedCloseDate ?? 0,
    card.stuck ? (card.daysInStage ?? 0) : 0,
    card.status ?? 0,
    card.currency ?? 0,
    next ? trimmed<PackedNext>([next.type, next.subject, next.dueAt ?? 0, next.dueDate ?? 0, next.overdue ? 1 : 0, next.label ?? 0]) : 0,
    card.custom ?? 0,
  ]);
}

/**
 * The DTO back. A stuck card is one with `daysInStage` (getBoard sends it for stuck deals only; a stuck deal has
 * been in its stage at least a day: days > rotting days ≥ 0, so 0 never stands for a real value).
 */
export function unpackCard(packed: PackedCard): BoardCardDTO {
  const [id, title, value, ownerName, orgOrPerson, expectedCloseDate, daysInStage, status, currency, next, custom] = packed;
  const card: BoardCardDTO = { id, title, value };
  if (ownerName) card.ownerName = ownerName;
  if (orgOrPerson) card.orgOrPerson = orgOrPerson;
  if (expectedCloseDate) card.expectedCloseDate = expectedCloseDate;
  if (daysInStage !== undefined && daysInStage !== 0) {
    card.stuck = true;
    card.daysInStage = daysInStage;
  }
  if (status) card.status = status;
  if (currency) card.currency = currency;
  if (next) {
    const [type, subject, dueAt, dueDate, overdue, label] = next;
    card.nextActivity = { type, subject, dueAt: dueAt || null, dueDate: dueDate || null, overdue: overdue === 1, label: label || null };
  }
  if (custom) card.custom = custom;
  return card;
}
