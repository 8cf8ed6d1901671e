// Entry of Warroom's worker threads (server/worker-rpc.ts). On Node 20 a
// worker's entry does not go through the --import tsx loader, so this plain
// module loads the TypeScript worker named in workerData through tsx's API.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.module, import.meta.url);
