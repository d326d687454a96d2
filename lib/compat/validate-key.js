'use strict'

// jsonwebtoken 9's key/algorithm pairing rules, with its messages. EdDSA
// (Ed25519) is revocable's addition: jsonwebtoken 9 knows no EdDSA.
const ALGS_FOR_KEY_TYPE = {
  ec: ['ES256', 'ES384', 'ES512'],
  rsa: ['RS256', 'PS256', 'RS384', 'PS384', 'RS512', 'PS512'],
  'rsa-pss': ['PS256', 'PS384', 'PS512'],
  ed25519: ['EdDSA'],
}
const CURVE_FOR_ALG = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' }

/** Throws a plain Error (as jsonwebtoken does) when `key` does not fit `algorithm`. */
function validateAsymmetricKey(algorithm, key) {
  if (!algorithm || !key) return
  const keyType = key.asymmetricKeyType
  if (!keyType) return
  const allowed = ALGS_FOR_KEY_TYPE[keyType]
  if (!allowed) throw new Error(`Unknown key type "${keyType}".`)
  if (!allowed.includes(algorithm)) {
    throw new Error(`"alg" parameter for "${keyType}" key type must be one of: ${allowed.join(', ')}.`)
  }
  const details = key.asymmetricKeyDetails
  if (keyType === 'ec' && details.namedCurve !== CURVE_FOR_ALG[algorithm]) {
    throw new Error(`"alg" parameter "${algorithm}" requires curve "${CURVE_FOR_ALG[algorithm]}".`)
  }
  if (keyType === 'rsa-pss') {
    const bits = parseInt(algorithm.slice(-3), 10)
    const { hashAlgorithm, mgf1HashAlgorithm, saltLength } = details
    if (hashAlgorithm !== `sha${bits}` || mgf1HashAlgorithm !== hashAlgorithm) {
      throw new Error(`Invalid key for this operation, its RSA-PSS parameters do not meet the requirements of "alg" ${algorithm}.`)
    }
    if (saltLength !== undefined && saltLength > bits >> 3) {
      throw new Error(`Invalid key for this operation, its RSA-PSS parameter saltLength does not meet the requirements of "alg" ${algorithm}.`)
    }
  }
}

module.exports = { validateAsymmetricKey }
