// API test fixture: the generated sample district (some quarters) imported
// through importPaths into a fresh DuckDB file, one account per role, the app
// over it, and helpers to log in with a CSRF token.

import { join } from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { createAccount } from '../../../server/auth/accounts.ts';
import { Store } from '../../../server/db/store.ts';
import { type AppOptions, createApp } from '../../../server/http/app.ts';
import { importPaths } from '../../../server/import/importer.ts';
import { tempDir } from '../../helpers/fixtures.ts';
import { sampleDistrictDir } from '../../helpers/sample.ts';

export const PASSWORD = 'correct-horse-battery';

export interface Fixture {
  dir: string;
  sampleDir: string;
  store: Store;
  app: ReturnType<typeof createApp>;
  /** A community and its street, another community in another street. */
  codes: { district: string; street: string; community: string; otherStreet: string; otherCommunity: string; sameStreetOther: string };
}

export async function buildFixture(opts: { periods?: string[]; app?: AppOptions } = {}): Promise<Fixture> {
  const dir = tempDir('sanshe-api-');
  const sampleDir = await sampleDistrictDir();
  const store = await Store.open(join(dir, 'store.duckdb'));
  const periods = opts.periods ?? ['2015Q3', '2015Q4', '2016Q1'];
  await importPaths(store, [join(sampleDir, '区划.csv'), ...periods.map((p) => join(sampleDir, p))], { source: 'test', importedBy: 'test' });
  const units = await store.all<{ code: string; level: string; parent_code: string | null }>(`SELECT code, level, parent_code FROM org_units ORDER BY code`);
  const communities = units.filter((u) => u.level === 'community');
  const community = communities[0];
  const street = community.parent_code!;
  const other = communities.find((c) => c.parent_code !== street)!;
  const sameStreetOther = communities.find((c) => c.parent_code === street && c.code !== community.code)!;
  const codes = {
    district: units.find((u) => u.level === 'district')!.code,
    street,
    community: community.code,
    otherStreet: other.parent_code!,
    otherCommunity: other.code,
    sameStreetOther: sameStreetOther.code,
  };
  for (const [username, role, scope] of [
    ['admin1', 'admin', null],
    ['leader1', 'leader', null],
    ['staff1', 'staff', null],
    ['eval1', 'evaluator', null],
    ['comm1', 'community', codes.community],
    ['street1', 'street', codes.street],
  ] as const) {
    await createAccount(store, { username, role, scope, password: PASSWORD });
  }
  const app = createApp(store, { logger: pino({ level: 'silent' }), ...opts.app });
  return { dir, sampleDir, store, app, codes };
}

export type Agent = ReturnType<typeof request.agent>;

export async function anonCsrf(agent: Agent): Promise<string> {
  const r = await agent.get('/api/v1/session').expect(200);
  return r.body.csrf_token as string;
}

export async function login(app: Fixture['app'], username: string, password = PASSWORD): Promise<{ agent: Agent; csrf: string }> {
  const agent = request.agent(app);
  const csrf = await anonCsrf(agent);
  const r = await agent.post('/api/v1/session').set('X-CSRF-Token', csrf).send({ username, password });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  return { agent, csrf: r.body.csrf_token as string };
}
