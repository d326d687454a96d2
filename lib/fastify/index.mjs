// ESM entry of `revocable/fastify` (see index.mjs at the root for the pattern).
import cjs from './index.js'

export default cjs
export const { fastifyJwt } = cjs
