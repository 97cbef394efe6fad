/**
 * Cairn client for Node scripts:
 *
 *   const run = await init("acme/vision", { fields: { "params/lr": 1e-3 } });
 *   run.append("train/loss", loss, { step });
 *   await run.finish();
 */
export { init } from "./init";
export { Run, type CreatedRun } from "./run";
export { CairnHttpError, CairnSendError, type SendFailure } from "./errors";
export type { InitOptions, Tuning, FieldValue } from "./config";
export type { AppendOptions } from "./queue";
export type { UploadOptions, UploadSource } from "./uploads";
export type { FinalState } from "../contracts/runs";
