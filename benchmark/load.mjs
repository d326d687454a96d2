// How long `revocable.open` takes to load 1,000,000 revocation records from each
// store: a SQLite file, a PostgreSQL table and a Redis prefix, each filled in
// bulk beforehand (names unique to this process) and removed afterwards.
// `node benchmark/load.mjs` — env: BENCH_LOAD_RECORDS (default 1000000),
// BENCH_LOAD_STORES (sqlite,postgres,redis), PGHOST/PGUSER/PGDATABASE, REDIS_URL.
import { createRequire } from 'node:module'
import { rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ISS } from './lib/tokens.mjs'
import { describeMachine, envList, envNumber, fmtInt, markdown, versions, writeResult } from './lib/report.mjs'

const require = createRequire(import.meta.url)
const revocable = require('../index.js')

const N = envNumber('BENCH_LOAD_RECORDS', 1_000_000)
const STORES = envList('BENCH_LOAD_STORES', ['sqlite', 'postgres', 'redis'])
const NAME = `revocable_bench_load_${process.pid}`
const EXP_MS = Date.now() + 3_000_000 // every record outlives the benchmark
const key = (i) => JSON.stringify([ISS, `load-${i}`])

// Each entry: { store(), fill(), cleanup() }. fill writes in bulk with the driver, in the store's own schema
// (created by store.open()); going through store.put would time the writes, not the load.
const SETUPS = {
  sqlite() {
    const file = path.join(os.tmpdir(), `${NAME}.db`)
    return {
      store: () => revocable.stores.sqlite(file),
      async fill() {
        const Database = require('better-sqlite3')
        const db = new Database(file)
        const insert = db.prepare('INSERT INTO revocable_revocations (kind, key, at, expires_at) VALUES (?, ?, ?, ?)')
        db.transaction(() => { for (let i = 0; i < N; i++) insert.run('token', key(i), EXP_MS, EXP_MS) })()
        db.close()
      },
      async cleanup() { for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true }) },
    }
  },
  postgres() {
    const { Pool } = require('pg')
    const pool = new Pool({ host: process.env.PGHOST || '127.0.0.1', user: process.env.PGUSER || 'postgres', database: process.env.PGDATABASE || 'test' })
    return {
      store: () => revocable.stores.postgres({ pool, table: NAME, timeout: 60_000 }),
      async fill() {
        await pool.query(`INSERT INTO ${NAME} (kind, key, at, expires_at)
          SELECT 'token', $1 || i || '"]', $2, $2 FROM generate_series(0, $3::int - 1) AS i`, [key('').slice(0, -2), EXP_MS, N])
        await pool.query(`ANALYZE ${NAME}`)
      },
      async cleanup() {
        await pool.query(`DROP TABLE IF EXISTS ${NAME}; DROP TABLE IF EXISTS ${NAME}_meta; DROP TABLE IF EXISTS ${NAME}_log`)
        await pool.end()
      },
    }
  },
  redis() {
    const Redis = require('ioredis')
    const client = new Redis(process.env.REDIS_URL || 'redis://127.0.0.1:6379', { lazyConnect: true })
    const prefix = NAME
    return {
      store: () => revocable.stores.redis({ client, prefix, timeout: 60_000 }),
      // The server's CPU seconds so far (INFO cpu): a load's share is the difference.
      async serverCpu() {
        const info = await client.info('cpu')
        return ['used_cpu_user', 'used_cpu_sys'].reduce((sum, k) => sum + Number(info.match(new RegExp(`^${k}:([\\d.]+)`, 'm'))[1]), 0)
      },
      async fill() {
        // The store's layout (lib/stores/redis-scripts.js): a field of `<prefix>:h:token` = "<at>|<expiresAt>",
        // and a member "token:<key>" of `<prefix>:x` scored expiresAt.
        for (let i = 0; i < N; i += 10_000) {
          const p = client.pipeline()
          for (let from = i; from < Math.min(N, i + 10_000); from += 1000) {
            const keys = Array.from({ length: Math.min(N, from + 1000) - from }, (_, j) => key(from + j))
            p.hset(`${prefix}:h:token`, ...keys.flatMap((k) => [k, `${EXP_MS}|${EXP_MS}`]))
            p.zadd(`${prefix}:x`, ...keys.flatMap((k) => [EXP_MS, `token:${k}`]))
          }
          await p.exec()
        }
      },
      async cleanup() {
        let cursor = '0'
        do {
          const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 10_000)
          if (keys.length) await client.unlink(...keys)
          cursor = next
        } while (cursor !== '0')
        client.disconnect()
      },
    }
  },
}

const results = {}
for (const name of STORES) {
  const setup = SETUPS[name]()
  try {
    const schema = setup.store()
    await schema.open() // creates the schema the bulk fill writes into
    await schema.close()
    let t0 = performance.now()
    await setup.fill()
    const fillSeconds = (performance.now() - t0) / 1000
    t0 = performance.now()
    const server0 = await setup.serverCpu?.()
    const cpu0 = process.cpuUsage()
    const guard = await revocable.open({ algorithms: ['HS256'], secret: 'a-load-benchmark-secret-of-32-bytes', maxTokenLifetime: '1h', store: setup.store() })
    const loadSeconds = (performance.now() - t0) / 1000
    const cpu = process.cpuUsage(cpu0)
    const cpuSeconds = (cpu.user + cpu.system) / 1e6 // this process's: the app's share of the load, not the server's
    const serverCpuSeconds = server0 === undefined ? null : (await setup.serverCpu()) - server0
    const loaded = guard.stats().tokens
    await guard.close()
    if (loaded !== N) throw new Error(`${name}: loaded ${loaded} records, expected ${N}`)
    results[name] = { records: N, loadSeconds, cpuSeconds, serverCpuSeconds, recordsPerSecond: N / loadSeconds, fillSeconds }
    console.log(`  ${name}: ${fmtInt(N)} records loaded in ${loadSeconds.toFixed(2)} s, ${cpuSeconds.toFixed(2)} s of the app's CPU${serverCpuSeconds === null ? '' : `, ${serverCpuSeconds.toFixed(2)} s of the server's`} (filled in ${fillSeconds.toFixed(1)} s)`)
  } finally {
    await setup.cleanup()
  }
}

console.log(`\n${describeMachine()}`)
console.log(markdown(['store', 'records', 'revocable.open() s', 'records/s'],
  Object.entries(results).map(([n, r]) => [n, fmtInt(r.records), r.loadSeconds.toFixed(2), fmtInt(r.recordsPerSecond)])))
writeResult('load', { command: 'node benchmark/load.mjs', config: { records: N, stores: STORES }, versions: versions(['better-sqlite3', 'pg', 'ioredis']), results })
