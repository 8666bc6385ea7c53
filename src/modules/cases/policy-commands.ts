import type { Command } from 'commander';
import { emit, readJsonFile, wholeNumber, type CommandDeps } from '../../platform/cli/index.js';
import { getDisclosurePolicy, updateDisclosurePolicy, type DisclosurePolicyVersion } from './service/disclosure-policy.js';
import { command, either, type Flags } from './command-kit.js';

const policyText = ({ version, policy: p, note }: DisclosurePolicyVersion): string =>
  [
    `disclosure policy version ${version}${note === null ? '' : ` (${note})`}`,
    `embargo: ${p.embargoDays} days from the first vendor contact, ${p.exploitedEmbargoDays} when actively exploited, at most ${p.maxEmbargoDays}`,
    `reminders: ${p.reminderDaysBefore.length === 0 ? 'none' : `${p.reminderDaysBefore.join(', ')} days before the end`}`,
    `cases open by themselves at priority: ${p.autoOpenAtPriority ?? 'never'}; deadlines shown in ${p.defaultTimeZone}`,
    `CNA in CVE records: ${p.cna === null ? 'not set (a stand-in derived from the public URL)' : `${p.cna.shortName} (${p.cna.orgId})`}`,
  ].join('\n');

/** `clearinghouse cases policy show|set`: the versioned disclosure policy. */
export function registerPolicyCommands(cases: Command, deps: CommandDeps): void {
  const policy = cases.command('policy').description('the versioned disclosure policy: default embargo deadlines, maximum, reminders');

  command(policy, 'show', 'the disclosure policy in force').action(async (flags: Flags) => {
    const shown = await either(
      deps,
      flags,
      (ctx) => getDisclosurePolicy(ctx),
      (api) => api.get<DisclosurePolicyVersion>('/api/v1/cases/policy'),
      { reads: true },
    );
    emit(deps.output, flags.json, shown, policyText);
  });

  command(policy, 'set', 'replace the disclosure policy with a new version from a JSON file (coordinator admins)')
    .argument('<file>', 'the whole policy document, as `cases policy show --json` prints it under "policy"')
    .requiredOption('--note <text>', 'why it changes')
    .option('--expect-version <n>', 'the version you read: refused if another is in force since', wholeNumber('--expect-version'))
    .action(async (file: string, flags: Flags & { note: string; expectVersion?: number }) => {
      const body = { policy: await readJsonFile(file, '<file>'), note: flags.note, version: flags.expectVersion };
      const saved = await either(
        deps,
        flags,
        (ctx) => updateDisclosurePolicy(ctx, body),
        (api) => api.request<DisclosurePolicyVersion>('PUT', '/api/v1/cases/policy', body),
      );
      emit(deps.output, flags.json, saved, policyText);
    });

  command(policy, 'cna', "set the coordinator's CNA identity that generated CVE records name (coordinator admins)")
    .argument('<org-id>', 'the organisation UUID the CVE Program assigned the coordinator')
    .argument('<short-name>', 'its CVE Program short name')
    .requiredOption('--note <text>', 'why it changes')
    .action(async (orgId: string, shortName: string, flags: Flags & { note: string }) => {
      // The policy in force with only `cna` changed, saved against the version read: a change since is a conflict.
      const withCna = (read: DisclosurePolicyVersion) => ({
        policy: { ...read.policy, cna: { orgId, shortName } },
        version: read.version,
        note: flags.note,
      });
      const saved = await either(
        deps,
        flags,
        async (ctx) => updateDisclosurePolicy(ctx, withCna(await getDisclosurePolicy(ctx))),
        async (api) =>
          api.request<DisclosurePolicyVersion>(
            'PUT',
            '/api/v1/cases/policy',
            withCna(await api.get<DisclosurePolicyVersion>('/api/v1/cases/policy')),
          ),
      );
      emit(deps.output, flags.json, saved, policyText);
    });
}
