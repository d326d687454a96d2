'use strict'

// What jsonwebtoken (through jws) calls a JWS: three base64url-ish segments,
// the last one possibly empty. Anything else decodes to null.
const SHAPE = /^[a-zA-Z0-9\-_]+?\.[a-zA-Z0-9\-_]+?\.([a-zA-Z0-9\-_]+)?$/

function asText(token) {
  if (typeof token === 'string') return token
  if (typeof token === 'number' || Buffer.isBuffer(token)) return token.toString()
  return JSON.stringify(token)
}

function parseHeader(text) {
  try {
    return JSON.parse(text)
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
  // jws reads the header as latin1 and the payload as UTF-8; the texts are kept for verify's cache.
  const headerText = Buffer.from(head, 'base64').toString('binary')
  const header = parseHeader(headerText)
  if (!header) return null
  const payloadText = Buffer.from(body, 'base64').toString('utf8')
  const payload = header.typ === 'JWT' || (options && options.json) ? JSON.parse(payloadText) : payloadText
  return { header, payload, signature, headerText, payloadText }
}

/** The complete decode, plus the header and payload texts; null when it is not a JWS. */
function decodeComplete(token, options) {
  const decoded = decodeParts(token, options)
  if (!decoded) return null
  if (typeof decoded.payload === 'string') {
    try {
      const parsed = JSON.parse(decoded.payload)
      if (parsed !== null && typeof parsed === 'object') decoded.payload = parsed
    } catch {
      // not JSON: jsonwebtoken returns the text as it is
    }
  }
  return decoded
}

/** jsonwebtoken's `decode(token, [options])`. Never trust what it returns: nothing is verified. */
function decode(token, options = {}) {
  options = options || {}
  const decoded = decodeComplete(token, options)
  if (!decoded) return null
  if (options.complete === true) return { header: decoded.header, payload: decoded.payload, signature: decoded.signature }
  return decoded.payload
}

module.exports = { decode, decodeComplete }
