// ESM entry of `revocable`: the very objects require('revocable') returns (one
// module instance, so no dual-package hazard), under static names Node's ESM
// loader can see. A new entry point follows the same pattern: see README
// "Adding an entry point"; __test__/esm.test.js fails when a name is missing.
import cjs from './index.js'

export default cjs
export const {
  Verifier, Guard, open, stores, sign, decode,
  JwtError, JwtMalformedError, JwtTooLargeError, JwtAlgorithmError, JwtKeyError,
  JwtSignatureError, JwtExpiredError, JwtNotBeforeError, JwtMaxAgeError,
  JwtClaimError, JwtCritError, JwtInvalidOptionError, JwtRevokedError, JwksError,
} = cjs
