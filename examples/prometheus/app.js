'use strict'

// An Express API whose revocable metrics go to Prometheus through the app's
// own prom-client registry: `node examples/prometheus/app.js`, then
// `curl localhost:3000/metrics`. In a real app the require is
// `require('revocable/prometheus')`.
const express = require('express')
const promClient = require('prom-client')
const revocable = require('../..')
const { register } = require('../../lib/prometheus')

async function createApp({ store, secret, registry = new promClient.Registry() } = {}) {
  const auth = await revocable.open({
    algorithms: ['HS256'],
    secret: secret ?? process.env.JWT_SECRET ?? 'dev-only-secret-change-me-0123456789',
    maxTokenLifetime: '1h',
    store: store ?? revocable.stores.sqlite(process.env.REVOCABLE_DB ?? 'revocable.db'),
  })
  register(auth, { registry })
  promClient.collectDefaultMetrics({ register: registry })

  const app = express()
  // Before the authentication middleware, so Prometheus scrapes without a token.
  // In production serve it on an internal port or behind the network's own access rules.
  app.get('/metrics', async (req, res) => {
    res.type(registry.contentType).send(await registry.metrics())
  })
  app.use(auth.express())
  app.get('/me', (req, res) => res.json({ sub: req.auth.sub }))
  app.post('/logout-everywhere', async (req, res) => {
    await auth.revokeUser(req.auth.sub)
    res.sendStatus(204)
  })
  return { app, auth, registry }
}

if (require.main === module) {
  createApp().then(({ app }) => {
    const port = Number(process.env.PORT ?? 3000)
    app.listen(port, () => console.log(`listening on http://localhost:${port} (metrics at /metrics)`))
  })
}

module.exports = { createApp }
