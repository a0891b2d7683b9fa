/**
 * The claims of docs/theory.md §3 as code (Razin, Lin, Yao, Arora, arXiv 2507.07981): one file per claim, each
 * exporting a `ClaimCheck` and the functions behind it. Claim 5 (the probes) lives with the probes.
 */
import type { ClaimCheck } from './check.js';
import { claim1 } from './claim1RewardDynamics.js';
import { claim2 } from './claim2TokenFactor.js';
import { claim3 } from './claim3UnseenTokens.js';
import { claim4 } from './claim4MaxMargin.js';
import { claim6 } from './claim6VerifyWithoutGenerating.js';

/** The theory layer's checks, in claim order. */
export const CLAIM_CHECKS: ClaimCheck[] = [claim1, claim2, claim3, claim4, claim6];

export { runChecks, passes, type ClaimCheck, type CheckRow, type Measurement } from './check.js';
export * from './tangentKernel.js';
export * from './claim1RewardDynamics.js';
export * from './eq5FirstOrder.js';
export * from './claim2TokenFactor.js';
export * from './claim3UnseenTokens.js';
export * from './maxMargin.js';
export * from './claim4MaxMargin.js';
export * from './hamiltonian.js';
export * from './claim6VerifyWithoutGenerating.js';
