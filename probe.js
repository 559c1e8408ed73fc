require('reflect-metadata');
const { DataSource } = require('typeorm');
const { PGlite } = require('@electric-sql/pglite');
const { pgcrypto } = require('@electric-sql/pglite/contrib/pgcrypto');
const { createPgConfig } = require('@electric-sql/pglite/node-postgres');
(async () => {
  const t0 = Date.now();
  const pg = await PGlite.create({ extensions: { pgcrypto } });
  console.log('pglite up', Date.now() - t0);
  const ds = new DataSource({ type: 'postgres', poolSize: 1, extra: createPgConfig(pg), uuidExtension: 'pgcrypto' });
  await ds.initialize();
  console.log(await ds.query('select version(), gen_random_uuid() as u'));
  await ds.query('create table t(id serial primary key, v text unique)');
  const r = await ds.transaction(async (m) => {
    await m.query('select pg_advisory_xact_lock(42)');
    return m.query("insert into t(v) values ('a') on conflict do nothing returning id");
  });
  console.log(r);
  const r2 = await ds.query("insert into t(v) values ('a') on conflict do nothing returning id");
  console.log('dup', r2);
  // concurrency: many parallel transactions
  await Promise.all(Array.from({length: 50}, (_, i) => ds.transaction(m => m.query('insert into t(v) values ($1) on conflict do nothing', ['x'+(i%10)]))));
  console.log(await ds.query('select count(*) from t'));
  const dump = await pg.dumpDataDir('gzip'); console.log('dump size', dump.size, Date.now()-t0);
  await ds.destroy(); await pg.close();
  const t1 = Date.now();
  const pg2 = await PGlite.create({ loadDataDir: dump, extensions: { pgcrypto } });
  console.log('restored in', Date.now()-t1, (await pg2.query('select count(*) from t')).rows);
})().catch(e => { console.error('ERR', e); process.exit(1); });
