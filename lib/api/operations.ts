import "server-only";
import type { ApiOperation } from "./operation";
import { activityOperations } from "./resources/activities";
import { dealOperations } from "./resources/deals";
import { meOp } from "./resources/me";
import { partyOperations } from "./resources/parties";
import { pipelineOperations } from "./resources/pipelines";
import { reportOperations } from "./resources/reports";

/** Every operation of the public API, in the order the reference lists them. Route files export their handlers. */
export const apiOperations: ApiOperation[] = [meOp, ...pipelineOperations, ...dealOperations, ...partyOperations, ...activityOperations, ...reportOperations] as ApiOperation[];
