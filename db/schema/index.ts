export * from "./auth";
export * from "./crm";
export * from "./activities";
export * from "./jobs";
export * from "./imports";
export * from "./custom-fields";
export * from "./workflows";
export * from "./api";
