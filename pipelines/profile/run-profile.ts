import type { LoadedConfig } from '../config/load-config.ts';
import { loadLeads } from '../io/load-leads.ts';
import { profileFrame, type DataProfile } from './profile-data.ts';

export interface RunProfileOptions {
  data?: string;
  skipBadRows?: boolean;
}

/**
 * Profiles the config's leads file (or `data`). Excluded columns are loaded and profiled
 * too, marked with their reason, so a leak shows even where the config already drops it.
 */
export async function runProfile(
  loaded: LoadedConfig,
  options: RunProfileOptions = {},
): Promise<DataProfile & { skipped: { row: number; reason: string }[]; loadWarnings: string[] }> {
  const { config } = loaded;
  const result = await loadLeads(loaded, { data: options.data, skipBadRows: options.skipBadRows, keepExcluded: true });
  const profile = profileFrame(result.frame, {
    typeSource: result.typeSource,
    excluded: config.exclude,
    skippedRows: result.skipped.length,
  });
  return { ...profile, skipped: result.skipped, loadWarnings: result.warnings };
}
