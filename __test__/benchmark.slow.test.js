'use strict'

// The benchmarks still run against the current API, and their built-in checks
// (every verifier rejects forged, mis-addressed and revoked tokens; cold runs
// never hit revocable's result cache; each app answers 401 without a valid
// token) still pass. Smoke sizes only: no timing is asserted here.
const { execFile } = require('node:child_process')
const { mkdtempSync, readFileSync, rmSync } = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const ROOT = path.join(__dirname, '..')
let dir

beforeAll(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'revocable-bench-')) })
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function run(file, env = {}, args = []) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...args, path.join(ROOT, 'benchmark', file)], {
      cwd: ROOT, env: { ...process.env, BENCH_RESULTS_DIR: dir, ...env }, maxBuffer: 16 * 2 ** 20,
    }, (err, stdout, stderr) => (err ? reject(Object.assign(err, { stdout, stderr })) : resolve(stdout)))
  })
}
const result = (name) => JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8'))

test('verify measures every row, cold runs miss the result cache and repeated ones hit it', async () => {
  await run('verify.mjs', { BENCH_ALGS: 'HS256,EdDSA', BENCH_TIME_MS: '5', BENCH_ROUNDS: '1', BENCH_REVOKED: '100', BENCH_POOL: '2048' })
  const r = result('verify')
  for (const row of ['revocable Verifier', 'revocable Guard (10 revoked)', 'revocable Guard (10M revoked)', 'jsonwebtoken (KeyObject)', 'fast-jwt (cache)']) {
    expect(r.results.HS256[row].cold.opsPerSec).toBeGreaterThan(0)
    expect(r.results.HS256[row].repeated.opsPerSec).toBeGreaterThan(0)
  }
  expect(r.results.EdDSA['jsonwebtoken (KeyObject)']).toBeUndefined() // jsonwebtoken 9 has no EdDSA
  expect(r.table.entries).toBe(100)
  expect(r.targets.find((t) => t.alg === 'HS256' && t.mode === 'cold').ratio).toBeGreaterThan(0)
  expect(r.cache['HS256|revocable Guard (10M revoked)|cold'].hits).toBe(0)
  expect(r.cache['HS256|revocable Guard (10M revoked)|repeated'].hitRate).toBeGreaterThan(0.9)
}, 120_000)

test('sign measures every row, and every signer\'s tokens verify (the benchmark checks them first)', async () => {
  await run('sign.mjs', { BENCH_ALGS: 'HS256,EdDSA', BENCH_TIME_MS: '5', BENCH_ROUNDS: '1' })
  const r = result('sign')
  for (const row of ['revocable sign', 'revocable auth.sign', 'revocable auth.issue (pair)', 'jsonwebtoken (KeyObject)', 'fast-jwt', 'jose (CryptoKey)']) {
    expect(r.results.HS256[row].sign.opsPerSec).toBeGreaterThan(0)
  }
  expect(r.results.EdDSA['jsonwebtoken (KeyObject)']).toBeUndefined() // jsonwebtoken 9 has no EdDSA
  expect(r.targets.map((t) => [t.alg, t.ratio > 0])).toEqual([['HS256', true], ['ES256', false], ['EdDSA', true], ['RS256', false]])
}, 120_000)

test('the HTTP apps accept the token, refuse a missing or forged one, and are measured', async () => {
  await run('http.mjs', { BENCH_HTTP_FRAMEWORKS: 'express,koa,fastify', BENCH_HTTP_SECONDS: '0.5', BENCH_HTTP_ROUNDS: '1', BENCH_HTTP_PROCESSES: '2', BENCH_HTTP_WARMUP: '0.3' })
  const r = result('http')
  expect(Object.keys(r.results.express).sort()).toEqual(['none', 'empty', 'assign', 'express-jwt', 'fast-jwt', 'revocable'].sort())
  expect(Object.keys(r.results.koa).sort()).toEqual(['none', 'empty', 'assign', 'koa-jwt', 'fast-jwt', 'revocable'].sort())
  expect(Object.keys(r.results.fastify).sort()).toEqual(['none', 'empty', '@fastify/jwt', 'revocable'].sort())
  expect(r.results.fastify.revocable.pctOfEmpty).toBeGreaterThan(0)
  expect(r.results.express.revocable.rps).toBeGreaterThan(0)
  expect(r.results.koa.revocable.perCpuSecond).toBeGreaterThan(0)
  expect(r.results.express.revocable.pairs).toBe(2) // one per revocable process each round
  expect(r.targets.map((t) => [t.minPct, t.pct > 0])).toEqual([[98, true], [95, true]])
}, 120_000)

test('memory and load measure every entry kind and store', async () => {
  await run('memory.mjs', { BENCH_MEMORY_ENTRIES: '20000' })
  const m = result('memory')
  expect(m.results.map((x) => x.kind)).toEqual(['token', 'user', 'session', 'allow', 'js-map'])
  for (const x of m.results.filter((k) => k.kind !== 'js-map')) expect(x.tableBytes).toBeGreaterThan(20000 * 16)
  await run('load.mjs', { BENCH_LOAD_RECORDS: '2000' })
  const l = result('load')
  for (const store of ['sqlite', 'postgres', 'redis']) expect(l.results[store].records).toBe(2000)
}, 120_000)

test('burst measures every store: every revocation acknowledged, the ban behind the queue reaches the other instance', async () => {
  await run('burst.mjs', { BENCH_BURST_N: '500', BENCH_BURST_BEHIND: '500', BENCH_BURST_ROUNDS: '1' })
  const b = result('burst')
  expect(b.results.map((r) => r.store)).toEqual(['redis (ioredis)', 'postgres', 'sqlite'])
  for (const r of b.results) {
    expect(r.bestPerSecond).toBeGreaterThan(0)
    expect(Number.isFinite(r.worstBanMs)).toBe(true) // Infinity: the ban never arrived
  }
}, 120_000)

test('charts render every result as SVG', async () => {
  await run('chart.mjs')
  for (const name of ['verify', 'http', 'memory', 'load']) {
    const svg = readFileSync(path.join(dir, `${name}.svg`), 'utf8')
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true)
  }
  expect(readFileSync(path.join(dir, 'verify.svg'), 'utf8')).toContain('revocable Guard (10M revoked)')
})
