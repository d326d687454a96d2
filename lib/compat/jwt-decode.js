'use strict'

// What jsonwebtoken (through jws) calls a JWS: three base64url-ish segments,
// the last one possibly empty. Anything else decodes to null.
const SHAPE = /^[a-zA-Z0-9\-_]+?\.[a-zA-Z0-9\-_]+?\.([a-zA-Z0-9\-_]+)?$/

const isPlainObject = (x) => Object.prototype.toString.call(x) === '[object Object]'

function asText(token) {
  if (typeof token === 'string') return token
  if (typeof token === 'number' || Buffer.isBuffer(token)) return token.toString()
  return JSON.stringify(token)
}

function parseHeader(segment) {
  try {
    return JSON.parse(Buffer.from(segment, 'base64').toString('binary'))
  } catch {
    return undefined
  }
}

/**
 * Splits a token without verifying anything, exactly as jsonwebtoken 9.0.2
 * does: null when it is not a JWS, a SyntaxError thrown when `typ` is JWT and
 * the payload is not JSON, and a string payload when it is not a JSON object.
 */
function decodeParts(token, options) {
  const text = asText(token)
  if (!SHAPE.test(text)) return null
  const [head, body, signature] = text.split('.')
  const header = parseHeader(head)
  if (!header) return null
  let payload = Buffer.from(body, 'base64').toString('utf8')
  if (header.typ === 'JWT' || (options && options.json)) payload = JSON.parse(payload)
  return { header, payload, signature }
}

/** jsonwebtoken's `decode(token, [options])`. Never trust what it returns: nothing is verified. */
function decode(token, options = {}) {
  options = options || {}
  const decoded = decodeParts(token, options)
  if (!decoded) return null
  let payload = decoded.payload
  if (typeof payload === 'string') {
    try {
      const parsed = JSON.parse(payload)
      if (parsed !== null && typeof parsed === 'object') payload = parsed
    } catch {
      // not JSON: jsonwebtoken returns the text as it is
    }
  }
  if (options.complete === true) return { header: decoded.header, payload, signature: decoded.signature }
  return payload
}

module.exports = { decode, isPlainObject }
