// Types of the ESM entry: the plugin as default export and by its @fastify/jwt name.
import cjs = require('./index.js')
export default cjs
export declare const fastifyJwt: typeof cjs
export type { FastifyJWTOptions, FastifyJWT, SignOptions, VerifyOptions } from './index.js'
