import type { ConditionGroup } from "./schema";
import type { InnerStep, WorkflowStep } from "./schema";

/**
 * A run executes its workflow's steps compiled to a flat program, so that one integer cursor (`next_step`) says
 * where it is and every step job stays idempotent: actions and waits as they are, an if/else as a `branch`
 * instruction that jumps to its else arm when its conditions fail, and a `jump` over the else arm at the end of
 * the then arm. Pure.
 */
export type BranchInstruction = { id: string; type: "branch"; conditions: ConditionGroup; elseAt: number };
export type JumpInstruction = { id: string; type: "jump"; to: number };
export type Instruction = InnerStep | BranchInstruction | JumpInstruction;

export function compileSteps(steps: WorkflowStep[]): Instruction[] {
  const out: Instruction[] = [];
  for (const step of steps) {
    if (step.type !== "branch") {
      out.push(step);
      continue;
    }
    const branch: BranchInstruction = { id: step.id, type: "branch", conditions: step.conditions, elseAt: -1 };
    out.push(branch);
    out.push(...step.then);
    if (step.else.length === 0) {
      branch.elseAt = out.length;
      continue;
    }
    const jump: JumpInstruction = { id: `${step.id}:end`, type: "jump", to: -1 };
    out.push(jump);
    branch.elseAt = out.length;
    out.push(...step.else);
    jump.to = out.length;
  }
  return out;
}

/** Runs started before journeys existed hold plain actions: those compile to themselves. */
export const isControl = (i: Instruction): i is BranchInstruction | JumpInstruction => i.type === "branch" || i.type === "jump";

const MINUTE = 60_000;
const unitMs = { minutes: MINUTE, hours: 60 * MINUTE, days: 1440 * MINUTE } as const;

/** A wait's duration (or an event wait's timeout) in ms. */
export const waitMs = (wait: { amount: number; unit: keyof typeof unitMs }) => wait.amount * unitMs[wait.unit];
