// ESM entry of `revocable/passport-jwt` (see index.mjs for the pattern).
import cjs from './passport-jwt.js'

export default cjs
export const { Strategy, ExtractJwt } = cjs
