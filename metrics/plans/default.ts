// The plan the dashboard opens on and the server warms its caches for: the
// 2015 national innovation-lab plan (seed 003), the sample district's plan
// period. A constant module without imports, so the client can share it.

export const DEFAULT_PLAN = 'sanshe-lab-2015';
