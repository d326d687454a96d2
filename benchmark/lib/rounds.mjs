// Throughput on a shared machine drifts by tens of percent from one second to
// the next, so every task runs once in each of several rounds (order reversed
// every other round) and its median over the rounds counts. Ratios are taken
// between medians of the same run, never across runs.
import { Bench } from 'tinybench'
import { median, spreadPct } from './report.mjs'

/**
 * @param tasks [{ key, run, async }]
 * @returns {Record<string, { opsPerSec, spreadPct, rounds }>} ops/s = 1000 / mean latency
 */
export async function runRounds(tasks, { timeMs, warmupMs, rounds, after = () => {}, log = console.log }) {
  const perRound = Object.fromEntries(tasks.map((t) => [t.key, []]))
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time: timeMs, warmupTime: warmupMs, throws: true })
    for (const t of round % 2 ? [...tasks].reverse() : tasks) bench.add(t.key, t.run, { async: t.async })
    await bench.run()
    for (const task of bench.tasks) {
      if (task.result.state !== 'completed') throw new Error(`${task.name}: ${task.result.state} ${task.result.error ?? ''}`)
      perRound[task.name].push(1000 / task.result.latency.mean)
    }
    after()
    log(`  round ${round + 1}/${rounds} done`)
  }
  return Object.fromEntries(Object.entries(perRound).map(([key, xs]) => [key, { opsPerSec: median(xs), spreadPct: spreadPct(xs), rounds: xs }]))
}
