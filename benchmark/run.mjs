// `npm run bench`: every benchmark, one after the other, each in its own process,
// then the charts and the list of issue 6's targets as measured. About 10 minutes
// on a 2-core machine. `node benchmark/run.mjs [verify] [sign] [http] [memory] [load]`
// runs a subset; BENCH_QUICK=1 shortens every benchmark to a smoke run (about a minute).
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { readResult, fmtRatio, markdown } from './lib/report.mjs'

const ALL = ['verify', 'sign', 'http', 'memory', 'load']
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : ALL
for (const name of chosen) if (!ALL.includes(name)) throw new Error(`unknown benchmark ${name}; one of ${ALL.join(', ')}`)

const QUICK = {
  BENCH_TIME_MS: '40', BENCH_ROUNDS: '1', BENCH_REVOKED: '100000', BENCH_POOL: '2048',
  BENCH_HTTP_SECONDS: '1', BENCH_HTTP_ROUNDS: '1', BENCH_HTTP_PROCESSES: '1', BENCH_HTTP_WARMUP: '0.5', BENCH_MEMORY_ENTRIES: '100000', BENCH_LOAD_RECORDS: '20000',
}
const env = { ...(process.env.BENCH_QUICK ? QUICK : {}), ...process.env }
const NODE_FLAGS = { memory: [], verify: ['--max-old-space-size=4096'] }

const started = Date.now()
for (const name of [...chosen, 'chart']) {
  const file = fileURLToPath(new URL(`./${name}.mjs`, import.meta.url))
  console.log(`\n=== node benchmark/${name}.mjs`)
  const r = spawnSync(process.execPath, [...(NODE_FLAGS[name] ?? []), file], { stdio: 'inherit', env })
  if (r.status !== 0) {
    console.error(`benchmark/${name}.mjs failed (exit ${r.status ?? r.signal})`)
    process.exit(1)
  }
}

// Every target with the number this run measured and the command that printed it.
const rows = []
const verify = chosen.includes('verify') && readResult('verify')
for (const t of verify?.targets ?? []) rows.push([t.label, fmtRatio(t.ratio), `≥ ${t.min}x`, t.met === null ? 'not measured' : t.met ? 'met' : 'MISSED', verify.command])
const sign = chosen.includes('sign') && readResult('sign')
for (const t of sign?.targets ?? []) rows.push([t.label, fmtRatio(t.ratio), `≥ ${t.min}x`, t.met === null ? 'not measured' : t.met ? 'met' : 'MISSED', sign.command])
const http = chosen.includes('http') && readResult('http')
for (const t of http?.targets ?? []) rows.push([t.label, `${t.pct.toFixed(1)}%`, `≥ ${t.minPct}%`, t.met ? 'met' : 'MISSED', http.command])
const memory = chosen.includes('memory') && readResult('memory')
for (const t of memory?.targets ?? []) rows.push([t.label, `${t.bytes} B`, `< ${t.max} B`, t.met ? 'met' : 'MISSED', memory.command])
console.log(`\nIssue 6 and 16 targets, this run (${((Date.now() - started) / 60000).toFixed(1)} min${process.env.BENCH_QUICK ? ', BENCH_QUICK: smoke numbers' : ''}):`)
console.log(markdown(['target', 'measured', 'wanted', '', 'printed by'], rows))
