import { casesRetention } from '../../cases/index.js';
import { frontierBlobReferences, frontierRetention } from '../../frontier/index.js';
import { intakeBlobReferences, intakeRetention } from '../../intake/index.js';
import { inventoryBlobReferences, inventoryRetention } from '../../inventory/index.js';
import { validationBlobReferences, validationRetention } from '../../validation/index.js';
import type { RetentionRegistry } from '../service/retention-registry.js';

/** The modules' retention declarations, as the app wires them. */
export const testRegistry: RetentionRegistry = {
  sources: [intakeRetention, validationRetention, inventoryRetention, frontierRetention, casesRetention],
  blobReferences: [intakeBlobReferences, validationBlobReferences, inventoryBlobReferences, frontierBlobReferences],
};
