import { readFileSync, statSync } from 'node:fs';
import type { Logger } from '../../bot/logger.ts';
import {
  directoryFromFile,
  officerAccessOf,
  rememberedDirectory,
  type OfficerAccess,
  type OfficerDirectory,
} from '../../bot/officers.ts';
import type { Stores } from '../../bot/stores.ts';

/** How often the officers file's modification time is looked at. */
const CHECK_EVERY_MS = 5_000;

/**
 * The officers file (OFFICERS_FILE) as a directory. It is read at once (an invalid file stops the
 * start, naming every problem), then again whenever it changes; a later invalid edit is logged and
 * the last valid content stays, so a typo never takes everyone's access away or gives any.
 */
export function officersFileDirectory(path: string, logger: Logger, clock: () => number = Date.now): OfficerDirectory {
  const read = () => directoryFromFile(JSON.parse(readFileSync(path, 'utf8')) as unknown);
  let current = read();
  let mtime = statSync(path).mtimeMs;
  let checkedAt = clock();
  const refresh = () => {
    if (clock() - checkedAt < CHECK_EVERY_MS) return;
    checkedAt = clock();
    try {
      const changed = statSync(path).mtimeMs;
      if (changed === mtime) return;
      mtime = changed;
      current = read();
      logger.info('the officers file was read again');
    } catch (error) {
      logger.error(
        { err: error instanceof Error ? error.message : String(error) },
        'the officers file is not valid; the last valid one stays',
      );
    }
  };
  return {
    grantsOf: (tenantId, objectId) => {
      refresh();
      return current.grantsOf(tenantId, objectId);
    },
  };
}

/** How officers are recognised in this deployment: the configuration, its officers file, remembered sign-ins. */
export function officerAccessFromConfig(
  config: Parameters<typeof officerAccessOf>[0]['config'] & { OFFICER_SIGN_IN_MEMORY_HOURS: number },
  stores: Pick<Stores, 'officers'>,
  logger: Logger,
): OfficerAccess {
  return officerAccessOf({
    config,
    file: config.OFFICERS_FILE ? officersFileDirectory(config.OFFICERS_FILE, logger) : undefined,
    remembered: rememberedDirectory(stores.officers, config.OFFICER_SIGN_IN_MEMORY_HOURS),
  });
}
