// The revocation check is one hash probe per rule: verify + check costs the
// same with 10,000,000 revoked tokens as with 10. Also reports memory per entry.
// `node --expose-gc benchmark/table.mjs` (ENTRIES=10000000 by default)
import { createRequire } from 'node:module'
import { writeFileSync, mkdirSync } from 'node:fs'

const require = createRequire(import.meta.url)
const { NativeGuard } = require('../binding.js')
const { sign } = require('../index.js')

const ENTRIES = Number(process.env.ENTRIES ?? 10_000_000)
const secret = 'a-table-benchmark-secret-32-bytes!'
const now = Date.now()
const opts = { algorithms: ['HS256'], key: Buffer.from(secret), issuer: ['https://issuer.example'], audience: ['web'] }
const token = sign({ sub: 'u-live', sid: 's-live' }, secret, { expiresIn: '10m', issuer: 'https://issuer.example', audience: 'web' })

function guardWith(n, kind) {
  const g = new NativeGuard(opts, { tableId: `bench-${kind}-${n}-${Math.random()}`, maxTokenLifetime: '1h' })
  if (kind === 'token') g.reserve(n)
  const exp = now / 1000 + 3600
  for (let i = 0; i < n; i++) {
    if (kind === 'token') g.revokeToken('https://issuer.example', `jti-${i}`, exp)
    else if (kind === 'user') g.revokeUser(`user-${i}`, now)
    else g.revokeSession('sid', `session-${i}`, now)
  }
  return g
}

function opsPerSec(g, rounds = 5, n = 200_000) {
  let best = 0
  for (let r = 0; r < rounds; r++) {
    const t = process.hrtime.bigint()
    for (let i = 0; i < n; i++) g.verify(token, now)
    best = Math.max(best, n / (Number(process.hrtime.bigint() - t) / 1e9))
  }
  return Math.round(best)
}

const small = guardWith(10, 'token')
const t0 = process.hrtime.bigint()
const big = guardWith(ENTRIES, 'token')
const fillSeconds = Number(process.hrtime.bigint() - t0) / 1e9
const results = { entries: ENTRIES, fillSeconds: +fillSeconds.toFixed(2) }
// Interleave so drift on a shared machine hits both alike.
const a = [], b = []
for (let i = 0; i < 3; i++) { a.push(opsPerSec(small, 2)); b.push(opsPerSec(big, 2)) }
results.verifyOpsWith10 = Math.max(...a)
results.verifyOpsWithMany = Math.max(...b)
results.ratio = +(results.verifyOpsWithMany / results.verifyOpsWith10).toFixed(3)
results.tokenEntry = { tableBytes: big.stats().bytes, bytesPerEntry: +(big.stats().bytes / ENTRIES).toFixed(1) }
for (const kind of ['user', 'session']) {
  const n = Math.min(ENTRIES, 1_000_000)
  const g = guardWith(n, kind)
  results[`${kind}Entry`] = { entries: n, bytesPerEntry: +(g.stats().bytes / n).toFixed(1) }
}
const rss = process.memoryUsage().rss
results.rssMiB = Math.round(rss / 2 ** 20)

console.log(`HS256 verify + revocation check, best of rounds:`)
console.log(`  with 10 revoked tokens:        ${results.verifyOpsWith10.toLocaleString()} ops/s`)
console.log(`  with ${ENTRIES.toLocaleString()} revoked tokens: ${results.verifyOpsWithMany.toLocaleString()} ops/s (ratio ${results.ratio})`)
console.log(`memory: token entry ${results.tokenEntry.bytesPerEntry} B (table ${Math.round(results.tokenEntry.tableBytes / 2 ** 20)} MiB for ${ENTRIES.toLocaleString()}),`,
  `user entry ${results.userEntry.bytesPerEntry} B, session entry ${results.sessionEntry.bytesPerEntry} B; process RSS ${results.rssMiB} MiB`)
console.log(`filling ${ENTRIES.toLocaleString()} entries through N-API took ${results.fillSeconds} s`)
mkdirSync(new URL('./results/', import.meta.url), { recursive: true })
writeFileSync(new URL('./results/table.json', import.meta.url), JSON.stringify({ date: new Date().toISOString(), node: process.version, ...results }, null, 2))
