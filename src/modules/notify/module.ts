import { defineModule } from '../../platform/module-declaration.js';
import { ADVISORY_PUBLISHED } from '../advisories/pure.js';
import { EXPOSURE_CHANGED } from '../inventory/pure.js';
import { CAMPAIGN_CONFLICTED, CAMPAIGN_REGISTERED, CAMPAIGN_STARTED, CAMPAIGN_STOPPED, STOP_REQUESTED } from '../scanning/pure.js';

/** The notify module's declaration: see ModuleDeclaration. */
export const notifyModule = defineModule({
  name: 'notify',
  owns: 'delivery of events to the outside: signed webhooks, the inbox, acknowledgements and remediation',
  dependsOn: ['advisories', 'cases', 'identity', 'inventory', 'scanning', 'scoring'],
  emits: [],
  consumes: [
    ADVISORY_PUBLISHED,
    EXPOSURE_CHANGED,
    STOP_REQUESTED,
    CAMPAIGN_CONFLICTED,
    CAMPAIGN_REGISTERED,
    CAMPAIGN_STARTED,
    CAMPAIGN_STOPPED,
  ],
});
