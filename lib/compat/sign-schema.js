'use strict'

// jsonwebtoken 9.0.2's sign option and payload rules, with its messages.
const ALGORITHMS = [
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'HS256', 'HS384', 'HS512', 'none',
  'EdDSA', // revocable's addition
]

const isString = (v) => typeof v === 'string' || v instanceof String
const isNumber = (v) => typeof v === 'number' || v instanceof Number
const isBoolean = (v) => v === true || v === false || v instanceof Boolean
const isInteger = (v) => typeof v === 'number' && Number.isInteger(v)
const fnText = Function.prototype.toString

/** lodash's isPlainObject: made by `{}`, `new Object` or `Object.create(null)`, in any realm. */
function isPlainObject(value) {
  if (value === null || typeof value !== 'object' || Object.prototype.toString.call(value) !== '[object Object]') return false
  const proto = Object.getPrototypeOf(value)
  if (proto === null) return true
  const Ctor = Object.prototype.hasOwnProperty.call(proto, 'constructor') && proto.constructor
  return typeof Ctor === 'function' && Ctor instanceof Ctor && fnText.call(Ctor) === fnText.call(Object)
}

const timespanRule = (name) => ({
  isValid: (v) => isInteger(v) || (isString(v) && v),
  message: `"${name}" should be a number of seconds or string representing a timespan`,
})
const typed = (name, isValid, type) => ({ isValid, message: `"${name}" must be a ${type}` })

const OPTIONS = {
  expiresIn: timespanRule('expiresIn'),
  notBefore: timespanRule('notBefore'),
  audience: { isValid: (v) => isString(v) || Array.isArray(v), message: '"audience" must be a string or array' },
  algorithm: { isValid: (v) => ALGORITHMS.includes(v), message: '"algorithm" must be a valid string enum value' },
  header: { isValid: isPlainObject, message: '"header" must be an object' },
  encoding: typed('encoding', isString, 'string'),
  issuer: typed('issuer', isString, 'string'),
  subject: typed('subject', isString, 'string'),
  jwtid: typed('jwtid', isString, 'string'),
  noTimestamp: typed('noTimestamp', isBoolean, 'boolean'),
  keyid: typed('keyid', isString, 'string'),
  mutatePayload: typed('mutatePayload', isBoolean, 'boolean'),
  allowInsecureKeySizes: typed('allowInsecureKeySizes', isBoolean, 'boolean'),
  allowInvalidAsymmetricKeyTypes: typed('allowInvalidAsymmetricKeyTypes', isBoolean, 'boolean'),
}

const CLAIMS = {
  iat: { isValid: isNumber, message: '"iat" should be a number of seconds' },
  exp: { isValid: isNumber, message: '"exp" should be a number of seconds' },
  nbf: { isValid: isNumber, message: '"nbf" should be a number of seconds' },
}

function validate(schema, allowUnknown, object, what) {
  if (!isPlainObject(object)) throw new Error(`Expected "${what}" to be a plain object.`)
  for (const name of Object.keys(object)) {
    const rule = schema[name]
    if (!rule) {
      if (!allowUnknown) throw new Error(`"${name}" is not allowed in "${what}"`)
      continue
    }
    if (!rule.isValid(object[name])) throw new Error(rule.message)
  }
}

module.exports = {
  validateOptions: (options) => validate(OPTIONS, false, options, 'options'),
  validatePayload: (payload) => validate(CLAIMS, true, payload, 'payload'),
}
