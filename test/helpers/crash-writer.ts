// Writes to the database named on the command line as fast as it can, forever: pairs of state
// documents in one write (so a torn write would show as a mismatch) and registration drafts.
// The crash-safety test kills it with SIGKILL mid-stream.
import { openStores } from '../../adapters/storage/open-stores.ts';

const location = process.argv[2];
const opened = await openStores(
  location.startsWith('postgres') ? { databaseUrl: location, dataDir: '' } : { dataDir: location },
);
const padding = 'x'.repeat(4000);
for (let n = 1; ; n++) {
  await opened.storage.write({ left: { n, padding }, right: { n, padding } });
  await opened.stores.registrations.saveDraft(
    { userKey: `u:${n % 50}`, channel: 'crash', schemaVersion: 1, data: { n, padding } },
    new Date(),
  );
  if (n % 20 === 0) process.stdout.write(`${n}\n`);
}
