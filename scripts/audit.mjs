#!/usr/bin/env node
/**
 * Electron security audit with @doyensec/electronegativity (`npm run test:audit`).
 *
 * Audits what runs in the Electron app: the sources of electron/ (main and preload; tests
 * excluded, as their fakes would satisfy the global checks: a fake `on('will-navigate')` in a
 * test would hide a missing handler in the app) and renderer/index.html, the page the window
 * loads (its CSP). The renderer's TypeScript is not audited: the JS checks look for main-
 * process APIs (BrowserWindow, shell, session) that the sandboxed page cannot reach, and they
 * match by method name only, so ClientApi.openExternal would be reported as shell.openExternal.
 * web.html is the browser variant's page, not loaded by Electron. package.json is included
 * for the JSON checks (dangerous Electron flags in npm scripts).
 * The files are copied, paths kept, into a temporary directory audited as one app, so the
 * global checks (navigation limits, CSP, permission handler) see main process and HTML
 * together.
 *
 * Fails (exit 1) on any finding, on any file it could not parse, and on any in-place
 * suppression without a reason. A finding is suppressed where it occurs, with the reason on
 * the same line: `// eng-disable CHECK_ID  why this is safe here`. In HTML the tool honours
 * `<!-- eng-disable CHECK_ID reason -->` only if the reason has just letters, digits and spaces.
 * The online check AvailableSecurityFixesGlobalCheck is excluded (CI has no internet); the
 * tool still tries to fetch translations for its messages and carries on without them.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const runElectronegativity = require('@doyensec/electronegativity');
// The evaluator electronegativity itself uses, to say which CSP directive it objects to.
const cspEvaluator = createRequire(require.resolve('@doyensec/electronegativity'))('@doyensec/csp-evaluator');

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Everything of the main process and preload, and the HTML entry the Electron window loads. */
const AUDITED = ['electron', 'renderer/index.html'];
const EXCLUDED_CHECKS = [
  'AvailableSecurityFixesGlobalCheck', // online: asks GitHub for Electron advisories
  'ElectronVersionJSONCheck', // always "finds" the Electron version: it only feeds the online check above
];
const SOURCE = /\.(ts|tsx|js|mjs|cjs|html)$/;
const NOT_SHIPPED = /\.(test|spec|e2e|bench)\.(ts|tsx|js)$/;
const MIN_REASON_LENGTH = 10;

function listSources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : listSources(path);
    return SOURCE.test(entry.name) && !NOT_SHIPPED.test(entry.name) ? [path] : [];
  });
}

/** `eng-disable` comments must say why; returns the ones that do not. */
function suppressionsWithoutReason(files) {
  const bad = [];
  const found = [];
  for (const file of files) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        const match = /(?:\/\/|\/\*|<!--)\s*eng-disable\s+((?:[A-Z][A-Z_]*_CHECK[\s,]*)+)(.*)$/.exec(line);
        if (!match) return;
        const where = `${relative(ROOT, file)}:${index + 1}`;
        const reason = (match[2].split(/\*\/|-->/)[0] ?? '').trim();
        found.push(`${where}  ${match[1].trim()}  — ${reason}`);
        if (reason.length < MIN_REASON_LENGTH) bad.push(where);
      });
  }
  return { bad, found };
}

/** The evaluator's own words for a CSP finding (the tool only says "seems to be vulnerable"). */
function cspDetails(policy) {
  try {
    const csp = new cspEvaluator.CspParser(String(policy)).csp;
    return new cspEvaluator.CspEvaluator(csp, cspEvaluator.Version.CSP3)
      .evaluate()
      .filter((f) => f.severity < cspEvaluator.severities.INFO)
      .map((f) => `${f.directive} ${f.value ?? ''}: ${f.description}`);
  } catch {
    return [];
  }
}

function stage(files) {
  const dir = mkdtempSync(join(tmpdir(), 'hechatai-audit-'));
  for (const file of files) {
    const target = join(dir, relative(ROOT, file));
    mkdirSync(dirname(target), { recursive: true });
    cpSync(file, target);
  }
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  return dir;
}

const files = AUDITED.flatMap((p) => (SOURCE.test(p) ? [join(ROOT, p)] : listSources(join(ROOT, p))));
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const stagingDir = stage(files);

let result;
try {
  result = await runElectronegativity(
    {
      input: stagingDir,
      output: undefined,
      isSarif: false,
      customScan: [],
      excludeFromScan: EXCLUDED_CHECKS,
      severitySet: undefined,
      confidenceSet: undefined,
      isRelative: true,
      isVerbose: true,
      electronUpgrade: undefined,
      electronVersionOverride: electronVersion,
      parserPlugins: [],
    },
    false,
  );
} finally {
  rmSync(stagingDir, { recursive: true, force: true });
}

const shown = (file) => (file === 'N/A' ? '(whole app)' : file.replace(stagingDir + sep, '').split(sep).join('/'));
const { bad, found } = suppressionsWithoutReason(files);
const parseErrors = result.errors.filter((e) => !e.tolerable);
const parseWarnings = result.errors.filter((e) => e.tolerable);

console.log(
  `electronegativity ${require('@doyensec/electronegativity/package.json').version}: ` +
    `${files.length} files of ${AUDITED.join(', ')} for Electron ${electronVersion}; ` +
    `${result.atomicChecks} atomic and ${result.globalChecks} global checks (excluded: ${EXCLUDED_CHECKS.join(', ')})`,
);
if (found.length > 0) {
  console.log(`\nSuppressed in place (${found.length}):`);
  for (const line of found) console.log(`  ${line}`);
}
for (const warning of parseWarnings) console.log(`\nparse warning in ${shown(warning.file)}: ${warning.message}`);

if (result.issues.length > 0) {
  console.log(`\nFindings (${result.issues.length}):`);
  for (const issue of result.issues) {
    console.log(
      `\n  ${issue.id}  [${issue.severity.name} / ${issue.confidence.name}${issue.manualReview ? ', review' : ''}]` +
        `\n  ${shown(issue.file)}:${issue.location.line}:${issue.location.column}` +
        (issue.sample ? `\n  > ${String(issue.sample).trim()}` : '') +
        `\n  ${String(issue.description).split('\n').join('\n  ')}` +
        (issue.id === 'CSP_GLOBAL_CHECK' ? cspDetails(issue.sample).map((d) => `\n    - ${d}`).join('') : '') +
        (issue.shortenedURL ? `\n  ${issue.shortenedURL}` : ''),
    );
  }
}
for (const error of parseErrors) console.error(`\nNOT AUDITED, could not parse ${shown(error.file)}: ${error.message}`);
for (const where of bad) console.error(`\neng-disable without a reason at ${where}: say why the finding is safe there`);

const failed = result.issues.length > 0 || parseErrors.length > 0 || bad.length > 0;
console.log(failed ? '\naudit FAILED' : '\naudit passed: no findings');
process.exit(failed ? 1 : 0);
