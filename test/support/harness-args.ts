import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * The options of an `npm run` harness (fuzz, crash, soak): `--help` prints `usage` and exits 0; an unknown or
 * malformed option prints what was wrong and `usage` on stderr and exits 2, as the product's CLI does — never
 * a stack trace. The `--` npm passes through is dropped.
 */
export function harnessArgs<const O extends Options>(usage: string, options: O) {
  try {
    const args = process.argv.slice(2).filter((a) => a !== '--');
    if (args.includes('--help')) {
      console.log(usage);
      process.exit(0);
    }
    return parseArgs({ args, options, strict: true }).values;
  } catch (error) {
    return harnessUsage(usage, (error as Error).message);
  }
}

/** Prints what was wrong and `usage` on stderr; exits 2. */
export function harnessUsage(usage: string, message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}
