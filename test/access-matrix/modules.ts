import { advisoriesMatrix } from '../../src/modules/advisories/test-support/access-matrix.js';
import { casesMatrix } from '../../src/modules/cases/test-support/access-matrix.js';
import { auditMatrix } from '../../src/modules/audit/test-support/access-matrix.js';
import { governanceMatrix } from '../../src/modules/governance/test-support/access-matrix.js';
import { agreementsMatrix } from '../../src/modules/frontier/test-support/agreements-matrix.js';
import { frontierMatrix } from '../../src/modules/frontier/test-support/access-matrix.js';
import { identityMatrix } from '../../src/modules/identity/test-support/access-matrix.js';
import { intakeMatrix } from '../../src/modules/intake/test-support/access-matrix.js';
import { inventoryMatrix } from '../../src/modules/inventory/test-support/access-matrix.js';
import { notifyMatrix } from '../../src/modules/notify/test-support/access-matrix.js';
import { scanningMatrix } from '../../src/modules/scanning/test-support/access-matrix.js';
import { scoringMatrix } from '../../src/modules/scoring/test-support/access-matrix.js';
import { validationMatrix } from '../../src/modules/validation/test-support/access-matrix.js';
import { appMatrix } from './app-routes.js';
import { deliveriesMatrix } from './deliveries.js';
import type { ModuleMatrix } from './fixture.js';

/**
 * Every module's part of the access matrix, in seeding order (a module may use what an earlier one seeded).
 * A new module adds its `test-support/access-matrix.ts` here.
 */
export const MODULE_MATRICES: readonly ModuleMatrix[] = [
  appMatrix,
  identityMatrix,
  // Before every module that causes events: each organisation's webhook receives all of them.
  deliveriesMatrix,
  intakeMatrix,
  validationMatrix,
  scoringMatrix,
  inventoryMatrix,
  frontierMatrix,
  scanningMatrix,
  agreementsMatrix,
  casesMatrix,
  advisoriesMatrix,
  notifyMatrix,
  governanceMatrix,
  auditMatrix,
];
