/** The object key of a generated export: the same path the public asks for. */
export const exportKey = (name: string) => `v1/export/${name}`;

/** The grades CSV the grades-export job writes. */
export const GRADES_CSV = 'grades.csv';
