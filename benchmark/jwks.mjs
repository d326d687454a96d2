// What remote key sets add to verify: a Guard on a static JWK Set, on a remote
// set (jwks), and on two issuers (the token's iss picks the set), for repeated
// tokens (result cache hits: the JS path) and cold ones (cache: 0). CPU time
// per verification, best of BENCH_ROUNDS rounds, tasks rotated: ratios within
// one run hold on a loaded machine. BENCH_TIME_MS / BENCH_ROUNDS make it short.
import http from 'node:http'
import { generateKeyPairSync, sign as cryptoSign } from 'node:crypto'
import revocable from '../index.js'
import { runCpuRounds } from './lib/cpu-rounds.mjs'

const timeMs = Number(process.env.BENCH_TIME_MS ?? 300)
const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256', use: 'sig' }
const server = http.createServer((req, res) => res.end(JSON.stringify({ keys: [jwk] })))
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const uri = `http://127.0.0.1:${server.address().port}/jwks`

const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url')
const now = Math.floor(Date.now() / 1000)
const token = (iss) => {
  const input = `${b64({ alg: 'ES256', kid: 'k1' })}.${b64({ iss, sub: 'u1', iat: now, exp: now + 3600 })}`
  return `${input}.${cryptoSign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`
}
const tA = token('https://a.example')

const guards = {}
for (const cache of [1000, 0]) {
  const base = { algorithms: ['ES256'], maxTokenLifetime: '2h', cache, store: revocable.stores.sqlite(':memory:') }
  guards[`static-${cache}`] = await revocable.open({ ...base, key: { keys: [jwk] } })
  guards[`jwks-${cache}`] = await revocable.open({ ...base, store: revocable.stores.sqlite(':memory:'), jwks: { uri, allowHttp: true } })
  guards[`issuers-${cache}`] = await revocable.open({
    ...base, store: revocable.stores.sqlite(':memory:'),
    issuers: { 'https://b.example': { jwks: { uri, allowHttp: true } }, 'https://a.example': { jwks: { uri, allowHttp: true } } },
  })
}
const tasks = Object.entries(guards).map(([key, g]) => ({ key, run: () => g.verify(tA) }))
const results = await runCpuRounds(tasks, { timeMs, warmupMs: 100, rounds, log: () => {} })
for (const [key, r] of Object.entries(results)) {
  const base = results[`static-${key.split('-')[1]}`]
  console.log(`${key.padEnd(14)} ${(r.cpuNs / 1000).toFixed(2).padStart(8)} µs CPU/verify  x${(r.cpuNs / base.cpuNs).toFixed(2)} of static`)
}
for (const g of Object.values(guards)) await g.close()
server.close()
