#!/usr/bin/env node
// Runs the compiled CLI. `npm install` compiles it (the `prepare` script); after editing sources run
// `npm run build`, or use `npm run dev` which runs the sources directly.
try {
  await import('../dist/app/main.js');
} catch (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/app/main.js')) {
    console.error('clearinghouse is not built yet: run `npm run build` (npm install does it for you)');
    process.exit(1);
  }
  throw error;
}
