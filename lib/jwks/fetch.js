'use strict'

const http = require('node:http')
const https = require('node:https')
const { JwksError, CODES } = require('./errors')

/**
 * GETs a JSON document with Node's own http(s): one deadline for the whole
 * answer, a cap on the body (checked on Content-Length and while reading, so
 * a huge or endless body costs at most `maxBytes`), at most `maxRedirects`
 * redirects and never from https: to http:. Rejects with a JwksError.
 */
async function getJson(url, opts, redirects = 0) {
  const u = checkedUrl(url, opts.allowHttp, CODES.FETCH)
  const answer = await request(u, opts)
  if (answer.location !== undefined) {
    if (redirects >= opts.maxRedirects) throw new JwksError(CODES.FETCH, `more than ${opts.maxRedirects} redirects`, { uri: u.href })
    const next = new URL(answer.location, u)
    if (u.protocol === 'https:' && next.protocol !== 'https:') throw new JwksError(CODES.FETCH, 'a redirect left https:', { uri: u.href })
    // As fetch() does: the app's headers (an API key, Authorization) go to the
    // origin it configured, never to one a redirect names.
    const nextOpts = next.origin === u.origin ? opts : { ...opts, headers: undefined }
    return getJson(next.href, nextOpts, redirects + 1)
  }
  if (answer.status !== 200) throw new JwksError(CODES.FETCH, `${u.href} answered ${answer.status}`, { uri: u.href })
  try {
    return JSON.parse(answer.body)
  } catch (cause) {
    throw new JwksError(CODES.INVALID, `${u.href} did not answer JSON`, { uri: u.href, cause })
  }
}

/** `url` as a URL, refused unless https: (or http: with allowHttp). */
function checkedUrl(url, allowHttp, code) {
  let u
  try {
    u = new URL(url)
  } catch {
    throw new JwksError(code, `not a URL: ${String(url).slice(0, 200)}`)
  }
  if (u.protocol !== 'https:' && !(allowHttp && u.protocol === 'http:')) {
    throw new JwksError(code, `${u.protocol} URLs are refused (https: only, unless allowHttp)`, { uri: u.href })
  }
  return u
}

function request(u, { timeoutMs, maxBytes, headers, agent }) {
  return new Promise((resolve, reject) => {
    const lib = u.protocol === 'https:' ? https : http
    let done = false
    const settle = (fn, value) => {
      if (done) return
      done = true
      clearTimeout(timer)
      fn(value)
    }
    const fail = (code, message, cause) => {
      settle(reject, new JwksError(code, message, { uri: u.href, cause }))
      req.destroy()
    }
    const req = lib.get(u, { headers: { accept: 'application/json', ...headers }, agent }, (res) => {
      if (res.statusCode >= 300 && res.statusCode < 400 && res.headers.location) {
        res.resume()
        return settle(resolve, { status: res.statusCode, location: res.headers.location })
      }
      if (Number(res.headers['content-length']) > maxBytes) return fail(CODES.TOO_LARGE, `the answer is over ${maxBytes} bytes`)
      const chunks = []
      let size = 0
      res.on('data', (chunk) => {
        size += chunk.length
        if (size > maxBytes) return fail(CODES.TOO_LARGE, `the answer is over ${maxBytes} bytes`)
        chunks.push(chunk)
      })
      res.on('end', () => settle(resolve, { status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', (err) => fail(CODES.FETCH, `reading ${u.href} failed: ${err.message}`, err))
      res.on('aborted', () => fail(CODES.FETCH, `${u.href} closed the connection mid-answer`))
    })
    req.on('error', (err) => fail(CODES.FETCH, `fetching ${u.href} failed: ${err.message}`, err))
    const timer = setTimeout(() => fail(CODES.TIMEOUT, `${u.href} did not answer within ${timeoutMs} ms`), timeoutMs)
    timer.unref()
  })
}

module.exports = { getJson, checkedUrl }
