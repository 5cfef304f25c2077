/** Placeholder so the stack can bundle this function until its implementation lands. */
export async function handler(): Promise<never> {
  throw new Error('not deployed yet');
}
