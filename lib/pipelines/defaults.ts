/** The stages a new pipeline starts with (Pipedrive's classic set), probabilities in whole percent. */
export const defaultStages = [
  { name: "Lead in", probability: 10, rottingDays: 14 },
  { name: "Qualified", probability: 25, rottingDays: 14 },
  { name: "Demo", probability: 50, rottingDays: 21 },
  { name: "Proposal", probability: 70, rottingDays: 21 },
  { name: "Negotiation", probability: 90, rottingDays: 30 },
] as const;

export const defaultDealSources = ["Referral", "Cold email", "Inbound", "Event", "Partner", "Website"];
export const defaultLostReasons = ["Price", "Chose a competitor", "No budget", "No decision", "Timing", "Bad fit"];
