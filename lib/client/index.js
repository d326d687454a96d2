/* revocable/client: the browser side of revocable. No dependencies; load it
 * with a <script> tag (it defines `revocableClient`), require() it, or bundle it. */
(function (root, factory) {
  'use strict'
  if (typeof module === 'object' && module.exports) module.exports = factory()
  else root.revocableClient = factory()
})(typeof globalThis !== 'undefined' ? globalThis : this, function () {
  'use strict'

  // The codes revocable's middleware puts in the JSON body of a 401.
  const EXPIRED = 'ERR_JWT_EXPIRED'
  const REVOKED = 'ERR_JWT_REVOKED'

  function memoryStorage() {
    const items = new Map()
    return {
      getItem: (k) => (items.has(k) ? items.get(k) : null),
      setItem: (k, v) => { items.set(k, String(v)) },
      removeItem: (k) => { items.delete(k) },
    }
  }

  function pickStorage(storage) {
    if (storage === 'memory') return memoryStorage()
    if (storage === 'local' || storage === 'session') {
      const found = globalThis[storage + 'Storage']
      if (!found) throw new TypeError(`revocable/client: ${storage}Storage is not available here; use storage: 'memory'`)
      return found
    }
    if (storage && typeof storage.getItem === 'function' && typeof storage.setItem === 'function' && typeof storage.removeItem === 'function') return storage
    throw new TypeError("revocable/client: storage must be 'local', 'session', 'memory' or { getItem, setItem, removeItem }")
  }

  /**
   * A client keeping the user's tokens. Options (defaults):
   * - storage ('local' when the page has localStorage, else 'memory'): 'local', 'session', 'memory' or a Storage-like object.
   * - key ('revocable'): storage keys are `${key}.access` and `${key}.refresh`.
   * - header ('x-access-token'): the response header carrying a rotated token (the middleware's rotate.header).
   * - refresh ('/refresh'): URL taking POST { refreshToken } and answering { accessToken, refreshToken },
   *   or async (refreshToken) => ({ accessToken, refreshToken }), or false.
   * - onLoggedOut ({ code, reason }) => void: called after the stored tokens are cleared because the
   *   server said revoked (or a refresh failed), or, with localStorage, because another tab cleared them
   *   (code 'LOGGED_OUT_ELSEWHERE').
   * - fetch (globalThis.fetch).
   */
  function createClient(options = {}) {
    const storage = pickStorage(options.storage === undefined ? (globalThis.localStorage ? 'local' : 'memory') : options.storage)
    const key = options.key || 'revocable'
    const header = options.header === undefined ? 'x-access-token' : options.header
    const refreshWith = options.refresh === undefined ? '/refresh' : options.refresh
    const onLoggedOut = options.onLoggedOut || function () {}
    const baseFetch = options.fetch || ((...args) => globalThis.fetch(...args))
    let refreshing = null

    // Read on every request, never cached: another tab may have refreshed or logged out.
    const access = () => storage.getItem(`${key}.access`)
    const refreshToken = () => storage.getItem(`${key}.refresh`)

    // localStorage is shared by the origin's tabs: when another tab clears the
    // tokens (it was told revoked, or logged out), this one is logged out too.
    if (storage === globalThis.localStorage && typeof globalThis.addEventListener === 'function') {
      globalThis.addEventListener('storage', (event) => {
        if (event.key === `${key}.access` && event.newValue === null && event.oldValue !== null) {
          onLoggedOut({ code: 'LOGGED_OUT_ELSEWHERE' })
        }
      })
    }

    function setTokens({ accessToken, refreshToken: rt } = {}) {
      if (typeof accessToken === 'string' && accessToken !== '') storage.setItem(`${key}.access`, accessToken)
      if (typeof rt === 'string' && rt !== '') storage.setItem(`${key}.refresh`, rt)
    }

    function clear() {
      storage.removeItem(`${key}.access`)
      storage.removeItem(`${key}.refresh`)
    }

    function loggedOut(code, reason) {
      clear()
      onLoggedOut({ code, reason })
    }

    /** A rotated token from a response header replaces the stored one. */
    function pickUp(value) {
      if (typeof value === 'string' && value !== '') storage.setItem(`${key}.access`, value)
    }

    async function doRefresh() {
      const rt = refreshToken()
      if (!rt || refreshWith === false) return { ok: false, code: 'NO_REFRESH_TOKEN' }
      if (typeof refreshWith === 'function') {
        try {
          setTokens(await refreshWith(rt))
          return { ok: true }
        } catch (err) {
          return { ok: false, code: err && err.code, reason: err && err.reason }
        }
      }
      const res = await baseFetch(refreshWith, {
        method: 'POST', credentials: 'same-origin',
        headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: rt }),
      })
      const body = await res.json().catch(() => ({}))
      if (!res.ok) return { ok: false, code: body.code, reason: body.reason }
      setTokens(body)
      return { ok: true }
    }

    /**
     * One refresh at a time per page: every request that met an expired token
     * waits for the same one, so a refresh token is never sent twice from here
     * (the server's reuse interval covers two tabs).
     */
    function refreshOnce(sent) {
      // Another request (or tab) already holds a newer token: use it, no refresh needed.
      if (access() && access() !== sent) return Promise.resolve({ ok: true })
      if (refreshing === null) refreshing = doRefresh().finally(() => { refreshing = null })
      return refreshing
    }

    /** What a 401 means for the stored tokens: 'retry' (refreshed), or undefined (leave it to the caller). */
    async function on401(code, reason, sent) {
      if (code === EXPIRED && sent) {
        const result = await refreshOnce(sent)
        if (result.ok) return 'retry'
        loggedOut(result.code || code, result.reason)
      } else if (code === REVOKED && sent) {
        loggedOut(code, reason)
      }
      return undefined
    }

    async function send(input, init) {
      const headers = new globalThis.Headers(init.headers || (input instanceof globalThis.Request ? input.headers : undefined))
      const token = access()
      if (token && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`)
      const res = await baseFetch(input, { ...init, headers })
      if (header) pickUp(res.headers.get(header))
      return { res, sent: headers.has('authorization') ? token : null }
    }

    /** fetch() with the stored token attached, rotated tokens picked up, one refresh on expiry. */
    async function clientFetch(input, init = {}) {
      const again = input instanceof globalThis.Request ? input.clone() : input
      const { res, sent } = await send(input, init)
      if (res.status !== 401) return res
      const body = await res.clone().json().catch(() => ({}))
      if ((await on401(body.code, body.reason, sent)) !== 'retry') return res
      return (await send(again, init)).res
    }

    /** Installs the same behaviour as request/response interceptors of an axios instance; returns an uninstaller. */
    function useAxios(instance) {
      const request = instance.interceptors.request.use((config) => {
        const token = access()
        if (token && config.revocable !== false) {
          if (config.headers && typeof config.headers.set === 'function') config.headers.set('Authorization', `Bearer ${token}`)
          else config.headers = { ...config.headers, Authorization: `Bearer ${token}` }
        }
        config.revocableSent = token
        return config
      })
      const headerOf = (response) => (response && response.headers && header ? (typeof response.headers.get === 'function' ? response.headers.get(header) : response.headers[header.toLowerCase()]) : undefined)
      const response = instance.interceptors.response.use((res) => {
        pickUp(headerOf(res))
        return res
      }, async (error) => {
        const res = error && error.response
        if (!res || res.status !== 401 || !error.config) throw error
        const body = res.data && typeof res.data === 'object' ? res.data : {}
        if (!error.config.revocableRetried && (await on401(body.code, body.reason, error.config.revocableSent)) === 'retry') {
          return instance({ ...error.config, revocableRetried: true })
        }
        throw error
      })
      return () => {
        instance.interceptors.request.eject(request)
        instance.interceptors.response.eject(response)
      }
    }

    return {
      fetch: clientFetch,
      axios: useAxios,
      setTokens,
      /** Forgets the stored tokens (log out on this device); does not call onLoggedOut. */
      clear,
      get accessToken() { return access() },
      get refreshToken() { return refreshToken() },
      get loggedIn() { return access() !== null },
    }
  }

  return { createClient }
})
