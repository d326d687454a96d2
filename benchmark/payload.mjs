// The cheapest form for the claims on the cold path (issue 6): the native
// verify returns the claim set as JSON text and JS parses it. Measured here
// against a lazily materialised payload (the text wrapped in a Proxy that
// parses on the first property read), for a middleware that reads no claim,
// one claim, and several. `node benchmark/payload.mjs`
import { createRequire } from 'node:module'
import { writeFileSync } from 'node:fs'
import { Bench } from 'tinybench'

const require = createRequire(import.meta.url)
const { Verifier, sign } = require('..')

const secret = 'a-payload-benchmark-secret-32-bytes'
const TIME = Number(process.env.BENCH_TIME_MS ?? 1000)
const claims = { sub: 'user-1234', iss: 'https://api.example.com', aud: 'web', sid: 'session-42', roles: ['reader', 'writer'], tenant: 'acme' }
// Distinct tokens, cache off: every call is a cold verify.
const tokens = Array.from({ length: 4096 }, (_, i) => sign({ ...claims, n: i }, secret, { expiresIn: '1h' }))
const verifier = new Verifier({ algorithms: ['HS256'], key: secret, issuer: claims.iss, audience: 'web', cache: 0 })

// The lazy form: what the binding would return instead of parsing in verify().
function lazy(text) {
  let parsed
  const target = () => parsed ?? (parsed = JSON.parse(text))
  return new Proxy({}, {
    get: (_, name) => target()[name],
    has: (_, name) => name in target(),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, name) => Reflect.getOwnPropertyDescriptor(target(), name),
  })
}
const text = JSON.stringify({ ...claims, iat: 1_800_000_000.123, exp: 1_800_003_600, jti: 'Qm9vZ2llV29vZ2llMTIzNDU2' })

let i = 0
const next = () => tokens[(i++) & 4095]
let sink = 0
const bench = new Bench({ time: TIME })
bench
  .add('verify (JSON text, parsed in JS), read sub', () => { sink += verifier.verify(next()).sub.length })
  .add('JSON.parse of the claim text alone', () => { sink += JSON.parse(text).sub.length })
  .add('lazy: no claim read', () => { sink += lazy(text) ? 1 : 0 })
  .add('lazy: read sub', () => { sink += lazy(text).sub.length })
  .add('lazy: read sub, sid, roles, tenant', () => { const c = lazy(text); sink += c.sub.length + c.sid.length + c.roles.length + c.tenant.length })
  .add('parsed: read sub, sid, roles, tenant', () => { const c = JSON.parse(text); sink += c.sub.length + c.sid.length + c.roles.length + c.tenant.length })
await bench.run()
// tinybench reports latency in ms.
const rows = bench.tasks.map((t) => ({ name: t.name, nsPerOp: Math.round(t.result.latency.mean * 1e6) }))
console.table(rows)
writeFileSync(new URL('./results/payload.json', import.meta.url), JSON.stringify({ date: new Date().toISOString(), command: 'node benchmark/payload.mjs', rows }, null, 2) + '\n')
if (sink === 42) console.log('')
