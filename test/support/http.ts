/** The JSON body of a response, loosely typed: tests check its shape with assertions. */
// biome-ignore lint/suspicious/noExplicitAny: the assertions that follow are the type check
export async function body(res: Response): Promise<any> {
  return res.json();
}
