import { problemResponse } from '../../schemas/common.ts';

/** Errors every authenticated route may answer (problem+json). */
export const AUTH_ERRORS = {
  400: problemResponse('Invalid input; every invalid field is listed'),
  401: problemResponse('Missing, expired, badly signed or role-less token'),
  403: problemResponse('Not allowed for this role or this object'),
  404: problemResponse('Unknown object'),
  409: problemResponse('Wrong step for the current state, concurrent change, or duplicate'),
  422: problemResponse('Refused by a rule'),
} as const;

export const BEARER = [{ bearer: [] }];
