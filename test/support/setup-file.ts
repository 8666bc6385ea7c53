// Run by Vitest before every test file (vitest.config.ts `setupFiles`).
import { afterAll } from 'vitest';
import { settleDatabaseDrops } from './databases.js';

// The file's databases dropped in the background (test/support/databases.ts) are gone before it ends.
afterAll(settleDatabaseDrops);
