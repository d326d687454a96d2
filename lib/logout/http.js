'use strict'

const { BackchannelLogout, LogoutTokenError } = require('./backchannel')

// A logout request is one form parameter holding one JWT: far below this.
const MAX_BODY = 64 * 1024
const FORM = /^application\/x-www-form-urlencoded\s*(;|$)/i

/**
 * `{ status, body }` for one back-channel logout request (§2.8): 200 once the
 * revocation is stored, 400 with an OAuth error body for a refused token,
 * 500 when the revocation could not be stored (the table already has it; the
 * provider may retry).
 */
async function answer(logout, token) {
  try {
    await logout.handle(token)
    return { status: 200, body: undefined }
  } catch (err) {
    if (err instanceof LogoutTokenError) return { status: 400, body: { error: 'invalid_request', error_description: err.message } }
    return { status: 500, body: { error: 'server_error', error_description: 'the logout could not be recorded' } }
  }
}

/** The logout_token from a body parser's result, or from the raw form body. */
async function tokenOf(body, req) {
  if (body !== undefined && body !== null && typeof body === 'object' && !Buffer.isBuffer(body)) return body.logout_token
  if (typeof body === 'string' || Buffer.isBuffer(body)) return new URLSearchParams(String(body)).get('logout_token') ?? undefined
  if (!FORM.test(String(req.headers['content-type'] ?? ''))) return undefined
  const chunks = []
  let size = 0
  for await (const chunk of req) {
    size += chunk.length
    if (size > MAX_BODY) return undefined
    chunks.push(chunk)
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('logout_token') ?? undefined
}

/** Express handler; `.koa` is the same endpoint as Koa middleware; `.close()` stops its key set's refreshes. */
function backchannelLogout(guard, keys, options) {
  const logout = new BackchannelLogout(guard, keys, options)
  const express = (req, res, next) => {
    tokenOf(req.body, req).then((token) => answer(logout, token)).then(({ status, body }) => {
      res.set('Cache-Control', 'no-store')
      if (body === undefined) res.status(status).end()
      else res.status(status).json(body)
    }).catch(next)
  }
  express.koa = async (ctx) => {
    const { status, body } = await answer(logout, await tokenOf(ctx.request.body, ctx.req))
    ctx.set('Cache-Control', 'no-store')
    ctx.status = status
    if (body !== undefined) ctx.body = body
  }
  express.close = () => logout.close()
  return express
}

module.exports = { backchannelLogout }
