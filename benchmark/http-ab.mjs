// The HTTP cases one app at a time instead of in pairs: each app is loaded
// alone (the others idle) in rounds whose order turns, and the figure is its
// server CPU time per request against the empty middleware's, medians over
// the rounds. A second view of benchmark/http.mjs's paired figure, which two
// processes sharing one CPU can tilt against the one with the larger working set.
// `node benchmark/http-ab.mjs [express|koa]` — env: BENCH_HTTP_SECONDS (5) per
// measurement, BENCH_HTTP_ROUNDS (4), BENCH_HTTP_CONNECTIONS (25),
// BENCH_HTTP_CASES (empty,assign,revocable).
import { randomBytes } from 'node:crypto'
import { token } from './lib/tokens.mjs'
import { startApp, measureTogether, cpuSets, pin } from './lib/http-pairs.mjs'
import { describeMachine, envList, envNumber, markdown, median } from './lib/report.mjs'

const FRAMEWORK = process.argv[2] ?? 'express'
const SECONDS = envNumber('BENCH_HTTP_SECONDS', 5)
const ROUNDS = envNumber('BENCH_HTTP_ROUNDS', 4)
const CONNECTIONS = envNumber('BENCH_HTTP_CONNECTIONS', 25)
const CASES = envList('BENCH_HTTP_CASES', ['empty', 'assign', 'revocable'])
if (!CASES.includes('empty')) CASES.unshift('empty')

const secret = randomBytes(32).toString('hex')
const load = { connections: CONNECTIONS, headers: { authorization: `Bearer ${token('HS256', secret, { jti: 'http-ab' })}` } }
const cpus = cpuSets()
if (cpus) pin(process.pid, cpus.client)

const apps = {}
for (const kind of CASES) apps[kind] = await startApp(FRAMEWORK, kind, { secret, cpus: cpus?.apps })
const perRequest = Object.fromEntries(CASES.map((k) => [k, []]))
try {
  for (const kind of CASES) await measureTogether([apps[kind]], 1, load) // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? [...CASES].reverse() : CASES
    for (const kind of order) perRequest[kind].push((await measureTogether([apps[kind]], SECONDS, load))[0].cpuUs)
  }
} finally {
  for (const app of Object.values(apps)) app.child.kill()
}

const empty = median(perRequest.empty)
console.log(`\n${describeMachine()}; ${FRAMEWORK}, ${ROUNDS} rounds of ${SECONDS} s per app, one app loaded at a time`)
console.log(markdown(['middleware', 'server CPU µs/req (median)', 'rounds', '% of empty'], CASES.map((k) => [
  k, median(perRequest[k]).toFixed(1), perRequest[k].map((x) => x.toFixed(1)).join(' '), `${((100 * empty) / median(perRequest[k])).toFixed(1)}%`,
])))
