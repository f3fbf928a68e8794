// Opens the database named on the command line as an instance would at start, and prints the
// migration versions it applied as JSON.
import { migrate } from '../../adapters/storage/migrations.ts';
import { PostgresClient } from '../../adapters/storage/postgres-client.ts';
import { SqliteClient } from '../../adapters/storage/sqlite-client.ts';

const location = process.argv[2];
const db = location.startsWith('postgres') ? new PostgresClient(location) : new SqliteClient(location);
const applied = await migrate(db);
await db.close();
process.stdout.write(JSON.stringify(applied));
