'use strict'

// A verify's claims are built from the payload text by the shape the native
// side wrote (src/binding/shape.rs, lib/shape.js) instead of JSON.parse. The
// result must be exactly what JSON.parse(payload) returns, for any claim set
// that verifies: the same names in the same order, the same values (-0,
// Infinity, huge and tiny numbers), strings with and without escapes or
// non-ASCII text, arrays, nested objects, `__proto__` as a plain claim.
const crypto = require('node:crypto')
const { NativeVerifier } = require('../binding')
const { claimsFrom } = require('../lib/shape')
const { Verifier, open } = require('..')
const { memoryStore } = require('./memory-store')
const { NOW, nowS, craft, keys } = require('./helpers')

const secret = keys.secret
const tok = (payloadText) => craft({ alg: 'HS256' }, payloadText, secret)
const native = new NativeVerifier({ algorithms: ['HS256'], key: Buffer.from(secret) })
const shape = native.shape()

/** Structural identity: own keys in order, prototypes, Object.is on every primitive. */
function same(a, b) {
  if (a === null || typeof a !== 'object') return Object.is(a, b)
  if (b === null || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) return false
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false
  const [ka, kb] = [Reflect.ownKeys(a), Reflect.ownKeys(b)]
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same(a[k], b[k]))
}

/** Verifies natively and builds the claims from the shape; returns them and whether a shape was written. */
function viaShape(payloadText) {
  const text = native.verify(tok(payloadText), NOW)
  expect(text).toBe(payloadText)
  return { claims: claimsFrom(text, shape), shaped: shape[0] >= 0 }
}

const exp = `"exp":${nowS + 3600}`
const HAND_PICKED = [
  // [payload members (exp is added first), whether a shape is expected]
  ['"sub":"u1","iss":"https://issuer.example","aud":"web","iat":1799999990,"jti":"j-1","sid":"s-1","nbf":1799999990', true],
  ['"role":"admin","scope":"read write","n":0,"neg":-0,"f":1.5,"e":1e2,"E":1E-2,"p":2e+3', true],
  ['"big":1e400,"small":1e-400,"tiny":5e-324,"long":123456789012345678901234567890,"dig":0.1000000000000000055511151231257827', true],
  ['"t":true,"f":false,"z":null,"empty":"","aud":[],"roles":["a","b",""]', true],
  ['"0":"zero","10":"ten","1":"one","-1":"minus","4294967295":"max","":"empty name"', true],
  ['"constructor":"c","toString":"t","hasOwnProperty":1,"valueOf":null', true],
  ['"__proto__":{"admin":true}', false],
  ['"__proto__":"x","sub":"u"', false],
  ['"sub":"caf\u00e9"', false], // non-ASCII text
  ['"sub":"\\u00e9\\ud83d\\ude00"', false], // escapes
  ['"iss":"https:\\/\\/issuer.example"', false],
  ['"r\\u006fle":"admin"', false],
  ['"nested":{"a":[1,{"b":null}]},"sub":"u"', false],
  ['"mixed":["a",1]', false],
  ['"quote":"a\\"b"', false],
]

describe('the shape builds what JSON.parse reads', () => {
  test.each(HAND_PICKED)('{%s}', (members, expectShape) => {
    const text = `{${exp},${members}}`
    const { claims, shaped } = viaShape(text)
    expect(shaped).toBe(expectShape)
    expect(same(claims, JSON.parse(text))).toBe(true)
  })

  test('3,000 random claim sets', () => {
    const pick = (list) => list[crypto.randomInt(list.length)]
    const names = ['sub', 'iss', 'aud', 'jti', 'sid', 'role', 'r', '0', '7', '-1', '', ' ', 'a b', '__proto__', 'constructor', 'n\\u0061me', 'é']
    const strings = ['', 'x', 'admin', 'a b', 'é', '😀', '\\n', '\\"', '\\\\', '\\/', '\\u0041', '\\ud83d\\ude00', '1', 'null']
    const numbers = ['0', '-0', '1', '-1', '1.5', '1e2', '1E-2', '2e+3', '1e400', '-1e400', '5e-324', '1e-400', '9007199254740993', '0.30000000000000004', '123456789.123456789e-5']
    const value = (name) => {
      // Registered claims keep their types, so the token verifies.
      if (['sub', 'iss', 'jti', 'sid'].includes(name)) return `"${pick(strings)}"`
      if (name === 'aud') return pick([`"${pick(strings)}"`, `[${Array.from({ length: crypto.randomInt(4) }, () => `"${pick(strings)}"`).join(',')}]`])
      return pick([
        () => `"${pick(strings)}"`, () => pick(numbers), () => pick(['true', 'false', 'null']),
        () => `[${Array.from({ length: crypto.randomInt(5) }, () => `"${pick(strings)}"`).join(',')}]`,
        () => `[${pick(numbers)},"${pick(strings)}"]`, () => `{"k":${pick(numbers)}}`,
      ])()
    }
    let shaped = 0
    for (let i = 0; i < 3000; i++) {
      const members = new Map()
      for (let m = crypto.randomInt(8); m > 0; m--) {
        const name = pick(names)
        if (!members.has(name) && !members.has(JSON.parse(`"${name}"`))) members.set(name, value(name))
      }
      const text = `{${[exp, ...[...members].map(([n, v]) => `"${n}":${v}`)].join(',')}}`
      const got = viaShape(text)
      if (!same(got.claims, JSON.parse(text))) throw new Error(`differs from JSON.parse: ${text}`)
      if (got.shaped) shaped++
    }
    expect(shaped).toBeGreaterThan(500) // the shape path was taken, not only the fallback
  })
})

test('a claim named like a property of Object.prototype (read-only or a setter there) is still an own property, as JSON.parse makes it', () => {
  const seen = []
  Object.defineProperty(Object.prototype, 'role', { value: 'inherited', writable: false, configurable: true })
  Object.defineProperty(Object.prototype, 'tenant', { set(v) { seen.push(v) }, configurable: true })
  try {
    for (const members of ['"role":"admin"', '"tenant":"t1","sub":"u"', '"toString":"x","valueOf":1']) {
      const text = `{${exp},${members}}`
      const { claims } = viaShape(text) // would throw (read-only) or call the setter if assigned
      expect(same(claims, JSON.parse(text))).toBe(true)
      expect(Object.keys(claims)).toEqual(Object.keys(JSON.parse(text)))
    }
    expect(seen).toEqual([])
  } finally {
    delete Object.prototype.role
    delete Object.prototype.tenant
  }
})

test('an array claim is what JSON.parse reads when Object.prototype or Array.prototype has an index (a setter, or read-only)', () => {
  let setterCalls = 0 // a number: storing into an array would meet the setter itself
  const record = () => { setterCalls++ }
  const cases = [
    [Object.prototype, '0', { set: record, get: () => 'inherited', configurable: true }],
    [Array.prototype, '1', { set: record, get: () => 'inherited', configurable: true }],
    [Array.prototype, '0', { value: 'read-only', writable: false, configurable: true }],
  ]
  const text = `{${exp},"aud":["a","b"],"roles":["admin"]}`
  const token = tok(text)
  for (const [proto, index, descriptor] of cases) {
    let claims
    let threw = null
    // Nothing but the verify while the index is there: Jest's own arrays would meet it too.
    Object.defineProperty(proto, index, descriptor)
    try {
      claims = claimsFrom(native.verify(token, NOW), shape) // would lose elements to the setter, or throw, if assigned
    } catch (err) {
      threw = err
    } finally {
      delete proto[index]
    }
    expect(threw).toBeNull()
    expect(same(claims, JSON.parse(text))).toBe(true)
    expect(Object.keys(claims.aud)).toEqual(['0', '1'])
  }
  expect(setterCalls).toBe(0)
})

test('Verifier and Guard results, cold and cached, are what JSON.parse reads, and each caller gets its own', async () => {
  const v = new Verifier({ algorithms: ['HS256'], key: secret, clock: () => NOW })
  const g = await open({ algorithms: ['HS256'], key: secret, maxTokenLifetime: 7200, clock: () => NOW, store: memoryStore() })
  try {
    for (const [members] of HAND_PICKED) {
      const text = `{${exp},"iat":${nowS - 10},${members.replace(/"iat":\d+,?/, '')}}`.replace(',}', '}')
      const token = tok(text)
      for (const verify of [(t) => v.verify(t), (t) => g.verify(t)]) {
        const results = [verify(token), verify(token), verify(token)] // cold, seen once more (cached), a hit
        for (const r of results) expect(same(r, JSON.parse(text))).toBe(true)
        results[0].sub = 'changed by one caller'
        expect(same(verify(token), JSON.parse(text))).toBe(true)
      }
    }
  } finally {
    await g.close()
  }
})
