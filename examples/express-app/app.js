'use strict'

// A small Express API on revocable's embedded SQLite store: login (an access
// token and a refresh token), refresh, a protected route with rotation every
// N uses, logout (this session), logout everywhere, password change, and an
// admin revoke and ban. `npm start`, then follow README's walk-through with
// curl, or open http://localhost:3000/ for the browser page (public/index.html,
// which uses revocable/client).
const crypto = require('node:crypto')
const path = require('node:path')
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
    // The longest-lived token is the refresh token: revocations are kept that long.
    maxTokenLifetime: '7d',
    refresh: { lifetime: '7d', accessLifetime: '15m', reuseInterval: '5s' },
    store: store ?? revocable.stores.sqlite(process.env.REVOCABLE_DB ?? 'revocable.db'),
  })
  const app = express()
  app.use(express.json())
  // Each login is a session: a family of access and refresh tokens sharing its sid.
  const issue = (sub) => auth.issue({ sub, role: users.get(sub).role }, { session: crypto.randomUUID(), issuer: 'revocable-example' })

  // The browser page and the client it loads (revocable/client, no build step).
  app.use(express.static(path.join(__dirname, 'public')))
  app.get('/client.js', (req, res) => res.sendFile(require.resolve('../../lib/client/index.js')))

  app.post('/login', (req, res) => {
    const { username, password } = req.body ?? {}
    const user = users.get(username)
    if (!user || user.banned || !crypto.timingSafeEqual(Buffer.from(user.password), Buffer.from(hash(String(password))))) {
      return res.status(401).json({ code: 'BAD_LOGIN', message: 'wrong username or password' })
    }
    res.json(issue(username))
  })

  // A new pair for a refresh token; a reused one ends its session. Any failure is a 401
  // with the code, which revocable/client reads to log the page out.
  app.post('/refresh', async (req, res, next) => {
    try {
      res.json(await auth.refresh(req.body?.refreshToken))
    } catch (err) {
      if (!String(err.code).startsWith('ERR_JWT')) return next(err)
      res.status(401).json({ code: err.code, reason: err.reason, message: 'cannot refresh: log in again' })
    }
  })

  // Everything below needs a valid, unrevoked token. Every 10th use of a token
  // is answered with a fresh one (header x-access-token); the old one stops 30 s later.
  app.use(auth.express({ rotate: { every: 10, graceMs: 30_000 } }))

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
    res.json(issue(req.auth.sub))
  })

  // Logs a user out everywhere (every token and refresh token issued so far), without a ban.
  app.post('/admin/revoke/:user', async (req, res) => {
    if (req.auth.role !== 'admin') return res.status(403).json({ code: 'FORBIDDEN', message: 'admins only' })
    if (!users.has(req.params.user)) return res.status(404).json({ code: 'NO_SUCH_USER', message: 'no such user' })
    await auth.revokeUser(req.params.user)
    res.sendStatus(204)
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
