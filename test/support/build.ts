// Browser tests load what ships (dist/), which the test command builds before them. Run on
// their own without a build, they fail here with how to build, not deep inside a page.
import { existsSync } from 'node:fs';

/** Throws, naming each missing file and the build command, unless every file exists. */
export function requireBuilt(...files: string[]): void {
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length > 0)
    throw new Error(
      `${missing.join(', ')} missing: these tests load the built packages. ` +
        'Build first: `pnpm build` (or `npx rollup -c rollup.config.mjs`) in the repo root.',
    );
}
