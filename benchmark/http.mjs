// Server CPU time per request, and requests per second, of Express, Koa and Fastify apps with no auth, an empty
// middleware (Fastify: an empty onRequest hook), the usual JWT middleware
// (express-jwt, koa-jwt, @fastify/jwt), fast-jwt, and revocable's, on loopback.
// Each app runs in its own process; autocannon runs here. Cases alternate and
// repeat (the order rotates every round); a case's share of the empty-middleware
// app is taken within each round, then the median over rounds counts, so load
// that drifts over minutes on a shared machine cancels out. The headline figure
// is the server process's CPU time per request (process.cpuUsage in the child,
// over the requests served): it barely moves with the load on a shared machine,
// where requests/s swings by tens of percent. Each app's best round counts (as
// in lib/cpu-rounds.mjs: load only ever adds CPU time, through cache misses and
// a busy sibling core), and the per-round shares' median and range are printed beside it.
// `node benchmark/http.mjs` — env: BENCH_HTTP_SECONDS (default 3) per case per round,
// BENCH_HTTP_ROUNDS (5), BENCH_HTTP_CONNECTIONS (50), BENCH_HTTP_FRAMEWORKS (express,koa,fastify),
// BENCH_HTTP_CASES (all; the empty middleware, which the shares need, is always run).
import { fork } from 'node:child_process'
import { createRequire } from 'node:module'
import { randomBytes } from 'node:crypto'
import { token } from './lib/tokens.mjs'
import { CASES, expressMiddleware } from './lib/apps.mjs'
import { runRounds } from './lib/rounds.mjs'
import { describeMachine, envList, envNumber, fmtInt, markdown, median, spreadPct, versions, writeResult } from './lib/report.mjs'

const require = createRequire(import.meta.url)
const autocannon = require('autocannon')

const SECONDS = envNumber('BENCH_HTTP_SECONDS', 3)
const ROUNDS = envNumber('BENCH_HTTP_ROUNDS', 5)
const CONNECTIONS = envNumber('BENCH_HTTP_CONNECTIONS', 50)
const FRAMEWORKS = envList('BENCH_HTTP_FRAMEWORKS', ['express', 'koa', 'fastify'])
const KINDS = envList('BENCH_HTTP_CASES', null)
const LABEL = { none: 'no auth', empty: 'empty middleware', 'express-jwt': 'express-jwt', 'koa-jwt': 'koa-jwt', '@fastify/jwt': '@fastify/jwt', 'fast-jwt': 'fast-jwt (cache)', revocable: 'revocable' }

const secret = randomBytes(32).toString('hex')
const bearer = `Bearer ${token('HS256', secret, { jti: 'http-bench' })}`

function start(framework, kind) {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./http-server.mjs', import.meta.url), [framework, kind], { env: { ...process.env, BENCH_SECRET: secret } })
    child.once('message', ({ port }) => resolve({ framework, kind, child, url: `http://127.0.0.1:${port}/` }))
    child.once('exit', (code) => reject(new Error(`${framework} ${kind} server exited with ${code}`)))
  })
}

// Each app must accept the token and, when it authenticates, refuse a missing or forged one.
async function check({ framework, kind, url }) {
  const status = async (headers) => (await fetch(url, { headers })).status
  const ok = await fetch(url, { headers: { authorization: bearer } })
  if (ok.status !== 200 || (await ok.text()) !== 'ok') throw new Error(`${framework} ${kind}: a valid token got ${ok.status}`)
  if (kind === 'none' || kind === 'empty') return
  const forged = bearer.slice(0, -2) + (bearer.endsWith('AA') ? 'BB' : 'AA')
  for (const [what, headers] of [['no token', {}], ['a forged token', { authorization: forged }]]) {
    const s = await status(headers)
    if (s !== 401) throw new Error(`${framework} ${kind}: ${what} got ${s}, expected 401`)
  }
}

const cpuOf = (server) => new Promise((resolve) => {
  server.child.once('message', ({ cpu }) => resolve(cpu))
  server.child.send('cpu')
})

async function load(server, seconds) {
  const before = await cpuOf(server)
  const r = await autocannon({ url: server.url, connections: CONNECTIONS, duration: seconds, headers: { authorization: bearer } })
  if (r.non2xx || r.errors || r.timeouts) throw new Error(`${server.framework} ${server.kind}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`)
  const after = await cpuOf(server)
  const user = after.user - before.user
  const cpuUs = user + after.system - before.system
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, cpuUsPerRequest: cpuUs / r.requests.total, userUsPerRequest: user / r.requests.total }
}

// Each Express middleware called directly in this process, on a request that carries the token:
// what it adds to every request, without the HTTP stack and its noise around it.
async function perCall() {
  const tasks = []
  for (const kind of CASES.express.filter((k) => k !== 'none')) {
    const mw = await expressMiddleware(kind, secret)
    const res = { status() { throw new Error(`${kind} refused the token`) } }
    const req = () => ({ method: 'GET', url: '/', originalUrl: '/', headers: { authorization: bearer } })
    const run = kind === 'express-jwt'
      ? () => new Promise((resolve, reject) => mw(req(), res, (err) => (err ? reject(err) : resolve())))
      : () => mw(req(), res, (err) => { if (err) throw err })
    tasks.push({ key: kind, async: kind === 'express-jwt', run })
  }
  const r = await runRounds(tasks, { timeMs: 300, warmupMs: 50, rounds: 3, log: () => {} })
  return Object.fromEntries(Object.entries(r).map(([k, x]) => [k, { usPerCall: 1e6 / x.opsPerSec, spreadPct: x.spreadPct }]))
}
const direct = FRAMEWORKS.includes('express') ? await perCall() : null

const servers = []
for (const framework of FRAMEWORKS) {
  for (const kind of CASES[framework]) if (KINDS === null || kind === 'empty' || KINDS.includes(kind)) servers.push(await start(framework, kind))
}
try {
  for (const s of servers) await check(s)
  console.log(`${servers.length} apps checked (200 with the token; 401 without it or forged). ` +
    `Warming up, then ${ROUNDS} rounds x ${servers.length} cases x ${SECONDS} s, ${CONNECTIONS} connections...`)
  for (const s of servers) await load(s, 1)
  const runs = new Map(servers.map((s) => [s, []]))
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...servers.slice(round % servers.length), ...servers.slice(0, round % servers.length)]
    for (const s of round % 2 ? order.reverse() : order) runs.get(s).push(await load(s, SECONDS))
    console.log(`  round ${round + 1}/${ROUNDS} done`)
  }
  const emptyOf = (fw) => runs.get(servers.find((s) => s.framework === fw && s.kind === 'empty'))

  const results = {}
  for (const [s, xs] of runs) {
    results[s.framework] ??= {}
    const rps = xs.map((x) => x.rps)
    const empty = emptyOf(s.framework)
    const pct = xs.map((x, round) => (x.rps / empty[round].rps) * 100)
    // The server's CPU time per request; its share of the empty app's is the throughput a saturated server would keep.
    const cpuPct = xs.map((x, round) => (empty[round].cpuUsPerRequest / x.cpuUsPerRequest) * 100)
    const best = (runs, k = 'cpuUsPerRequest') => Math.min(...runs.map((x) => x[k]))
    results[s.framework][s.kind] = { label: s.framework === 'fastify' && s.kind === 'empty' ? 'empty onRequest hook' : LABEL[s.kind], rps: median(rps), spreadPct: spreadPct(rps), rounds: rps,
      pctOfEmpty: median(pct), pctRounds: pct, p50Ms: median(xs.map((x) => x.p50)), p99Ms: median(xs.map((x) => x.p99)),
      cpuUsPerRequest: best(xs), cpuMedianUs: median(xs.map((x) => x.cpuUsPerRequest)), cpuSpreadPct: spreadPct(xs.map((x) => x.cpuUsPerRequest)),
      cpuRounds: xs.map((x) => x.cpuUsPerRequest), cpuPctOfEmpty: (best(empty) / best(xs)) * 100, cpuPctMedian: median(cpuPct), cpuPctRounds: cpuPct,
      userUsPerRequest: best(xs, 'userUsPerRequest'), userPctOfEmpty: (best(empty, 'userUsPerRequest') / best(xs, 'userUsPerRequest')) * 100 }
  }
  // The headline targets are by server CPU per request; req/s is printed beside it.
  const MIN_PCT = { express: 98, koa: 95 }
  const targets = Object.entries(MIN_PCT).filter(([fw]) => results[fw]?.revocable).map(([fw, minPct]) => {
    const r = results[fw].revocable
    const pct = r.cpuPctOfEmpty
    return { label: `${fw}, revocable / empty middleware, by server CPU per request`, pct, minPct, met: pct >= minPct,
      medianPct: r.cpuPctMedian, rangePct: [Math.min(...r.cpuPctRounds), Math.max(...r.cpuPctRounds)], reqPerSecPct: r.pctOfEmpty }
  })

  console.log(`\n${describeMachine()}`)
  for (const fw of FRAMEWORKS) {
    console.log(`\n${fw}: server CPU per request and requests/s, median of ${ROUNDS} rounds of ${SECONDS} s, ${CONNECTIONS} connections, loopback`)
    const range = (xs, digits = 0) => `${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)}`
    console.log(markdown(['middleware', 'server CPU µs/req: best (range)', 'CPU: % of empty, best', 'per round: median (range)', 'user CPU µs/req, best: % of empty', 'req/s', 'req/s: % of empty (range)', 'p50 ms', 'p99 ms'], Object.values(results[fw]).map((r) =>
      [r.label, `${r.cpuUsPerRequest.toFixed(2)} (${range(r.cpuRounds, 2)})`, `${r.cpuPctOfEmpty.toFixed(1)}%`, `${r.cpuPctMedian.toFixed(1)}% (${range(r.cpuPctRounds, 1)})`, `${r.userUsPerRequest.toFixed(2)}: ${r.userPctOfEmpty.toFixed(1)}%`,
        `${fmtInt(r.rps)} ±${r.spreadPct.toFixed(0)}%`, `${r.pctOfEmpty.toFixed(1)}% (${range(r.pctRounds)})`, r.p50Ms, r.p99Ms])))
  }
  if (direct) {
    // A saturated single-threaded server spends 1e6 / rps µs per request; a middleware costing c µs leaves 1 / (1 + c * rps / 1e6).
    const empty = results.express.empty.rps
    for (const d of Object.values(direct)) d.impliedPctOfEmpty = 100 / (1 + (d.usPerCall - direct.empty.usPerCall) * empty / 1e6)
    console.log('\nExpress middleware called directly in one process (median of 3 rounds): µs per request, and the share of the empty-middleware rate that cost implies at the measured rate')
    console.log(markdown(['middleware', 'µs per call', 'implied % of empty'], Object.entries(direct).map(([k, d]) =>
      [LABEL[k], `${d.usPerCall.toFixed(2)} ±${d.spreadPct.toFixed(0)}%`, `${d.impliedPctOfEmpty.toFixed(1)}%`])))
  }
  for (const t of targets) {
    console.log(`\nTarget: ${t.label} = ${t.pct.toFixed(1)}% (per round: median ${t.medianPct.toFixed(1)}%, ${t.rangePct[0].toFixed(1)}-${t.rangePct[1].toFixed(1)}%; wanted ≥ ${t.minPct}%): ` +
      `${t.met ? 'met' : 'MISSED'} (by req/s: ${t.reqPerSecPct.toFixed(1)}%)`)
  }

  writeResult('http', {
    command: 'node benchmark/http.mjs',
    config: { seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, frameworks: FRAMEWORKS, cases: KINDS },
    versions: versions(['express', 'koa', 'fastify', 'express-jwt', 'koa-jwt', '@fastify/jwt', 'fast-jwt', 'autocannon']),
    results, direct, targets,
  })
} finally {
  for (const s of servers) s.child.kill()
}
