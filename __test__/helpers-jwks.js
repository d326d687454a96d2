'use strict'

// A local identity provider for the remote key set tests: Node's own http
// server answering JWKS and discovery documents, counting requests per path.
const http = require('node:http')
const crypto = require('node:crypto')
const { EventEmitter } = require('node:events')
const { craft, claims } = require('./helpers')

async function provider() {
  const routes = new Map()
  const hits = new Map()
  const events = new EventEmitter()
  const server = http.createServer((req, res) => {
    hits.set(req.url, (hits.get(req.url) ?? 0) + 1)
    events.emit('request', req.url)
    const route = routes.get(req.url)
    if (route === undefined) {
      res.writeHead(404).end()
      return
    }
    route(req, res)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${server.address().port}`
  const sockets = new Set()
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)) })
  return {
    url,
    events,
    /** Answers `path` with `handler(req, res)`. */
    route(path, handler) { routes.set(path, handler) },
    /** Answers `path` with `doc` as JSON. */
    json(path, doc) { routes.set(path, (req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc))) },
    hits(path) { return hits.get(path) ?? 0 },
    /** The next request for `path`. */
    next(path) { return new Promise((resolve) => { const on = (p) => { if (p === path) { events.off('request', on); resolve() } }; events.on('request', on) }) },
    close() { for (const s of sockets) s.destroy(); return new Promise((resolve) => server.close(resolve)) },
  }
}

/** An EC P-256 signing key with its public JWK. */
function ecKey(kid) {
  const pair = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const jwk = { ...pair.publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'ES256' }
  return { kid, jwk, sign: (extra = {}, header = {}) => craft({ alg: 'ES256', kid, ...header }, claims(extra), pair.privateKey), privateKey: pair.privateKey }
}

const setOf = (...keys) => ({ keys: keys.map((k) => k.jwk) })

module.exports = { provider, ecKey, setOf }
