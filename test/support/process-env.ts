/** Setting and restoring process.env for tests and benches that drive the real AWS SDK's environment chain. */

/** Sets each variable (undefined deletes it) and returns the values it replaced, for restoring. */
export function setProcessEnv(
  values: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  const saved: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(values)) {
    saved[name] = process.env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  return saved;
}

/** Runs `run` with these variables set, then puts the old values back. */
export async function withProcessEnv<T>(
  values: Readonly<Record<string, string | undefined>>,
  run: () => Promise<T>,
): Promise<T> {
  const saved = setProcessEnv(values);
  try {
    return await run();
  } finally {
    setProcessEnv(saved);
  }
}
