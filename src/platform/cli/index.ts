export { ApiClient, type RemoteOptions } from './api-client.js';
export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, describeError, exitCodeFor, issueLines } from './exit.js';
export { counted, emit, processOutput, progress, table, type Output, type Progress } from './output.js';
export { type CommandDeps, type LocalOptions, type LocalRuntime, remoteOptions, withRemoteOptions } from './command-deps.js';
export {
  dispatch,
  moreHint,
  pageTable,
  pages,
  queryString,
  remoteCommand,
  respond,
  withLocal,
  withPaging,
  type PagingFlags,
  type RemoteFlags,
} from './dispatch.js';
export { collect, collectCommaList, enc, finiteNumber, queryOf, readJsonFile, wholeNumber, yesNo } from './arguments.js';
export { describeQueued, dispatchWaiting, withWaitOption, type WaitOutcome, type Waited } from './wait.js';
