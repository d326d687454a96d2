// A/B in one run: Guard.verify with the metrics counters (lib/guard.js) against
// the Guard as it was before them (lib/guard.js at BENCH_BASE, copied beside it
// for the run and removed after), on the same native addon and the same tokens,
// in alternating rounds timed in CPU time, with a second Guard of the before
// class as a control for the noise. Each task call verifies a
// batch of tokens so that the harness's own cost does not drown the difference.
// `node benchmark/metrics-ab.mjs` — env: BENCH_BASE (git revision, default
// 52aa108, the commit before the counters), BENCH_TIME_MS (300), BENCH_ROUNDS (15).
// The "after" Guard is the current lib/guard.js: once later commits change it,
// the difference measures them too. Result at 28cb5f7 (the counters alone),
// release addon, 2 shared cores at load ~4, three runs: CPU time per verify
// after/before 1.005, 1.014, 0.991 repeated (cache hit, ~215 ns) and 1.022,
// 1.003, 0.988 cold (cache off, ~3 us); the A/A control 0.97 to 1.02.
import { createRequire } from 'node:module'
import { execFileSync } from 'node:child_process'
import { writeFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { envNumber } from './lib/report.mjs'

const require = createRequire(import.meta.url)
const root = fileURLToPath(new URL('..', import.meta.url))
const BASE = process.env.BENCH_BASE ?? '52aa108'
const TIME_MS = envNumber('BENCH_TIME_MS', 300)
const ROUNDS = envNumber('BENCH_ROUNDS', 15)
const BATCH = 256

const beforePath = `${root}lib/guard-before-metrics.tmp.js`
writeFileSync(beforePath, execFileSync('git', ['show', `${BASE}:lib/guard.js`], { cwd: root }))
let Before
try {
  Before = require(beforePath).Guard
} finally {
  rmSync(beforePath)
}
const revocable = require('../index.js')
const After = revocable.Guard

const secret = 'a-benchmark-secret-of-32-bytes!!'
const options = (cache) => ({
  algorithms: ['HS256'], secret, issuer: 'https://issuer.example', maxTokenLifetime: '1h', cache,
  store: revocable.stores.sqlite(':memory:'), pruneInterval: 3600_000,
})
const sign = (i) => revocable.sign({ sub: `user-${i}` }, secret, { expiresIn: 600, issuer: 'https://issuer.example' })
const repeated = sign(0)
const cold = Array.from({ length: 4096 }, (_, i) => sign(i))

const guards = {}
// 'control' is a second Guard of the before class: its distance from 'before' is the noise.
for (const [name, Guard] of [['before', Before], ['after', After], ['control', Before]]) {
  guards[`${name} repeated`] = [await Guard.open(options(1000)), () => repeated]
  let i = 0
  guards[`${name} cold`] = [await Guard.open(options(0)), () => cold[i++ & 4095]]
}
if (typeof guards['before repeated'][0].metrics === 'function') throw new Error(`${BASE} already has metrics(): pick the commit before them`)
// CPU time (process.cpuUsage), not wall time: on a shared machine a round that
// loses the core to another process would otherwise count the wait.
const cpuNs = () => { const u = process.cpuUsage(); return (u.user + u.system) * 1000 }
const perRound = Object.fromEntries(Object.keys(guards).map((k) => [k, []]))
const keys = Object.keys(guards)
for (let round = 0; round < ROUNDS; round++) {
  for (const key of round % 2 ? [...keys].reverse() : keys) {
    const [guard, next] = guards[key]
    const t0 = cpuNs()
    let calls = 0
    const until = performance.now() + TIME_MS
    while (performance.now() < until) {
      for (let n = 0; n < BATCH; n++) guard.verify(next())
      calls += BATCH
    }
    perRound[key].push((cpuNs() - t0) / calls)
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
const ns = Object.fromEntries(Object.entries(perRound).map(([k, xs]) => [k, median(xs)]))
for (const mode of ['repeated', 'cold']) {
  const [b, a, c] = ['before', 'after', 'control'].map((v) => ns[`${v} ${mode}`])
  console.log(`${mode.padEnd(8)} CPU ns/verify (median of ${ROUNDS}): before ${b.toFixed(1)}  after ${a.toFixed(1)}  control ${c.toFixed(1)}  ` +
    `after/before ${(a / b).toFixed(3)}  control/before ${(c / b).toFixed(3)}`)
}
console.log('counted by the after Guard:', JSON.stringify(guards['after repeated'][0].metrics().verifications.ok))
for (const [guard] of Object.values(guards)) await guard.close()
