export { startProjection, type ProjectionOptions, type RunningProjection } from './start-projection';
export type { ProjectionSpec } from './projection-spec';
export { rebuild, groupOf, registerProjection, currentGeneration, progressOf } from './generation';
export { listProjections, type ProjectionRow } from './list-projections';
