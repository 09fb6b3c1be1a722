import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateImageFixtures } from './fixtures/images/generate.ts';
import { makeImportFixtures } from './fixtures/make-fixtures.ts';

/** Test fixtures that are generated, not committed: written once before the tests when missing. */
export default async function setup(): Promise<void> {
  if (!existsSync(join(import.meta.dirname, 'fixtures/images/cover.jpg')))
    await generateImageFixtures();
  if (!existsSync(join(import.meta.dirname, 'fixtures/import/garbage.mrc'))) makeImportFixtures();
}
