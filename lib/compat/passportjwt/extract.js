'use strict'

// passport-jwt 4.0.1's ExtractJwt, extractor for extractor: each takes the
// request and returns the token or null.
const AUTH_HEADER = 'authorization'
const LEGACY_AUTH_SCHEME = 'JWT'
const BEARER_AUTH_SCHEME = 'bearer'
const { parseAuthHeader } = require('./auth-header')

const fromHeader = (name) => (request) => request.headers[name] || null

const fromBodyField = (name) => (request) =>
  (request.body && Object.prototype.hasOwnProperty.call(request.body, name) ? request.body[name] : null)

const fromUrlQueryParameter = (name) => (request) => {
  // url.parse's query object, as passport-jwt reads it: a repeated name gives an array.
  const params = new URL(request.url, 'http://localhost').searchParams
  if (!params.has(name)) return null
  const all = params.getAll(name)
  return all.length === 1 ? all[0] : all
}

const fromAuthHeaderWithScheme = (scheme) => {
  const lower = scheme.toLowerCase()
  return (request) => {
    if (!request.headers[AUTH_HEADER]) return null
    const params = parseAuthHeader(request.headers[AUTH_HEADER])
    return params && lower === params.scheme.toLowerCase() ? params.value : null
  }
}

const fromAuthHeaderAsBearerToken = () => fromAuthHeaderWithScheme(BEARER_AUTH_SCHEME)

function fromExtractors(extractors) {
  if (!Array.isArray(extractors)) throw new TypeError('extractors.fromExtractors expects an array')
  return function (request) {
    let token = null
    for (let i = 0; !token && i < extractors.length; i++) token = extractors[i].call(this, request)
    return token
  }
}

/** The v1 lookup: the JWT scheme's header, then a body field, then a query parameter. */
function versionOneCompatibility(options) {
  const header = fromAuthHeaderWithScheme(options.authScheme || LEGACY_AUTH_SCHEME)
  const body = fromBodyField(options.tokenBodyField || 'auth_token')
  const query = fromUrlQueryParameter(options.tokenQueryParameterName || 'auth_token')
  return (request) => header(request) || body(request) || query(request)
}

module.exports = {
  fromHeader, fromBodyField, fromUrlQueryParameter, fromAuthHeaderWithScheme,
  fromAuthHeaderAsBearerToken, fromExtractors, versionOneCompatibility,
}
