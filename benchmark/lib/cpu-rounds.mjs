// CPU time per operation, for a machine shared with other work: wall-clock
// throughput there swings by tens of percent with the load, while the CPU time
// this process spends per operation barely moves. Every task runs one batch
// per round (order rotated each round); its best round counts, since load
// only ever adds time (cache misses, a sibling hyperthread), never removes it.
import { median, spreadPct } from './report.mjs'

/**
 * @param tasks [{ key, run, async }]
 * @returns {Record<string, { opsPerSec, cpuNs, spreadPct, rounds }>} opsPerSec = 1e9 / best cpuNs (per CPU-second)
 */
export async function runCpuRounds(tasks, { timeMs, warmupMs, rounds, after = () => {}, log = console.log }) {
  const perRound = Object.fromEntries(tasks.map((t) => [t.key, []]))
  const batch = {}
  for (const t of tasks) {
    // Warm up, and size the batch so it takes about timeMs.
    let n = 0
    const start = performance.now()
    while (performance.now() - start < warmupMs) { if (t.async) await t.run(); else t.run(); n++ }
    batch[t.key] = Math.max(1, Math.round((n * timeMs) / warmupMs))
  }
  for (let round = 0; round < rounds; round++) {
    const order = tasks.map((_, i) => tasks[(i + round) % tasks.length])
    for (const t of order) {
      const n = batch[t.key]
      const before = process.cpuUsage()
      if (t.async) for (let i = 0; i < n; i++) await t.run()
      else for (let i = 0; i < n; i++) t.run()
      const used = process.cpuUsage(before)
      perRound[t.key].push(((used.user + used.system) * 1000) / n)
    }
    after()
    log(`  round ${round + 1}/${rounds} done`)
  }
  return Object.fromEntries(Object.entries(perRound).map(([key, ns]) => {
    const cpuNs = Math.min(...ns)
    return [key, { opsPerSec: 1e9 / cpuNs, cpuNs, medianCpuNs: median(ns), spreadPct: spreadPct(ns), rounds: ns }]
  }))
}
