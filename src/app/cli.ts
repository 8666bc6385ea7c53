import { Command, CommanderError, Help, type Option } from 'commander';
import { EXIT_OK, EXIT_USAGE, describeError, exitCodeFor, processOutput, type Output } from '../platform/cli/index.js';
import { loadConfig, type Config } from '../platform/config.js';
import type pino from 'pino';
import { COMMAND_MANIFEST } from './command-manifest.js';
import { addStandIns, RealCommandNeeded, type StandInSignals } from './command-tree.js';
import type { AppCommandDeps } from './command-deps.js';
import { COMMAND_UNITS, type CommandUnit } from './command-units.js';
import { VERSION } from './version.js';

export interface CliEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly output: Output;
  /** The logger for commands that open a runtime; by default JSON lines on stderr at the configured level. */
  readonly logger?: pino.Logger;
}

const plainHelp = new Help();

/** An option's line in `--help`: commander's, with "(required)" for an option the command cannot run without. */
function describeOption(option: Option): string {
  const text = plainHelp.optionDescription(option);
  return option.mandatory ? `${text} (required)` : text;
}

function rootCommand(output: Output): Command {
  return (
    new Command('clearinghouse')
      .description('The AI cybersecurity clearinghouse and the frontier-model early-access program')
      .version(VERSION)
      // The program's options stand before any command: `agreement sign --version 1` is the command's own.
      .enablePositionalOptions()
      .showHelpAfterError()
      // Every command's help marks the options it cannot run without (commander passes this on to subcommands).
      .configureHelp({ optionDescription: describeOption })
      .exitOverride()
      .configureOutput({ writeOut: (s) => output.out(s), writeErr: (s) => output.err(s) })
  );
}

function commandDeps(environment: CliEnvironment, setExitCode: (code: number) => void): AppCommandDeps {
  let config: Config | undefined;
  let log: pino.Logger | undefined;
  const getConfig = (): Config => (config ??= loadConfig(environment.env));
  const getLog = async (): Promise<pino.Logger> =>
    (log ??= environment.logger ?? (await import('../platform/log.js')).createLogger(getConfig().logLevel));
  const openRuntime: AppCommandDeps['openRuntime'] = async (options) => {
    const runtime = await import('./runtime.js');
    return runtime.openRuntime(getConfig(), await getLog(), options);
  };
  return {
    env: environment.env,
    output: environment.output,
    setExitCode,
    config: getConfig,
    log: getLog,
    openRuntime,
    openLocal: async (options) => {
      if (options?.reads === true) {
        const { requireDatabaseFile, requireMigratedDatabase } = await import('./local-database.js');
        requireDatabaseFile(getConfig());
        if (getConfig().database.dialect === 'postgres') {
          const probe = await openRuntime({ migrate: false });
          try {
            const { allMigrations } = await import('./modules.js');
            await requireMigratedDatabase(getConfig(), probe, allMigrations.flatMap((m) => m.migrations).length);
          } finally {
            await probe.close();
          }
        }
      }
      const rt = await openRuntime();
      const { cliActor } = await import('./runtime.js');
      return {
        ctx: rt.contextFor(cliActor),
        runWork: (workId, onProgress) => rt.jobs.runWork(workId, onProgress),
        close: () => rt.close(),
      };
    },
  };
}

/**
 * The `clearinghouse` command with the commands of the units `load` selects registered for real, and
 * stand-ins built from the manifest for all others. Exported for tests.
 */
export async function buildProgram(
  output: Output,
  deps: AppCommandDeps,
  load: (unit: CommandUnit) => boolean,
  signals: StandInSignals = { sawParsedOption: false },
): Promise<Command> {
  const program = rootCommand(output);
  for (const unit of COMMAND_UNITS) {
    if (load(unit)) (await unit.load())(program, deps);
    else addStandIns(program, COMMAND_MANIFEST[unit.name] ?? [], signals);
  }
  return program;
}

/** The unit that registers the top-level command `name`. */
function unitOf(name: string): CommandUnit | undefined {
  return COMMAND_UNITS.find((unit) => COMMAND_MANIFEST[unit.name]?.some((command) => command.name === name));
}

const HELP_SHOWN = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

/**
 * Parses the command line with stand-ins only, holding back what they print. Answers the exit code when
 * that is the whole answer (help, `--version`, a mistake at the root), else the unit whose real commands
 * must parse it again: a command to run, or a mistake in one command's line (the real command words it),
 * or help asked for after an option whose own parser might refuse its value first.
 */
async function tryStandIns(argv: readonly string[], environment: CliEnvironment): Promise<{ code: number } | { real: CommandUnit }> {
  const held: { stream: 'out' | 'err'; text: string }[] = [];
  const heldOutput: Output = {
    out: (text) => held.push({ stream: 'out', text }),
    err: (text) => held.push({ stream: 'err', text }),
    isTTY: environment.output.isTTY,
  };
  const signals: StandInSignals = { sawParsedOption: false };
  const program = rootCommand(heldOutput);
  for (const unit of COMMAND_UNITS) addStandIns(program, COMMAND_MANIFEST[unit.name] ?? [], signals);
  let dispatched: string | undefined;
  program.hook('preSubcommand', (_root, subcommand) => {
    dispatched = subcommand.name();
  });
  let code = EXIT_OK;
  let needsReal = false;
  try {
    await program.parseAsync([...argv], { from: 'user' });
    needsReal = dispatched !== undefined;
  } catch (error) {
    if (error instanceof RealCommandNeeded) needsReal = true;
    else if (!(error instanceof CommanderError)) throw error;
    else if (HELP_SHOWN.has(error.code)) needsReal = signals.sawParsedOption;
    else [code, needsReal] = [EXIT_USAGE, dispatched !== undefined];
  }
  const unit = needsReal && dispatched !== undefined ? unitOf(dispatched) : undefined;
  if (unit !== undefined) return { real: unit };
  for (const { stream, text } of held) environment.output[stream](text);
  return { code };
}

/**
 * Runs the CLI; resolves to the exit code. Errors are printed, never thrown.
 *
 * The command line is first parsed by stand-ins built from the manifest, which load no module: help,
 * `--version` and mistakes in the root command line are answered from them. A command to run, or an error
 * about one command's line, is then parsed again with that command's real registration, loaded on demand,
 * so that everything it prints and does is what the real command prints and does.
 */
export async function runCli(
  argv: readonly string[],
  environment: CliEnvironment = { env: process.env, output: processOutput },
): Promise<number> {
  let exitCode = EXIT_OK;
  const deps = commandDeps(environment, (code) => {
    exitCode = code;
  });
  try {
    const first = await tryStandIns(argv, environment);
    if ('code' in first) return first.code;
    const program = await buildProgram(environment.output, deps, (unit) => unit === first.real);
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (HELP_SHOWN.has(error.code)) return EXIT_OK;
      return EXIT_USAGE;
    }
    environment.output.err(`error: ${describeError(error)}`);
    return exitCodeFor(error);
  }
}
