import type { RegisterCommands } from './command-deps.js';

/** A file that registers some top-level commands, loaded only when one of them runs. */
export interface CommandUnit {
  readonly name: string;
  load(): Promise<RegisterCommands>;
}

/**
 * Every unit, in the order the commands appear in `clearinghouse --help`: the application's own, then each
 * module's in the order of MODULES (modules.ts). A module whose commands are split over several files is
 * loaded file by file, so that `score` does not load what `feeds` needs. Nothing here is imported until a
 * command runs: the names, options and help of every command come from command-manifest.ts, which
 * command-manifest.test.ts holds equal to what these files register.
 */
export const COMMAND_UNITS: readonly CommandUnit[] = [
  { name: 'app', load: async () => (await import('./app-commands.js')).registerAppCommands },
  { name: 'app/backup', load: async () => (await import('./backup-commands.js')).registerBackupCommands },
  { name: 'identity', load: async () => (await import('../modules/identity/commands.js')).registerIdentityCommands },
  { name: 'audit', load: async () => (await import('../modules/audit/commands.js')).registerAuditCommands },
  { name: 'scoring/score', load: async () => (await import('../modules/scoring/commands/score-commands.js')).registerScoreCommands },
  { name: 'scoring/feeds', load: async () => (await import('../modules/scoring/commands/feed-commands.js')).registerFeedCommands },
  {
    name: 'scoring/priorities',
    load: async () => (await import('../modules/scoring/commands/priority-commands.js')).registerPriorityCommands,
  },
  {
    name: 'scoring/decisions',
    load: async () => (await import('../modules/scoring/commands/decision-commands.js')).registerDecisionCommands,
  },
  { name: 'intake', load: async () => (await import('../modules/intake/commands.js')).registerIntakeCommands },
  { name: 'intake/dedup', load: async () => (await import('../modules/intake/commands/dedup-command.js')).registerDedupCommand },
  {
    name: 'validation/triage',
    load: async () => (await import('../modules/validation/commands/triage-commands.js')).registerTriageCommands,
  },
  {
    name: 'validation/cluster',
    // `cluster show` prints the priority another module lends (CLUSTER_PRIORITY), so it is given the wiring.
    load: async () => {
      const [{ registerClusterCommands }, { WIRED }, { CLUSTER_PRIORITY }] = await Promise.all([
        import('../modules/validation/commands/cluster-commands.js'),
        import('./modules.js'),
        import('../modules/validation/index.js'),
      ]);
      return (program, deps) => registerClusterCommands(program, { ...deps, clusterPriority: WIRED.contributions(CLUSTER_PRIORITY) });
    },
  },
  {
    name: 'validation/validate',
    load: async () => (await import('../modules/validation/commands/validate-commands.js')).registerValidateCommands,
  },
  {
    name: 'inventory',
    load: async () => (await import('../modules/inventory/commands/inventory-commands.js')).registerInventoryCommands,
  },
  { name: 'inventory/match', load: async () => (await import('../modules/inventory/commands/match-command.js')).registerMatchCommand },
  { name: 'frontier', load: async () => (await import('../modules/frontier/commands.js')).registerFrontierCommands },
  { name: 'notify', load: async () => (await import('../modules/notify/commands.js')).registerNotifyCommands },
  { name: 'scanning', load: async () => (await import('../modules/scanning/commands/scan-commands.js')).registerScanCommands },
  { name: 'cases', load: async () => (await import('../modules/cases/commands.js')).registerCasesCommands },
  { name: 'advisories', load: async () => (await import('../modules/advisories/commands.js')).registerAdvisoryCommands },
  {
    name: 'governance',
    // Governance reads every module's records, so its commands are given the registry the composition root wires.
    load: async () => {
      const [{ registerGovernanceCommands }, { retentionRegistry, WIRED }] = await Promise.all([
        import('../modules/governance/commands.js'),
        import('./modules.js'),
      ]);
      return (program, deps) =>
        registerGovernanceCommands(program, { ...deps, retentionRegistry, transparencyFacts: () => WIRED.transparencyFacts });
    },
  },
];
