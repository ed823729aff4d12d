/** Unit-test helpers for the import parsers: find an entry, catch the format error a file must raise. */
import { expect } from 'vitest';
import { ImportFormatError, type SourceBundle, type SourceEntry } from '@/lib/import/types';

export const entry = (bundle: SourceBundle, id: string): SourceEntry => {
  const found = bundle.entries.find((e) => e.sourceId === id);
  if (!found) throw new Error(`no entry ${id}`);
  return found;
};

export async function formatError(promise: Promise<unknown>): Promise<ImportFormatError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportFormatError);
  return error as ImportFormatError;
}
