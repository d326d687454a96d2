'use strict'

const { Verifier, sign } = require('..')
const { createSigner, createVerifier } = require('fast-jwt')
const { NOW, craft, claims, pairFor, ALGORITHMS, thrown } = require('./helpers')

const clock = () => NOW
const pem = (k) => (typeof k === 'string' ? k : k.export({ type: k.type === 'private' ? 'pkcs8' : 'spki', format: 'pem' }))

describe.each(ALGORITHMS)('%s', (alg) => {
  const { privateKey, publicKey } = pairFor(alg)
  const verifier = new Verifier({ algorithms: [alg], key: publicKey, clock })

  test('verifies a token signed by node:crypto', () => {
    const token = craft({ alg, typ: 'JWT' }, claims(), privateKey)
    expect(verifier.verify(token)).toEqual(claims())
  })

  test('round-trips its own tokens', () => {
    const token = sign({ sub: 'u1' }, privateKey, { algorithm: alg, expiresIn: '1h', clock })
    const out = verifier.verify(token)
    expect(out.sub).toBe('u1')
    expect(out.exp).toBe(Math.floor(out.iat + 3600))
  })

  test('interoperates with fast-jwt in both directions', () => {
    const token = sign({ sub: 'u1' }, privateKey, { algorithm: alg, expiresIn: '1h' })
    const theirs = createVerifier({ key: pem(publicKey), algorithms: [alg] })
    expect(theirs(token).sub).toBe('u1')
    const signer = createSigner({ key: pem(privateKey), algorithm: alg, expiresIn: 3600_000 })
    expect(new Verifier({ algorithms: [alg], key: publicKey }).verify(signer({ sub: 'u2' })).sub).toBe('u2')
  })

  test('rejects a token whose signature was altered', () => {
    const token = craft({ alg }, claims(), privateKey)
    const parts = token.split('.')
    const sig = Buffer.from(parts[2], 'base64url')
    sig[sig.length >> 1] ^= 1
    const err = thrown(() => verifier.verify(`${parts[0]}.${parts[1]}.${sig.toString('base64url')}`))
    expect(err.code).toBe('ERR_JWT_SIGNATURE')
  })

  test('rejects a token whose payload was altered', () => {
    const token = craft({ alg }, claims(), privateKey)
    const parts = token.split('.')
    const forged = Buffer.from(JSON.stringify(claims({ sub: 'admin' }))).toString('base64url')
    expect(thrown(() => verifier.verify(`${parts[0]}.${forged}.${parts[2]}`)).code).toBe('ERR_JWT_SIGNATURE')
  })
})
