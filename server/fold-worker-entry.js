// Entry of the fold worker thread (server/folder.ts). On Node 20 a worker's
// entry does not go through the --import tsx loader, so this plain module
// loads the TypeScript worker through tsx's API.
import { tsImport } from 'tsx/esm/api';

await tsImport('./fold-worker.ts', import.meta.url);
