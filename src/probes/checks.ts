/** Every claim's check, in claim order: the theory layer's and the probes' (`imrm check` runs these). */
import { CLAIM_CHECKS, type ClaimCheck } from '../theory/index.js';
import { claim5 } from './claim5Probes.js';
import { claim6WithScale } from './hamiltonian-cycles/claim6AtScale.js';

// Claim 6's theory-layer parts (i), (ii) gain part (iii), which runs the Hamiltonian-cycle experiment at the paper's scale
export const ALL_CLAIM_CHECKS: ClaimCheck[] = [...CLAIM_CHECKS.filter((c) => c.claim !== claim6WithScale.claim), claim5, claim6WithScale].sort((a, b) => Number(a.claim) - Number(b.claim));
