'use strict'

// A small Express API on revocable's embedded SQLite store: login, a protected
// route, logout (this session), logout everywhere, password change and an
// admin ban. `npm start`, then follow README's walk-through with curl.
const crypto = require('node:crypto')
const express = require('express')
const revocable = require('../..')

// Demo users; a real app has a database. Passwords are hashed as they should be.
const hash = (pw) => crypto.scryptSync(pw, 'demo-salt', 32).toString('hex')
const users = new Map([
  ['alice', { password: hash('wonderland'), role: 'user', banned: false }],
  ['admin', { password: hash('admin'), role: 'admin', banned: false }],
])

async function createApp({ store, secret } = {}) {
  const auth = await revocable.open({
    algorithms: ['HS256'],
    secret: secret ?? process.env.JWT_SECRET ?? 'dev-only-secret-change-me-0123456789',
    issuer: 'revocable-example',
    maxTokenLifetime: '15m',
    store: store ?? revocable.stores.sqlite(process.env.REVOCABLE_DB ?? 'revocable.db'),
  })
  const app = express()
  app.use(express.json())
  const issue = (sub) => auth.sign({ sub, sid: crypto.randomUUID(), role: users.get(sub).role }, { issuer: 'revocable-example' })

  app.post('/login', (req, res) => {
    const { username, password } = req.body ?? {}
    const user = users.get(username)
    if (!user || user.banned || !crypto.timingSafeEqual(Buffer.from(user.password), Buffer.from(hash(String(password))))) {
      return res.status(401).json({ code: 'BAD_LOGIN', message: 'wrong username or password' })
    }
    res.json({ accessToken: issue(username) })
  })

  // Everything below needs a valid, unrevoked token.
  app.use(auth.express())

  app.get('/me', (req, res) => res.json({ sub: req.auth.sub, role: req.auth.role, sid: req.auth.sid }))

  app.post('/logout', async (req, res) => {
    await auth.revokeSession(req.auth.sid)
    res.sendStatus(204)
  })

  app.post('/logout-everywhere', async (req, res) => {
    await auth.revokeUser(req.auth.sub)
    res.sendStatus(204)
  })

  app.post('/password', async (req, res) => {
    const user = users.get(req.auth.sub)
    user.password = hash(String(req.body?.password ?? ''))
    await auth.revokeUser(req.auth.sub) // every older token dies; the new one below is issued after the cut-off
    res.json({ accessToken: issue(req.auth.sub) })
  })

  app.post('/admin/ban/:user', async (req, res) => {
    if (req.auth.role !== 'admin') return res.status(403).json({ code: 'FORBIDDEN', message: 'admins only' })
    const user = users.get(req.params.user)
    if (!user) return res.status(404).json({ code: 'NO_SUCH_USER', message: 'no such user' })
    user.banned = true
    await auth.revokeUser(req.params.user)
    res.sendStatus(204)
  })

  return { app, auth }
}

if (require.main === module) {
  createApp().then(({ app }) => {
    const port = Number(process.env.PORT ?? 3000)
    app.listen(port, () => console.log(`revocable example listening on http://localhost:${port}`))
  }, (err) => {
    console.error(err)
    process.exit(1)
  })
}

module.exports = { createApp }
