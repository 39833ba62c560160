import { currencyDigits } from "../../format";
import { z } from "../../validation";

/** Minor units → the JSON number of major units (123456 USD → 1234.56). */
export const toMajor = (minor: number, currency: string) => minor / 10 ** currencyDigits(currency);

export const uuidRef = (what: string) => z.uuid().nullable().optional().describe(`Id of the ${what} (null clears it).`);
export const customFieldsInput = z.record(z.string().max(60), z.unknown()).optional().describe("Custom field values by field key; each is checked against the field's type (options by id or label, money in major units; null clears a value).");
export const customFieldsOutput = z.record(z.string(), z.unknown()).describe("Custom field values by field key: option ids for selects, user ids for people, money in major units.");
export const timestamp = z.iso.datetime({ offset: true });
export const nullableTimestamp = timestamp.nullable();
export const okSchema = z.object({ ok: z.literal(true) });
