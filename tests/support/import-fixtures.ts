/** The import fixtures, pointed at whichever port the test's "old site" listens on (no database here: e2e specs use it too). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const importFixturesDir = fileURLToPath(new URL('../fixtures/import', import.meta.url));
/** The address the fixtures were written for; tests serve the old site wherever they can. */
export const FIXTURE_SITE = 'http://127.0.0.1:4599';

/** A fixture's text, with the old site's address replaced by `siteUrl`. */
export function fixtureText(name: string, siteUrl: string = FIXTURE_SITE): string {
  return readFileSync(path.join(importFixturesDir, name), 'utf8').replaceAll(FIXTURE_SITE, siteUrl);
}
