// One memory measurement in a fresh process (run by memory.mjs):
// `node --expose-gc benchmark/memory-child.mjs <kind> <entries>` prints one JSON line.
// kind: token | user | session | allow (the native table), or js-map (a baseline:
// the same token entries in a JavaScript Map, what an in-JS revocation list costs).
import { fillTable } from './lib/table.mjs'

const [kind, raw] = process.argv.slice(2)
const n = Number(raw)
if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc')
const settle = () => { for (let i = 0; i < 3; i++) globalThis.gc() }

// A small fill first, thrown away: code pages, JIT and allocator arenas are then
// already in the RSS, and the measured growth is the entries' alone.
if (kind === 'js-map') new Map([['warm', 1]])
else fillTable(`warm-up-${kind}`, 10_000, kind)
settle()
const before = process.memoryUsage()
const t0 = performance.now()
let holder
let tableBytes = null
if (kind === 'js-map') {
  holder = new Map()
  const exp = Math.floor(Date.now() / 1000) + 3600
  for (let i = 0; i < n; i++) holder.set(`https://issuer.example\u0000revoked-${i}`, exp)
} else {
  holder = fillTable(`memory-${kind}-${n}`, n, kind)
  tableBytes = holder.stats().bytes
}
const fillSeconds = (performance.now() - t0) / 1000
settle()
const after = process.memoryUsage()
const delta = (k) => after[k] - before[k]
console.log(JSON.stringify({
  kind, entries: n, fillSeconds,
  rssDelta: delta('rss'), heapUsedDelta: delta('heapUsed'), heapTotalDelta: delta('heapTotal'), externalDelta: delta('external'),
  tableBytes, size: kind === 'js-map' ? holder.size : null,
}))
