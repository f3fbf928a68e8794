import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../bot/config.ts';
import { configurationPage, documentedVariables } from '../../bot/config-doc.ts';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('the configuration page', () => {
  it('is what npm run docs:config generates from the schema and .env.example (run it after changing either)', () => {
    expect(read('docs/configuration.md')).toBe(configurationPage(read('.env.example')));
  });

  it("documents every variable of the schema, with the schema's own default", () => {
    const variables = documentedVariables(read('.env.example'));
    expect(variables.map((v) => v.name)).toEqual(Object.keys(ConfigSchema.shape));
    expect(variables.find((v) => v.name === 'USER_MESSAGES_PER_MINUTE')).toMatchObject({ default: '`30`' });
    expect(variables.find((v) => v.name === 'WEBCHAT_REQUESTS_PER_MINUTE')).toMatchObject({ default: '`120`' });
    expect(variables.find((v) => v.name === 'DATABASE_URL')).toMatchObject({ default: 'unset' });
  });

  it('refuses to be generated while a variable of the schema is missing from .env.example', () => {
    const withoutPort = read('.env.example').replace(/^PORT=.*$/m, '');
    expect(() => documentedVariables(withoutPort)).toThrow(/no commented entry for PORT/);
  });
});
