import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every string the web app shows exists in English and in Persian: a key missing in one would show raw. */
const SRC = join(__dirname, '..');

function keys(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key));
}
const read = (path: string) => keys(JSON.parse(readFileSync(path, 'utf8'))).sort();

describe('web app strings', () => {
  const namespaces = readdirSync(join(SRC, 'locales/en')).map((file) => [`locales/<lang>/${file}`, join(SRC, 'locales/en', file), join(SRC, 'locales/fa', file)]);
  it.each([...namespaces, ['settings/locales/<lang>.json', join(SRC, 'settings/locales/en.json'), join(SRC, 'settings/locales/fa.json')]])('%s has the same keys in en and fa', (_name, en, fa) => {
    expect(read(fa)).toEqual(read(en));
  });
});
