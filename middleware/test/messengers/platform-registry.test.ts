import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { MESSENGER_ADAPTERS, MESSENGER_TEXT_LIMITS } from '@custom-channels/contract';
import { contractFiles, GENERATED_FILES, REPOSITORY_ROOT } from '../../scripts/contract-files.js';
import { MESSENGER_PLATFORMS } from '../../src/messengers/registry.js';

/** The code a platform could leak into: the middleware, the contract and the Flex plugin. */
const SCANNED = ['middleware/src', 'middleware/scripts', 'contract/src', 'contract/scripts', 'src'];
const REGISTRY = 'middleware/src/messengers/registry.ts';
const platformFolder = (adapter: string) => `middleware/src/messengers/${adapter}/`;
const SKIPPED = /(^|\/)(generated|__tests__|node_modules|dist|build)\/|\.test\.tsx?$|\.d\.ts$/;
/**
 * Platform names that are ordinary words too (a line of text, a command line): an identifier
 * that is the word alone, or has it after one of these words, means the word.
 */
const ORDINARY_WORDS: Record<string, string[]> = { line: ['command', 'one', 'first', 'second', 'value', 'attachments'] };

function sourceFiles(folder: string): string[] {
  return readdirSync(join(REPOSITORY_ROOT, folder), { recursive: true, encoding: 'utf8' })
    .map((file) => `${folder}/${file.split(sep).join('/')}`)
    .filter((file) => /\.(ts|tsx|js|cjs|mjs)$/.test(file) && !SKIPPED.test(file));
}

function namesPlatform(identifier: string, adapter: string): boolean {
  const words = identifier.split(/_|(?<=[a-z0-9])(?=[A-Z])/).map((word) => word.toLowerCase());
  const ordinaryAfter = ORDINARY_WORDS[adapter];
  const ordinary = (i: number) => ordinaryAfter !== undefined && (words.length === 1 || ordinaryAfter.includes(words[i - 1] ?? ''));
  return words.some((word, i) => word === adapter && !ordinary(i));
}

/**
 * Where code names a platform, comments left aside: an identifier with the adapter's name as
 * one of its words (`createLineParts`, `TELEGRAM_SECRET`), a string that is the adapter's name
 * or a path through its folder (`'line'`, `'./telegram/bot-api.js'`), or a text with the
 * platform's own name as written (`'LINE Developers Console'`).
 */
function mentions(code: string, platform: { adapter: string; name: string }): string[] {
  const brand = new RegExp(`\\b${platform.name}\\b`);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && namesPlatform(node.text, platform.adapter)) found.push(node.text);
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node) || ts.isJsxText(node)) {
      const text = node.text;
      if (text.toLowerCase() === platform.adapter || text.split('/').includes(platform.adapter) || brand.test(text)) found.push(JSON.stringify(text));
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('scanned.tsx', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX));
  return found;
}

/**
 * The files and packages `entry` loads before anything runs: its static imports, followed
 * through the middleware's own files. Type-only imports and `import()` calls are left out.
 */
function staticImports(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
    for (const statement of source.statements) {
      const specifier = (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier;
      if (!specifier || !ts.isStringLiteral(specifier)) continue;
      const typeOnly = ts.isImportDeclaration(statement) ? statement.importClause?.isTypeOnly : statement.isTypeOnly;
      if (typeOnly) continue;
      if (specifier.text.startsWith('.')) visit(resolve(dirname(file), specifier.text.replace(/\.js$/, '.ts')));
      else packages.add(specifier.text);
    }
  };
  visit(entry);
  return { files: [...files].map((file) => relative(REPOSITORY_ROOT, file).split(sep).join('/')), packages: [...packages] };
}

describe('a messenger platform is one folder plus one registry line', () => {
  test('the scan finds a platform named in code, not in comments nor in ordinary words', () => {
    const telegram = { adapter: 'telegram', name: 'Telegram' };
    const line = { adapter: 'line', name: 'LINE' };
    assert.deepEqual(mentions(`if (adapter === 'telegram') send();`, telegram), ['"telegram"']);
    assert.deepEqual(mentions(`const limits = { telegram: 4096 };`, telegram), ['telegram']);
    assert.deepEqual(mentions('const kind = `${prefix}telegram`;', telegram), ['"telegram"']);
    assert.deepEqual(mentions('const path = `/channels/line/${type}`;', line), ['"/channels/line/"']);
    assert.deepEqual(mentions(`import { createLineParts } from './line/index.js';`, line), ['createLineParts', '"./line/index.js"']);
    assert.deepEqual(mentions(`const TELEGRAM_SECRET = /x/; say('Open LINE');`, telegram), ['TELEGRAM_SECRET']);
    assert.deepEqual(mentions(`say('Open LINE');`, line), ['"Open LINE"']);
    assert.deepEqual(mentions(`// Telegram and LINE\n/* 'line' */ out((line: string) => line, 'one line', firstLine, parseCommandLine);`, line), []);
    assert.deepEqual(mentions(`verify(LINE_SIGNATURE_HEADER, lineSignatureMatches);`, line), ['LINE_SIGNATURE_HEADER', 'lineSignatureMatches']);
  });

  test('outside its folder, only the registry names a platform', () => {
    const files = SCANNED.flatMap(sourceFiles);
    assert.ok(files.includes(REGISTRY) && files.length > 100, 'the scan reads the sources');
    for (const platform of MESSENGER_PLATFORMS) {
      const touched = files
        .filter((file) => !file.startsWith(platformFolder(platform.adapter)))
        .filter((file) => mentions(readFileSync(join(REPOSITORY_ROOT, file), 'utf8'), platform).length > 0);
      assert.deepEqual(touched, [REGISTRY], `files naming ${platform.name} outside ${platformFolder(platform.adapter)}`);
    }
  });

  test('channels.schema.json and the contract types are what the registry generates (npm run generate -w middleware)', async () => {
    for (const [file, text] of Object.entries(await contractFiles())) {
      assert.equal(readFileSync(join(REPOSITORY_ROOT, file), 'utf8'), text, `${file} is stale: run npm run generate -w middleware`);
    }
    assert.deepEqual(Object.keys(await contractFiles()).sort(), Object.values(GENERATED_FILES).sort());
  });

  test('each platform opens an adapter and a webhook of its own adapter name', async () => {
    for (const platform of MESSENGER_PLATFORMS) {
      const parts = await platform.open();
      assert.equal(parts.adapter.kind, platform.adapter);
      assert.equal(parts.webhook.adapter, platform.adapter);
    }
  });

  test("the contract's messenger adapters are the registry's", () => {
    assert.deepEqual(
      [...MESSENGER_ADAPTERS],
      MESSENGER_PLATFORMS.map((platform) => platform.adapter),
    );
    for (const platform of MESSENGER_PLATFORMS) {
      assert.equal(MESSENGER_TEXT_LIMITS[platform.adapter as keyof typeof MESSENGER_TEXT_LIMITS], platform.schema.textLimit);
    }
  });

  test("the registry loads no platform's client: only a channel on the platform does, when it opens", () => {
    const loaded = staticImports(join(REPOSITORY_ROOT, REGISTRY));
    assert.ok(loaded.files.includes('middleware/src/messengers/telegram/telegram-platform.ts'), 'the walk follows the registry');
    assert.deepEqual(
      loaded.packages.filter((name) => ['axios', 'undici', '@line/bot-sdk'].includes(name)),
      [],
      'HTTP client packages loaded with the registry',
    );
    assert.deepEqual(
      loaded.files.filter((file) => /-(adapter|webhook|api|clients)\.ts$/.test(file)),
      [],
      "platforms' adapters, webhooks and API clients loaded with the registry",
    );
  });
});
