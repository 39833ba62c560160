import { z } from "../validation";

export const subscriptionSchema = z.object({
  subscribed: z.preprocess((v) => v === true || v === "true" || v === "1" || v === "on", z.boolean()),
});
