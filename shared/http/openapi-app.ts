import { OpenAPIHono } from '@hono/zod-openapi';
import { ValidationError } from '../domain/errors.ts';
import { fieldProblems } from './problem.ts';

/**
 * An OpenAPIHono whose request validation failures become 400 problems naming every invalid field.
 */
export function openApiRouter<E extends object = object>() {
  return new OpenAPIHono<E & { Bindings: object }>({
    defaultHook: (result) => {
      if (!result.success) {
        const issues = fieldProblems(result.target, result.error.issues);
        throw new ValidationError(
          `invalid ${result.target}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
          issues,
        );
      }
    },
  });
}
