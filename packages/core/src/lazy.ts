/**
 * A value built on first use, then kept. forcekit's zod schemas are built this way: built at import,
 * they cost every process CPU time at start-up (about 15 ms for core's and 16 ms for bulk's in a profile
 * of `import('forcekit')`) for options many programs never pass.
 *
 * ```ts
 * const optionsSchema = lazy(() => z.strictObject({ pollInterval: z.int().min(1).optional() }));
 * const options = parseOptions(optionsSchema(), input, 'bulk options');
 * ```
 */
export function lazy<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}
