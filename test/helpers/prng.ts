/** The product's seeded PRNG, so fuzz and fault runs can be replayed from the printed seed. */
export { prng } from '../../src/sim/rng.js';
