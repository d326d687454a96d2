'use strict'

// Remote key sets over https: (the default, and the only scheme without
// allowHttp): a certificate the agent does not trust is refused, and a
// redirect may not leave https:.
const fs = require('node:fs')
const path = require('node:path')
const https = require('node:https')
const { Verifier } = require('..')
const { NOW } = require('./helpers')
const { provider, ecKey, setOf } = require('./helpers-jwks')

const fixture = (name) => fs.readFileSync(path.join(__dirname, 'fixtures', name))
const cert = fixture('cert.pem')
const key = ecKey('k1')
let server, url, plain
// The fixture's certificate names 'revocable test', not 127.0.0.1: trusted by CA, name check waived.
const trusting = () => new https.Agent({ ca: cert, checkServerIdentity: () => undefined })

beforeAll(async () => {
  plain = await provider()
  plain.json('/jwks', setOf(key))
  server = https.createServer({ cert, key: fixture('cert-key.pem') }, (req, res) => {
    if (req.url === '/to-http') res.writeHead(302, { location: `${plain.url}/jwks` }).end()
    else res.writeHead(200).end(JSON.stringify(setOf(key)))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `https://127.0.0.1:${server.address().port}`
})
afterAll(async () => {
  await plain.close()
  await new Promise((resolve) => server.close(resolve))
})

const verifier = (jwks) => new Verifier({ algorithms: ['ES256'], jwks, clock: () => NOW })

test('an https: set is fetched through the agent given', async () => {
  const v = verifier({ uri: `${url}/jwks`, agent: trusting() })
  await v.ready()
  expect(v.verify(key.sign()).sub).toBe('u1')
  v.close()
})

test('a certificate nobody vouches for fails ready() (ERR_JWKS_FETCH)', async () => {
  const v = verifier({ uri: `${url}/jwks` })
  await expect(v.ready()).rejects.toMatchObject({ code: 'ERR_JWKS_FETCH' })
  v.close()
})

test('a redirect from https: to http: is refused, even with allowHttp', async () => {
  const v = verifier({ uri: `${url}/to-http`, agent: trusting(), allowHttp: true })
  await expect(v.ready()).rejects.toMatchObject({ code: 'ERR_JWKS_FETCH', message: expect.stringMatching(/left https/) })
  expect(plain.hits('/jwks')).toBe(0)
  v.close()
})
