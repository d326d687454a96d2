'use strict'

// What hostile tokens get. Every token here is built with real keys; each
// expectation names the code and, where several checks share a code, the
// message that only that check produces.
const { Verifier } = require('..')
const { NOW, b64, craft, claims, keys, signRaw, thrown } = require('./helpers')

const clock = () => NOW
const secret = keys.secret
const hs = new Verifier({ algorithms: ['HS256'], key: secret, clock })
const good = craft({ alg: 'HS256', typ: 'JWT' }, claims(), secret)
const [H, P, S] = good.split('.')

const code = (fn) => thrown(fn).code

describe('structure', () => {
  test.each([
    ['two segments', `${H}.${P}`],
    ['four segments', `${H}.${P}.${S}.${S}`],
    ['empty signature', `${H}.${P}.`],
    ['empty header', `.${P}.${S}`],
    ['empty string', ''],
    ['padding', `${H}.${P}.${S}=`],
    ['standard alphabet +', `${H}.${P}.${S.slice(0, -1)}+`],
    ['standard alphabet /', `${H.slice(0, -1)}/.${P}.${S}`],
    ['whitespace', `${H}.${P}. ${S}`],
    ['newline', `${H}.${P}.${S}\n`],
  ])('%s is ERR_JWT_MALFORMED', (_, token) => {
    expect(code(() => hs.verify(token))).toBe('ERR_JWT_MALFORMED')
  })

  test('non-canonical trailing bits are ERR_JWT_MALFORMED, not a second valid spelling', () => {
    // HMAC-SHA256 is 32 bytes: 43 chars whose last carries 2 unused bits.
    const last = S[S.length - 1]
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const twin = alphabet[alphabet.indexOf(last) | 1]
    expect(Buffer.from(S.slice(0, -1) + twin, 'base64url')).toEqual(Buffer.from(S, 'base64url'))
    const err = thrown(() => hs.verify(`${H}.${P}.${S.slice(0, -1)}${twin}`))
    expect(err.code).toBe('ERR_JWT_MALFORMED')
    expect(err.message).toMatch(/signature is not strict base64url/)
  })

  test('a non-string token is ERR_JWT_MALFORMED', () => {
    for (const t of [undefined, null, 42, {}, Buffer.from(good)]) {
      expect(code(() => hs.verify(t))).toBe('ERR_JWT_MALFORMED')
    }
  })

  test('a token over maxTokenBytes is refused before decoding', () => {
    const small = new Verifier({ algorithms: ['HS256'], key: secret, clock, maxTokenBytes: 100 })
    expect(code(() => small.verify(good))).toBe('ERR_JWT_TOO_LARGE')
    expect(code(() => small.verify('!'.repeat(101)))).toBe('ERR_JWT_TOO_LARGE')
    expect(code(() => small.verify('!'.repeat(100)))).toBe('ERR_JWT_MALFORMED')
    expect(code(() => hs.verify('a'.repeat(16385)))).toBe('ERR_JWT_TOO_LARGE')
  })
})

describe('header and payload must be strict UTF-8 JSON objects', () => {
  const header = '{"alg":"HS256"}'
  const payload = JSON.stringify(claims())
  const cases = [
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), /not valid UTF-8/],
    ['an array', '[1,2]', /not a JSON object/],
    ['a string', '"x"', /not a JSON object/],
    ['a number', '42', /not a JSON object/],
    ['null', 'null', /not a JSON object/],
    ['trailing garbage', '{"exp":1}x', /bytes after the JSON object/],
    ['a duplicate member', '{"sub":"a","sub":"admin"}', /duplicate member name/],
    ['an escaped duplicate member', '{"sub":"a","\\u0073ub":"admin"}', /duplicate member name/],
    ['deep nesting of arrays', `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`, /nests deeper/],
    ['deep nesting of objects', `${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}`, /nests deeper/],
    ['a lone surrogate', '{"sub":"\\ud800"}', /lone surrogate/],
  ]

  test.each(cases)('a payload that is %s is ERR_JWT_MALFORMED', (_, body, why) => {
    const err = thrown(() => hs.verify(craft({ alg: 'HS256' }, body, secret)))
    expect(err.code).toBe('ERR_JWT_MALFORMED')
    expect(err.message).toMatch(why)
    expect(err.message).toMatch(/payload/)
  })

  test.each(cases)('a header that is %s is ERR_JWT_MALFORMED', (_, body, why) => {
    const token = `${b64(body)}.${b64(payload)}.${b64(signRaw('HS256', 'x', secret))}`
    const err = thrown(() => hs.verify(token))
    expect(err.code).toBe('ERR_JWT_MALFORMED')
    expect(err.message).toMatch(why)
    expect(err.message).toMatch(/header/)
  })

  test('a duplicate alg in the header cannot smuggle a second algorithm', () => {
    const token = craft(`{"alg":"none","alg":"HS256"}`, claims(), secret, 'HS256')
    expect(thrown(() => hs.verify(token)).message).toMatch(/duplicate member/)
  })

  test('a valid token still passes (the checks above are not over-eager)', () => {
    expect(hs.verify(craft(header, payload, secret, 'HS256'))).toEqual(claims())
  })
})

describe('algorithm', () => {
  test.each(['none', 'None', 'NONE', 'nOnE'])('alg %s is ERR_JWT_ALGORITHM, with or without a signature', (alg) => {
    const unsigned = `${b64({ alg })}.${b64(claims())}.`
    expect(code(() => hs.verify(unsigned))).toBe('ERR_JWT_MALFORMED')
    const err = thrown(() => hs.verify(`${b64({ alg })}.${b64(claims())}.${S}`))
    expect(err.code).toBe('ERR_JWT_ALGORITHM')
    expect(err.message).toMatch(/none/)
  })

  test('a missing or non-string alg is ERR_JWT_ALGORITHM', () => {
    expect(thrown(() => hs.verify(craft({ typ: 'JWT' }, claims(), secret, 'HS256'))).message).toMatch(/no alg/)
    expect(thrown(() => hs.verify(craft({ alg: 256 }, claims(), secret, 'HS256'))).message).toMatch(/not a string/)
    expect(code(() => hs.verify(craft({ alg: ['HS256'] }, claims(), secret, 'HS256')))).toBe('ERR_JWT_ALGORITHM')
  })

  test('an algorithm outside the allow-list is ERR_JWT_ALGORITHM', () => {
    expect(code(() => hs.verify(craft({ alg: 'HS384' }, claims(), secret)))).toBe('ERR_JWT_ALGORITHM')
    expect(code(() => hs.verify(craft({ alg: 'hs256' }, claims(), secret, 'HS256')))).toBe('ERR_JWT_ALGORITHM')
  })

  test('none is refused in the options too', () => {
    expect(code(() => new Verifier({ algorithms: ['none'], key: secret }))).toBe('ERR_JWT_INVALID_OPTION')
    expect(code(() => new Verifier({ algorithms: ['HS256', 'NONE'], key: secret }))).toBe('ERR_JWT_INVALID_OPTION')
  })
})

describe('keys are bound to their family', () => {
  const pem = keys.rsa.publicKey.export({ type: 'spki', format: 'pem' })

  test('RS256 -> HS256 confusion: a token MACed with the public key PEM is refused', () => {
    const rs = new Verifier({ algorithms: ['RS256'], key: pem, clock })
    const forged = craft({ alg: 'HS256' }, claims(), pem)
    expect(code(() => rs.verify(forged))).toBe('ERR_JWT_ALGORITHM')
  })

  test('a public key can never be configured as an HMAC secret', () => {
    // A list spanning families is allowed (issue 13), but the RSA key serves
    // RS256 only: an HS256 token "signed" with the PEM text is a key error.
    const v = new Verifier({ algorithms: ['RS256', 'HS256'], key: pem, clock })
    expect(v.verify(craft({ alg: 'RS256' }, claims(), keys.rsa.privateKey)).sub).toBe('u1')
    const err = thrown(() => v.verify(craft({ alg: 'HS256' }, claims(), pem)))
    expect(err.code).toBe('ERR_JWT_KEY')
    expect(err.message).toMatch(/an RSA key cannot verify HS256/)
    expect(code(() => new Verifier({ algorithms: ['HS256'], key: pem }))).toBe('ERR_JWT_INVALID_OPTION')
    const jwk = keys.rsa.publicKey.export({ format: 'jwk' })
    expect(code(() => new Verifier({ algorithms: ['HS256'], key: jwk }))).toBe('ERR_JWT_INVALID_OPTION')
    expect(code(() => new Verifier({ algorithms: ['HS256'], key: keys.rsa.publicKey }))).toBe('ERR_JWT_INVALID_OPTION')
  })

  test('an HMAC secret never verifies an asymmetric algorithm', () => {
    expect(code(() => new Verifier({ algorithms: ['RS256'], key: secret }))).toBe('ERR_JWT_INVALID_OPTION')
    expect(code(() => new Verifier({ algorithms: ['EdDSA'], key: secret }))).toBe('ERR_JWT_INVALID_OPTION')
  })

  test('in a JWK Set, an HS256 token naming an RSA key by kid is ERR_JWT_KEY', () => {
    const set = { keys: [
      { ...keys.rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa' },
      { kty: 'oct', k: Buffer.from(secret).toString('base64url'), kid: 'mac' },
    ] }
    const v = new Verifier({ algorithms: ['RS256', 'HS256'], key: set, clock })
    expect(v.verify(craft({ alg: 'HS256', kid: 'mac' }, claims(), secret)).sub).toBe('u1')
    expect(v.verify(craft({ alg: 'RS256', kid: 'rsa' }, claims(), keys.rsa.privateKey)).sub).toBe('u1')
    const err = thrown(() => v.verify(craft({ alg: 'HS256', kid: 'rsa' }, claims(), pem)))
    expect(err.code).toBe('ERR_JWT_KEY')
    expect(err.message).toMatch(/kid/)
  })

  test('an EC key must be on the curve its algorithm names', () => {
    expect(code(() => new Verifier({ algorithms: ['ES256'], key: keys.p384.publicKey }))).toBe('ERR_JWT_INVALID_OPTION')
    const set = { keys: [{ ...keys.p384.publicKey.export({ format: 'jwk' }), kid: 'k' }, { ...keys.p256.publicKey.export({ format: 'jwk' }), kid: 'other' }] }
    const v = new Verifier({ algorithms: ['ES256', 'ES384'], key: set, clock })
    const err = thrown(() => v.verify(craft({ alg: 'ES256', kid: 'k' }, claims(), keys.p256.privateKey)))
    expect(err.code).toBe('ERR_JWT_KEY')
  })

  test("a JWK's alg and use must agree with the token", () => {
    const jwk = { ...keys.rsa.publicKey.export({ format: 'jwk' }), alg: 'RS384' }
    const v = new Verifier({ algorithms: ['RS384'], key: jwk, clock })
    expect(v.verify(craft({ alg: 'RS384' }, claims(), keys.rsa.privateKey)).sub).toBe('u1')
    expect(code(() => new Verifier({ algorithms: ['RS256'], key: jwk }))).toBe('ERR_JWT_INVALID_OPTION')
    const both = new Verifier({ algorithms: ['RS256', 'RS384'], key: { keys: [jwk] }, clock })
    expect(code(() => both.verify(craft({ alg: 'RS256' }, claims(), keys.rsa.privateKey)))).toBe('ERR_JWT_KEY')
    const enc = { ...keys.rsa.publicKey.export({ format: 'jwk' }), use: 'enc' }
    expect(code(() => new Verifier({ algorithms: ['RS256'], key: enc }))).toBe('ERR_JWT_KEY')
  })

  test('RSA keys under 2048 bits are ERR_JWT_KEY in every form', () => {
    const pub = keys.rsa1024.publicKey
    for (const key of [pub, pub.export({ type: 'spki', format: 'pem' }), pub.export({ type: 'pkcs1', format: 'pem' }), pub.export({ format: 'jwk' })]) {
      const err = thrown(() => new Verifier({ algorithms: ['RS256'], key }))
      expect(err.code).toBe('ERR_JWT_KEY')
      expect(err.message).toMatch(/1024 bits/)
    }
  })
})

describe('crit (RFC 7515 §4.1.11)', () => {
  const mk = (header) => craft({ alg: 'HS256', ...header }, claims(), secret)
  test.each([
    ['an unknown listed parameter', { crit: ['exp2'], exp2: 1 }, /not understood/],
    ['a listed parameter that is absent', { crit: ['exp2'] }, /does not have/],
    ['a non-array', { crit: 'exp2', exp2: 1 }, /non-empty array/],
    ['an empty array', { crit: [] }, /non-empty array/],
    ['a registered parameter', { crit: ['alg'] }, /registered/],
    ['b64: false', { b64: false, crit: ['b64'] }, /b64/],
    ['b64: false without crit', { b64: false }, /b64/],
  ])('%s is ERR_JWT_CRIT', (_, header, why) => {
    const err = thrown(() => hs.verify(mk(header)))
    expect(err.code).toBe('ERR_JWT_CRIT')
    expect(err.message).toMatch(why)
  })

  test('a parameter the application declared it understands passes', () => {
    const v = new Verifier({ algorithms: ['HS256'], key: secret, clock, crit: ['exp2'] })
    expect(v.verify(mk({ crit: ['exp2'], exp2: 1 })).sub).toBe('u1')
  })
})

describe('ECDSA signatures', () => {
  const es = new Verifier({ algorithms: ['ES256'], key: keys.p256.publicKey, clock })
  const input = `${b64({ alg: 'ES256' })}.${b64(claims())}`

  test('a DER-encoded signature is refused', () => {
    const { sign } = require('node:crypto')
    const der = sign('sha256', Buffer.from(input), keys.p256.privateKey)
    const err = thrown(() => es.verify(`${input}.${der.toString('base64url')}`))
    expect(err.code).toBe('ERR_JWT_SIGNATURE')
    expect(err.message).toMatch(/raw R\|\|S/)
  })

  test('r = 0 or s = 0 (CVE-2022-21449) is refused', () => {
    const zero = Buffer.alloc(64)
    const rZero = Buffer.concat([Buffer.alloc(32), Buffer.alloc(32, 1)])
    const sZero = Buffer.concat([Buffer.alloc(32, 1), Buffer.alloc(32)])
    for (const sig of [zero, rZero, sZero]) {
      const err = thrown(() => es.verify(`${input}.${sig.toString('base64url')}`))
      expect(err.code).toBe('ERR_JWT_SIGNATURE')
      expect(err.message).toMatch(/r or s equal to zero/)
    }
  })

  test('high-S signatures are accepted (policy, as jose and jsonwebtoken do)', () => {
    const n = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551')
    const sig = signRaw('ES256', input, keys.p256.privateKey)
    const s = BigInt('0x' + sig.subarray(32).toString('hex'))
    const flipped = Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex')
    const twin = Buffer.concat([sig.subarray(0, 32), flipped])
    expect(es.verify(`${input}.${sig.toString('base64url')}`).sub).toBe('u1')
    expect(es.verify(`${input}.${twin.toString('base64url')}`).sub).toBe('u1')
  })
})

describe('Ed25519', () => {
  const L = (1n << 252n) + 27742317777372353535851937790883648493n
  const le = (n) => Buffer.from(n.toString(16).padStart(64, '0'), 'hex').reverse()
  const ed = new Verifier({ algorithms: ['EdDSA'], key: keys.ed.publicKey, clock })
  const input = `${b64({ alg: 'EdDSA' })}.${b64(claims())}`

  test('a signature with non-canonical S (S + L) is refused', () => {
    const sig = signRaw('EdDSA', input, keys.ed.privateKey)
    const s = BigInt('0x' + Buffer.from(sig.subarray(32)).reverse().toString('hex'))
    const malleated = Buffer.concat([sig.subarray(0, 32), le(s + L)])
    expect(ed.verify(`${input}.${sig.toString('base64url')}`).sub).toBe('u1')
    const err = thrown(() => ed.verify(`${input}.${malleated.toString('base64url')}`))
    expect(err.code).toBe('ERR_JWT_SIGNATURE')
    expect(err.message).toMatch(/not canonical/)
  })

  test('small-order public keys are ERR_JWT_KEY', () => {
    const smallOrder = [
      Buffer.alloc(32), // order 4
      Buffer.concat([Buffer.from([1]), Buffer.alloc(31)]), // identity
      Buffer.from('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', 'hex'), // order 8
      Buffer.from('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', 'hex'), // order 2
    ]
    for (const x of smallOrder) {
      const err = thrown(() => new Verifier({ algorithms: ['EdDSA'], key: { kty: 'OKP', crv: 'Ed25519', x: x.toString('base64url') } }))
      expect(err.code).toBe('ERR_JWT_KEY')
      expect(err.message).toMatch(/small-order/)
    }
  })
})
