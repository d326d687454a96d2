// Bytes per revocation-table entry at 1M and 10M entries for each entry kind,
// each measured in a fresh process: the process RSS growth (what the OS sees),
// the V8 heap growth (the table lives outside it), and the table's own count
// of its maps' capacity (`stats().bytes`). A JavaScript Map of the same
// token entries is the baseline. `node benchmark/memory.mjs` — env:
// BENCH_MEMORY_ENTRIES (default 1000000,10000000), BENCH_MEMORY_KINDS (token,user,session,allow,js-map).
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describeMachine, envList, fmtInt, markdown, writeResult } from './lib/report.mjs'

const SIZES = envList('BENCH_MEMORY_ENTRIES', ['1000000', '10000000']).map(Number)
const KINDS = envList('BENCH_MEMORY_KINDS', ['token', 'user', 'session', 'allow', 'js-map'])
const child = fileURLToPath(new URL('./memory-child.mjs', import.meta.url))

const results = []
for (const kind of KINDS) {
  for (const n of SIZES) {
    const out = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', child, kind, String(n)], { encoding: 'utf8' })
    const r = JSON.parse(out.trim().split('\n').pop())
    const per = (x) => (x === null ? null : +(x / n).toFixed(1))
    // RSS growth outside the V8 heap: what the native table (and its allocator) costs.
    const native = kind === 'js-map' ? null : r.rssDelta - r.heapTotalDelta
    Object.assign(r, { rssPerEntry: per(r.rssDelta), nativePerEntry: per(native), heapPerEntry: per(r.heapUsedDelta), tablePerEntry: per(r.tableBytes) })
    results.push(r)
    console.log(`  ${kind} x ${fmtInt(n)}: ${r.rssPerEntry} B/entry RSS, ${r.heapPerEntry} B/entry V8 heap (${r.fillSeconds.toFixed(1)} s)`)
  }
}

const tokenAtMax = results.find((r) => r.kind === 'token' && r.entries === 10_000_000)
const targets = tokenAtMax ? [{ label: 'revoked-token entry at 10M, RSS outside the V8 heap', bytes: tokenAtMax.nativePerEntry, max: 40, met: tokenAtMax.nativePerEntry < 40 }] : []

console.log(`\n${describeMachine()}`)
console.log(markdown(['entry kind', 'entries', 'RSS B/entry', 'outside V8 heap B/entry', 'V8 heap B/entry', 'stats().bytes B/entry'],
  results.map((r) => [r.kind, fmtInt(r.entries), r.rssPerEntry, r.nativePerEntry ?? '—', r.heapPerEntry, r.tablePerEntry ?? '—'])))
for (const t of targets) console.log(`\nTarget: ${t.label} = ${t.bytes} B (wanted < ${t.max}): ${t.met ? 'met' : 'MISSED'}`)
writeResult('memory', { command: 'node benchmark/memory.mjs', config: { sizes: SIZES, kinds: KINDS }, results, targets })
