import { mintLocalToken } from '#shared/auth/mint.ts';
import { districtNames, isDistrict } from '#shared/domain/rules.ts';
import { ROLES, type Role } from '#shared/domain/types.ts';
import { validateUscc } from '#shared/domain/uscc.ts';
import { dataDirSecrets } from '#shared/local/data-secrets.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, parseCommandArgs } from './local-env.ts';

/** `npm run token -- --role district --district 西湖区 [--data DIR]` (or `--role association --association 中国整形美容协会`): a token the local server accepts, on the last line. */
const args = parseCommandArgs('token', process.argv.slice(2));
const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};
const role = args.role as Role | undefined;
if (!role || !(ROLES as readonly string[]).includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`);
if ((role === 'district' || role === 'district_admin') && !isDistrict(args.district)) {
  fail(`--district must be one of ${districtNames().join(' ')}`);
}
if (role === 'association' && !args.association?.trim()) {
  fail('--association must name the association, e.g. 中国整形美容协会');
}
let uscc: string | undefined;
if (role === 'institution') {
  const checked = validateUscc(args.uscc ?? '');
  if (!checked.ok) fail(`--uscc: ${checked.message}`);
  else uscc = checked.uscc;
}
const token = await mintLocalToken({
  // The data directory's own key: the token works against `npm start` on the same --data.
  secret: dataDirSecrets(args.dataDir).jwtSecret,
  issuer: LOCAL_ISSUER,
  audience: LOCAL_AUDIENCE,
  role: role as Role,
  subject: args.sub,
  district: args.district as string | undefined,
  uscc,
  association: role === 'association' ? args.association?.trim() : undefined,
  ttlSeconds: args.ttl,
});
console.log(
  `# ${role}${args.district ? ` ${args.district}` : ''}${uscc ? ` ${uscc}` : ''}${role === 'association' ? ` ${args.association}` : ''}, valid 12 h, local server only`,
);
console.log(token);
