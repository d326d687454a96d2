// ESM entry of `revocable/express-jwt` (see index.mjs for the pattern).
import cjs from './express-jwt.js'

export default cjs
export const { expressjwt, UnauthorizedError } = cjs
