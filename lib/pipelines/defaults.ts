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

type StageDefault = { name: string; probability: number; rottingDays: number };
export type WorkspaceDefaults = { pipelineName: string; stages: readonly StageDefault[]; dealSources: string[]; lostReasons: string[] };

/**
 * What a new workspace starts with, in the language of the person who creates it: these are workspace data
 * (renamable, shown to everyone as typed), so they are written once in that language rather than translated
 * on display. Same stages, probabilities and rotting days in every language.
 */
export const workspaceDefaults: Record<"en" | "zh-CN", WorkspaceDefaults> = {
  en: { pipelineName: "Sales pipeline", stages: defaultStages, dealSources: defaultDealSources, lostReasons: defaultLostReasons },
  "zh-CN": {
    pipelineName: "销售管道",
    stages: ["线索", "已确认需求", "演示", "方案报价", "谈判"].map((name, i) => ({ ...defaultStages[i]!, name })),
    dealSources: ["转介绍", "陌生开发邮件", "主动咨询", "活动", "合作伙伴", "官网"],
    lostReasons: ["价格", "选择了竞争对手", "没有预算", "迟迟未决策", "时机不对", "需求不匹配"],
  },
};

/** The defaults for a UI locale (English for anything else). */
export const defaultsFor = (locale: string | null | undefined): WorkspaceDefaults => (locale === "zh-CN" ? workspaceDefaults["zh-CN"] : workspaceDefaults.en);
