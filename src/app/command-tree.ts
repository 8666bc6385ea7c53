import { Argument, type Command, Option } from 'commander';

/**
 * The CLI's command tree as data, so that `--help` and the parsing of a command line can happen without
 * loading the modules that implement the commands. {@link describeCommands} reads it off real commander
 * commands; {@link addStandIns} rebuilds commands that print the same help and accept the same command
 * lines, but whose actions only say "load the real command". command-manifest.test.ts keeps the two equal.
 */

export interface ArgumentShape {
  /** As written in `.argument()`: `<paths...>`, `[id]`. */
  readonly name: string;
  readonly description: string;
  readonly defaultValue?: unknown;
  readonly defaultValueDescription?: string;
  readonly choices?: readonly string[];
}

export interface OptionShape {
  readonly flags: string;
  readonly description: string;
  readonly mandatory?: true;
  readonly defaultValue?: unknown;
  readonly defaultValueDescription?: string;
  readonly presetArg?: unknown;
  readonly choices?: readonly string[];
  readonly hidden?: true;
  readonly envVar?: string;
  readonly conflictsWith?: readonly string[];
  readonly implied?: Readonly<Record<string, unknown>>;
  /** The real option parses its value with its own function, which may refuse it: only the real command knows. */
  readonly parsed?: true;
}

/** The parsing settings a command may set for itself; recorded only where they differ from its parent's. */
const SETTINGS = [
  '_allowUnknownOption',
  '_allowExcessArguments',
  '_passThroughOptions',
  '_enablePositionalOptions',
  '_showHelpAfterError',
  '_showSuggestionAfterError',
  '_combineFlagAndOptionalValue',
] as const;
type Setting = (typeof SETTINGS)[number];

export interface CommandShape {
  readonly name: string;
  readonly description: string;
  readonly summary?: string;
  readonly aliases?: readonly string[];
  readonly usage?: string;
  readonly hidden?: true;
  /** The command runs something itself (rather than only holding subcommands). */
  readonly action?: true;
  readonly settings?: Readonly<Partial<Record<Setting, unknown>>>;
  readonly arguments?: readonly ArgumentShape[];
  readonly options?: readonly OptionShape[];
  readonly commands?: readonly CommandShape[];
}

/** Commander's fields that its public API sets but does not read back. */
interface CommandInternals {
  _name: string;
  _description: string;
  _summary: string;
  _aliases: string[];
  _usage?: string;
  _hidden: boolean;
  _actionHandler: unknown;
  _executableHandler: boolean;
  _defaultCommandName: string | null;
  _lifeCycleHooks: Record<string, unknown[]>;
  _helpConfiguration: Record<string, unknown>;
  _addImplicitHelpCommand?: boolean;
  listenerCount(event: string): number;
}
type Internal = CommandInternals & Record<Setting, unknown>;
const internal = (command: Command) => command as unknown as Internal;

const HELP_EVENTS = ['beforeHelp', 'afterHelp', 'beforeAllHelp', 'afterAllHelp'];

function notJson(value: unknown): boolean {
  return value !== undefined && JSON.stringify(value) !== JSON.stringify(JSON.parse(JSON.stringify(value ?? null)));
}

function unsupported(command: Command, what: string): never {
  throw new Error(`command "${command.name()}": ${what} cannot be described in the CLI manifest; extend src/app/command-tree.ts`);
}

function argumentName(argument: Argument): string {
  const name = `${argument.name()}${argument.variadic ? '...' : ''}`;
  return argument.required ? `<${name}>` : `[${name}]`;
}

function describeArgument(command: Command, argument: Argument): ArgumentShape {
  const a = argument as Argument & { argChoices?: string[] };
  if (notJson(a.defaultValue)) unsupported(command, `the default of argument ${a.name()}`);
  return {
    name: argumentName(a),
    description: a.description,
    ...(a.defaultValue === undefined ? {} : { defaultValue: a.defaultValue }),
    ...(a.defaultValueDescription === undefined ? {} : { defaultValueDescription: a.defaultValueDescription }),
    ...(a.argChoices === undefined ? {} : { choices: [...a.argChoices] }),
  };
}

function describeOption(command: Command, option: Option): OptionShape {
  const o = option as Option & { argChoices?: string[]; implied?: Record<string, unknown>; conflictsWith: string[] };
  if (notJson(o.defaultValue)) unsupported(command, `the default of ${o.flags}`);
  if (notJson(o.presetArg)) unsupported(command, `the preset of ${o.flags}`);
  return {
    flags: o.flags,
    description: o.description,
    ...(o.mandatory ? { mandatory: true as const } : {}),
    ...(o.defaultValue === undefined ? {} : { defaultValue: o.defaultValue }),
    ...(o.defaultValueDescription === undefined ? {} : { defaultValueDescription: o.defaultValueDescription }),
    ...(o.presetArg === undefined ? {} : { presetArg: o.presetArg }),
    ...(o.argChoices === undefined ? {} : { choices: [...o.argChoices] }),
    ...(o.hidden ? { hidden: true as const } : {}),
    ...(o.envVar === undefined ? {} : { envVar: o.envVar }),
    ...(o.conflictsWith.length === 0 ? {} : { conflictsWith: [...o.conflictsWith] }),
    ...(o.implied === undefined ? {} : { implied: { ...o.implied } }),
    // .choices() installs its own parser, which the stand-in reproduces from the choices.
    ...(o.parseArg !== undefined && o.argChoices === undefined ? { parsed: true as const } : {}),
  };
}

/** One command and everything under it, as data. */
export function describeCommand(command: Command): CommandShape {
  const c = internal(command);
  const parent = command.parent === null ? null : internal(command.parent);
  if (c._executableHandler) unsupported(command, 'an executable subcommand');
  if (c._defaultCommandName !== null) unsupported(command, 'a default subcommand');
  if (Object.values(c._lifeCycleHooks).some((hooks) => hooks.length > 0)) unsupported(command, 'a hook');
  if (HELP_EVENTS.some((event) => c.listenerCount(event) > 0)) unsupported(command, 'added help text');
  if (parent !== null && c._helpConfiguration !== parent._helpConfiguration) unsupported(command, 'its own help configuration');
  if (c._addImplicitHelpCommand !== undefined) unsupported(command, 'an explicit help command');
  const settings = Object.fromEntries(SETTINGS.filter((s) => parent === null || c[s] !== parent[s]).map((s) => [s, c[s]]));
  const args = command.registeredArguments.map((a) => describeArgument(command, a));
  const options = command.options.map((o) => describeOption(command, o));
  const commands = command.commands.map(describeCommand);
  return {
    name: c._name,
    description: c._description,
    ...(c._summary === '' ? {} : { summary: c._summary }),
    ...(c._aliases.length === 0 ? {} : { aliases: [...c._aliases] }),
    ...(c._usage === undefined ? {} : { usage: c._usage }),
    ...(c._hidden ? { hidden: true as const } : {}),
    ...(c._actionHandler === null ? {} : { action: true as const }),
    ...(Object.keys(settings).length === 0 ? {} : { settings }),
    ...(args.length === 0 ? {} : { arguments: args }),
    ...(options.length === 0 ? {} : { options }),
    ...(commands.length === 0 ? {} : { commands }),
  };
}

/** What the stand-ins report while a command line is parsed. */
export interface StandInSignals {
  /** Set when an option whose real parser might refuse its value was given. */
  sawParsedOption: boolean;
}

/** Thrown by a stand-in's action: the command line is valid, and the real command must now run it. */
export class RealCommandNeeded extends Error {
  constructor() {
    super('the real command is needed');
  }
}

function addStandIn(parent: Command, shape: CommandShape, signals: StandInSignals): void {
  const command = parent.command(shape.name).description(shape.description);
  if (shape.summary !== undefined) command.summary(shape.summary);
  if (shape.aliases !== undefined) command.aliases([...shape.aliases]);
  if (shape.usage !== undefined) command.usage(shape.usage);
  if (shape.hidden) (command as unknown as Internal)._hidden = true;
  for (const [setting, value] of Object.entries(shape.settings ?? {})) (command as unknown as Record<string, unknown>)[setting] = value;
  for (const a of shape.arguments ?? []) {
    const argument = new Argument(a.name, a.description);
    if (a.defaultValue !== undefined || a.defaultValueDescription !== undefined)
      argument.default(a.defaultValue, a.defaultValueDescription);
    if (a.choices !== undefined) argument.choices([...a.choices]);
    command.addArgument(argument);
  }
  for (const o of shape.options ?? []) {
    const option = new Option(o.flags, o.description);
    if (o.mandatory) option.makeOptionMandatory();
    if (o.defaultValue !== undefined || o.defaultValueDescription !== undefined) option.default(o.defaultValue, o.defaultValueDescription);
    if (o.presetArg !== undefined) option.preset(o.presetArg);
    if (o.choices !== undefined) option.choices([...o.choices]);
    if (o.hidden) option.hideHelp();
    if (o.envVar !== undefined) option.env(o.envVar);
    if (o.conflictsWith !== undefined) option.conflicts([...o.conflictsWith]);
    if (o.implied !== undefined) option.implies({ ...o.implied });
    if (o.parsed)
      option.argParser((value: string) => {
        signals.sawParsedOption = true;
        return value;
      });
    command.addOption(option);
  }
  if (shape.action)
    command.action(() => {
      throw new RealCommandNeeded();
    });
  for (const sub of shape.commands ?? []) addStandIn(command, sub, signals);
}

/** Adds stand-ins for `shapes` (top-level commands) to `program`. */
export function addStandIns(program: Command, shapes: readonly CommandShape[], signals: StandInSignals): void {
  for (const shape of shapes) addStandIn(program, shape, signals);
}
