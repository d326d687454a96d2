// Requests per second of Express and Koa apps with no auth, an empty middleware,
// the usual JWT middleware, fast-jwt, and revocable's middleware, on loopback.
// Each app runs in its own process; autocannon runs here. Cases alternate and
// repeat (order reversed every other round); medians count.
// `node benchmark/http.mjs` — env: BENCH_HTTP_SECONDS (default 5) per case per round,
// BENCH_HTTP_ROUNDS (3), BENCH_HTTP_CONNECTIONS (50), BENCH_HTTP_FRAMEWORKS (express,koa).
import { fork } from 'node:child_process'
import { createRequire } from 'node:module'
import { randomBytes } from 'node:crypto'
import { token } from './lib/tokens.mjs'
import { describeMachine, envList, envNumber, fmtInt, markdown, median, spreadPct, versions, writeResult } from './lib/report.mjs'

const require = createRequire(import.meta.url)
const autocannon = require('autocannon')

const SECONDS = envNumber('BENCH_HTTP_SECONDS', 5)
const ROUNDS = envNumber('BENCH_HTTP_ROUNDS', 3)
const CONNECTIONS = envNumber('BENCH_HTTP_CONNECTIONS', 50)
const FRAMEWORKS = envList('BENCH_HTTP_FRAMEWORKS', ['express', 'koa'])
const CASES = {
  express: ['none', 'empty', 'express-jwt', 'fast-jwt', 'revocable'],
  koa: ['none', 'empty', 'koa-jwt', 'fast-jwt', 'revocable'],
}
const LABEL = { none: 'no auth', empty: 'empty middleware', 'express-jwt': 'express-jwt', 'koa-jwt': 'koa-jwt', 'fast-jwt': 'fast-jwt (cache)', revocable: 'revocable' }

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

async function load(server, seconds) {
  const r = await autocannon({ url: server.url, connections: CONNECTIONS, duration: seconds, headers: { authorization: bearer } })
  if (r.non2xx || r.errors || r.timeouts) throw new Error(`${server.framework} ${server.kind}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`)
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 }
}

const servers = []
for (const framework of FRAMEWORKS) for (const kind of CASES[framework]) servers.push(await start(framework, kind))
try {
  for (const s of servers) await check(s)
  console.log(`${servers.length} apps checked (200 with the token; 401 without it or forged). ` +
    `Warming up, then ${ROUNDS} rounds x ${servers.length} cases x ${SECONDS} s, ${CONNECTIONS} connections...`)
  for (const s of servers) await load(s, 1)
  const runs = new Map(servers.map((s) => [s, []]))
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of round % 2 ? [...servers].reverse() : servers) runs.get(s).push(await load(s, SECONDS))
    console.log(`  round ${round + 1}/${ROUNDS} done`)
  }

  const results = {}
  for (const [s, xs] of runs) {
    results[s.framework] ??= {}
    const rps = xs.map((x) => x.rps)
    results[s.framework][s.kind] = { label: LABEL[s.kind], rps: median(rps), spreadPct: spreadPct(rps), rounds: rps,
      p50Ms: median(xs.map((x) => x.p50)), p99Ms: median(xs.map((x) => x.p99)) }
  }
  for (const fw of FRAMEWORKS) {
    const empty = results[fw].empty.rps
    for (const r of Object.values(results[fw])) r.pctOfEmpty = (r.rps / empty) * 100
  }
  const target = results.express?.revocable && { label: 'Express, revocable middleware / empty middleware', pct: results.express.revocable.pctOfEmpty, minPct: 98 }
  if (target) target.met = target.pct >= target.minPct

  console.log(`\n${describeMachine()}`)
  for (const fw of FRAMEWORKS) {
    console.log(`\n${fw}: requests/s, median of ${ROUNDS} rounds of ${SECONDS} s, ${CONNECTIONS} connections, loopback`)
    console.log(markdown(['middleware', 'req/s', '% of empty', 'p50 ms', 'p99 ms'], Object.values(results[fw]).map((r) =>
      [r.label, `${fmtInt(r.rps)} ±${r.spreadPct.toFixed(0)}%`, `${r.pctOfEmpty.toFixed(1)}%`, r.p50Ms, r.p99Ms])))
  }
  if (target) console.log(`\nTarget: ${target.label} = ${target.pct.toFixed(1)}% (wanted ≥ ${target.minPct}%): ${target.met ? 'met' : 'MISSED'}`)

  writeResult('http', {
    command: 'node benchmark/http.mjs',
    config: { seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, frameworks: FRAMEWORKS },
    versions: versions(['express', 'koa', 'express-jwt', 'koa-jwt', 'fast-jwt', 'autocannon']),
    results, targets: target ? [target] : [],
  })
} finally {
  for (const s of servers) s.child.kill()
}
