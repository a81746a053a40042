// Preloaded (node --import) into a child process whose peak memory a test measures: at exit,
// writes the process's peak resident set size (KiB, native memory included) to the file
// named by LEADSCORE_MAX_RSS_FILE.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.LEADSCORE_MAX_RSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
