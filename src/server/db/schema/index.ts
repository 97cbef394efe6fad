export * from "./accounts";
export * from "./projects";
export * from "./runs";
export * from "./fields";
export * from "./audit";
export * from "./sharing";
export * from "./views";
