// ESM entry of `revocable/jsonwebtoken` (see index.mjs for the pattern).
import cjs from './jsonwebtoken.js'

export default cjs
export const { decode, verify, sign, JsonWebTokenError, NotBeforeError, TokenExpiredError } = cjs
