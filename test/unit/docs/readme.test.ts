import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const README_LIMIT_BYTES = 12 * 1024;

/** The markdown files a reader follows: README.md and every page of docs/. */
function documents(): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f));
  return ['README.md', ...docs];
}

/** Inline links `[text](target)` outside code blocks and code spans. */
function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const links: string[] = [];
  for (const m of prose.matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1] as string;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue; // absolute URL
    links.push(target);
  }
  return links;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(markdown: string): Set<string> {
  const prose = markdown.replace(/```[\s\S]*?```/g, '');
  return new Set([...prose.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => anchorOf(m[1] as string)));
}

describe('README and docs/', () => {
  it('keeps the README short enough for a first read', () => {
    const size = statSync(join(root, 'README.md')).size;
    expect(size).toBeLessThanOrEqual(README_LIMIT_BYTES);
  });

  it('links from the README to every page of docs/', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const linked = new Set(relativeLinks(readme).map((l) => l.split('#')[0]));
    for (const page of documents().filter((d) => d !== 'README.md')) expect(linked).toContain(page);
  });

  it.each(documents())('%s: every relative link points to an existing file and heading', (doc) => {
    const text = readFileSync(join(root, doc), 'utf8');
    const broken: string[] = [];
    for (const link of relativeLinks(text)) {
      const [path, fragment] = link.split('#') as [string, string | undefined];
      const target = path === '' ? join(root, doc) : resolve(dirname(join(root, doc)), decodeURI(path));
      if (!existsSync(target)) {
        broken.push(`${link}: no such file`);
        continue;
      }
      if (fragment && target.endsWith('.md') && !anchors(readFileSync(target, 'utf8')).has(fragment))
        broken.push(`${link}: no such heading`);
    }
    expect(broken).toEqual([]);
  });

  it.each(documents())('%s: names nothing outside the repository but public sites', (doc) => {
    const text = readFileSync(join(root, doc), 'utf8');
    const outside = relativeLinks(text).filter((l) => !resolve(dirname(join(root, doc)), l).startsWith(root));
    // Also in code spans: a path a reader would have to find beside the repository.
    const named = [...text.matchAll(/\.\.\/[\w.-]+\/[\w./-]*/g)]
      .map((m) => m[0])
      .filter((p) => !resolve(dirname(join(root, doc)), p).startsWith(root));
    expect([...outside, ...named]).toEqual([]);
  });

  it('finds links and anchors the way a reader follows them', () => {
    expect(relativeLinks('[a](docs/x.md) [b](https://e.org) `[c](no.md)` [d](y.md#z)')).toEqual([
      'docs/x.md',
      'y.md#z',
    ]);
    expect(anchorOf("The regulators' API (authenticated)")).toBe('the-regulators-api-authenticated');
    expect(anchorOf('Fair use and rate limits')).toBe('fair-use-and-rate-limits');
  });
});
