// The app processes of benchmark/http.mjs and the paired measurement that makes
// its headline figure stable on a shared machine.
//
// On a 2-core machine busy with other work, one app's server CPU time per request
// swings by ±10-40% from one second to the next (its caches are shared with
// whatever else runs), and two sequential one-second rounds of two apps barely
// correlate. So a case is always measured in a pair with the empty-middleware
// app of its framework, both loaded at the same time, both pinned to the same
// CPU (the client runs on the others): whatever slows one slows the other, and
// the pair's ratio keeps only what the middleware costs.
import { fork, execFileSync } from 'node:child_process'
import os from 'node:os'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const autocannon = require('autocannon')

// V8 shrinks the heap of a process that has been idle for a few seconds (the
// memory reducer), and a smaller heap collects more often when load returns.
// Every app idles between its rounds, for longer or shorter depending on the
// schedule; without this an app measured first after a long idle paid for it,
// by up to 6% in a test of two identical apps. A loaded server never idles.
export const SERVER_FLAGS = ['--no-memory-reducer']

// CPU time and the request count are read this long after the load starts and
// before it ends, so connecting and closing the sockets stay out of the window.
const MARGIN_MS = 200

/**
 * Which CPUs the apps and this process (the client) run on: the apps on the
 * last CPU, the client on the others. null (no pinning) when BENCH_HTTP_PIN=0,
 * on a single CPU, or where taskset(1) is missing (not Linux).
 */
export function cpuSets(env = process.env.BENCH_HTTP_PIN) {
  const n = os.cpus().length
  if (env === '0' || process.platform !== 'linux' || n < 2) return null
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' })
  } catch {
    return null
  }
  return { apps: String(n - 1), client: n === 2 ? '0' : `0-${n - 2}` }
}

/** Pins every thread of a process (-a) to `cpus`. */
export function pin(pid, cpus) {
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' })
}

/** Starts one app process: resolves to { framework, kind, child, url } once it listens. */
export function startApp(framework, kind, { secret, cpus }) {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('../http-server.mjs', import.meta.url), [framework, kind], {
      env: { ...process.env, BENCH_SECRET: secret }, execArgv: SERVER_FLAGS,
    })
    child.once('message', ({ port }) => {
      if (cpus) pin(child.pid, cpus)
      resolve({ framework, kind, child, url: `http://127.0.0.1:${port}/` })
    })
    child.once('exit', (code) => reject(new Error(`${framework} ${kind} server exited with ${code}`)))
  })
}

const sampleOf = (app) => new Promise((resolve) => {
  app.child.once('message', ({ sample }) => resolve(sample))
  app.child.send('sample')
})
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Loads one app for `seconds` (plus the margins) and reads, in the app, its
 * CPU time and requests served over the window: server CPU µs per request,
 * and the client's req/s and latency over the whole run.
 */
async function measure(app, seconds, { connections, headers }) {
  let instance
  const run = new Promise((resolve, reject) => {
    instance = autocannon({ url: app.url, connections, duration: seconds + (2 * MARGIN_MS) / 1000, headers }, (err, r) => (err ? reject(err) : resolve(r)))
  })
  await sleep(MARGIN_MS)
  const before = await sampleOf(app)
  await sleep(seconds * 1000)
  const after = await sampleOf(app)
  instance.stop()
  const r = await run
  if (r.non2xx || r.errors || r.timeouts) throw new Error(`${app.framework} ${app.kind}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`)
  const n = after.served - before.served
  const user = after.cpu.user - before.cpu.user
  return {
    requests: n, cpuUs: (user + after.cpu.system - before.cpu.system) / n, userUs: user / n,
    gcMajorPerK: ((after.gc.major - before.gc.major) * 1000) / n, gcMsPerK: ((after.gc.ms - before.gc.ms) * 1000) / n,
    rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99,
  }
}

/** Measures the apps at the same time, each under its own `connections`. */
export function measureTogether(apps, seconds, options) {
  return Promise.all(apps.map((app) => measure(app, seconds, options)))
}
