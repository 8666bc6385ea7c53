import type { Command } from 'commander';
import type { Expression, SqlBool } from 'kysely';
import type { Actor } from './actor.js';
import type { CommandDeps } from './cli/index.js';
import type { Config } from './config.js';
import type { ServiceContext } from './context.js';
import type { ModuleMigrations } from './db/index.js';
import type { EventConsumer } from './events/index.js';
import type { HttpApp, RouteDeps } from './http/index.js';
import type { JobKindHandler, LeaseHolder, Schedule } from './jobs/index.js';
import type { ModuleDeclaration } from './module-declaration.js';
import type { ValidatorBuild } from './input/prebuilt-validators.js';
import type { BlobReferences, RetentionSource } from './retention.js';
import type { TransparencyFact } from './transparency-facts.js';

/** What background work is given: a context acting as anyone, usually the system. */
export interface BackgroundDeps {
  contextFor(actor: Actor): ServiceContext;
  readonly config: Config;
  /** This process as a lease holder (see currentLeaseHolder); absent where it cannot tell (no instance id). */
  readonly holder?: LeaseHolder | undefined;
}

/**
 * A named place where one module accepts what others lend it (the extension points of Backstage's backend
 * system): the owner declares it in its `pure.ts`, a module that depends on the owner contributes a value in
 * its wiring, and the owner reads the contributions through {@link Wired}. The dependency keeps its direction:
 * the contributor imports the owner, never the other way round.
 */
export interface ExtensionPoint<T> {
  readonly id: string;
  /** Carries T for the type checker only; never set. */
  readonly valueType?: T;
}

export function defineExtensionPoint<T>(id: string): ExtensionPoint<T> {
  return { id };
}

export interface Contribution {
  readonly point: ExtensionPoint<unknown>;
  readonly value: unknown;
}

export function contribute<T>(point: ExtensionPoint<T>, value: T): Contribution {
  return { point, value };
}

/**
 * A kind of audit subject that is a TLP-labelled record: an event about one says what the record is, so it
 * is read only by those who may see the record. Either the table that holds the label (`id`, `tlp`,
 * `owner_org_id`, `created_by`, read through identity's policy), or the module's own visibility condition
 * for records that have no label of their own (a cluster is seen through its reports).
 */
export type LabelledSubject =
  | { readonly subjectType: string; readonly table: string }
  | {
      readonly subjectType: string;
      /** Whether `actor` may see the record whose id is in the column `subjectIdColumn`. */
      readonly visibleTo: (actor: Actor, subjectIdColumn: string) => Expression<SqlBool>;
    };

/**
 * One domain module as the composition root wires it, declared by the module beside its `index.ts` (DESIGN
 * §4): its declaration, migrations, routes, commands, consumers, jobs and schedules, and what it lends the
 * platform's own services (blob references for the sweeper, retention sources, labelled audit subjects) and
 * other modules (contributions to their extension points). `src/app/module-list.ts` is generated from
 * MODULE_NAMES and lists every module's wiring in that order.
 */
export interface ModuleWiring {
  readonly module: ModuleDeclaration;
  readonly migrations: ModuleMigrations;
  readonly routes?: (app: HttpApp, deps: RouteDeps, wired: Wired) => void;
  readonly commands?: (program: Command, deps: CommandDeps, wired: Wired) => void;
  readonly consumers?: (deps: BackgroundDeps, wired: Wired) => EventConsumer[];
  readonly jobs?: (deps: BackgroundDeps, wired: Wired) => Record<string, JobKindHandler>;
  readonly schedules?: readonly Schedule[];
  /** Where the module's records refer to blobs: the sweeper never removes a blob one of them names. */
  readonly blobReferences?: BlobReferences;
  /** The records of governance's data classes the module stores: what the retention purge reads and deletes. */
  readonly retention?: RetentionSource;
  /** Its TLP-labelled records, as audit subjects. */
  readonly labelledSubjects?: readonly LabelledSubject[];
  /** The monthly aggregates it lends the public transparency report (counts, shares, medians; never a record). */
  readonly transparencyFacts?: readonly TransparencyFact[];
  /** Validators of published schemas whose code `npm run build` generates (platform/input/prebuilt-validators.ts). */
  readonly prebuiltValidators?: readonly ValidatorBuild[];
  readonly contributes?: readonly Contribution[];
  /** Ends what the module started in the process (worker threads); the runtime's close awaits it. */
  readonly stop?: () => Promise<void>;
}

/** What the composition root tells each module about all of them. */
export interface Wired {
  /** The values every module contributed to `point`, in wiring order. */
  contributions<T>(point: ExtensionPoint<T>): T[];
  readonly blobReferences: readonly BlobReferences[];
  readonly retentionSources: readonly RetentionSource[];
  readonly labelledSubjects: readonly LabelledSubject[];
  /** Every module's transparency figures, in wiring order. */
  readonly transparencyFacts: readonly TransparencyFact[];
}

export function wire(modules: readonly ModuleWiring[]): Wired {
  const contributions = modules.flatMap((m) => m.contributes ?? []);
  return {
    contributions: <T>(point: ExtensionPoint<T>) => contributions.filter((c) => c.point.id === point.id).map((c) => c.value as T),
    blobReferences: modules.flatMap((m) => (m.blobReferences === undefined ? [] : [m.blobReferences])),
    retentionSources: modules.flatMap((m) => (m.retention === undefined ? [] : [m.retention])),
    labelledSubjects: modules.flatMap((m) => m.labelledSubjects ?? []),
    transparencyFacts: modules.flatMap((m) => m.transparencyFacts ?? []),
  };
}
