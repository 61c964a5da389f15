/**
 * Chinese identifiers used in credit checks: validation, normalisation, masking and
 * extraction from pasted text.
 *
 * - 统一社会信用代码 (USCC, GB 32100-2015): 18 chars, mod-31 check char, embeds a
 *   组织机构代码 in chars 9–17.
 * - 组织机构代码 (GB 11714): 8 body chars + mod-11 check char.
 * - 公民身份号码 (GB 11643-1999): 17 digits + mod-11 check char.
 *
 * Pure code: no Node, DOM or Electron imports.
 *
 * Positions in `reason` texts are 1-based and refer to the *normalised* input
 * (spaces / hyphens removed), which is what the user sees echoed back.
 */
import type { SubjectType } from './schemas';

export type IdStatus = 'valid' | 'legacy' | 'invalid';

export interface IdResult {
  status: IdStatus;
  /**
   * The normalised input (see `normalizeIdentifierInput`), also for invalid input.
   * Org codes are formatted `XXXXXXXX-C` when the stripped input has 9 chars.
   */
  normalized: string;
  /** Present for 'invalid' and 'legacy' results; Chinese, meant for the operator. */
  reason?: string;
}

// ---------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------

/**
 * Characters removed from identifier input: all whitespace (`\s` covers tab,
 * NBSP U+00A0 and the ideographic space U+3000), hyphen / dash look-alikes that
 * people type as group separators, and zero-width characters that sneak in from
 * web pages and Word documents.
 * Dots, slashes, colons etc. are deliberately kept so they surface as an
 * "illegal character" error instead of silently gluing unrelated text together.
 */
const STRIP_RE = /[\s\-\u00AD\u2010-\u2015\u2212\uFE58\uFE63\u200B-\u200D\u2060\uFEFF]/g;

/** Full-width ASCII U+FF01–U+FF5E → half-width, ideographic space → ASCII space. */
function toHalfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E\u3000]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return code === 0x3000 ? ' ' : String.fromCharCode(code - 0xfee0);
  });
}

/** Full-width → half-width, strip spaces / hyphens / zero-width chars, upper-case. */
export function normalizeIdentifierInput(input: string): string {
  return toHalfWidth(input).replace(STRIP_RE, '').toUpperCase();
}

// ---------------------------------------------------------------------------
// Check characters
// ---------------------------------------------------------------------------

/** GB 32100 code alphabet: digits and upper-case letters without I, O, S, V, Z. Index = value. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** GB 11643: check char indexed by Σ mod 11. */
const ID_CHECK_CHARS = '10X98765432';

/** Weighted sum Σ value(s[i]) · weights[i]; `value` returns -1 for illegal chars. */
function weightedSum(
  s: string,
  weights: readonly number[],
  value: (ch: string) => number,
  what: string,
): number {
  if (s.length !== weights.length) {
    throw new RangeError(`${what}: expected ${weights.length} chars, got ${s.length}`);
  }
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    const ch = s.charAt(i);
    const v = value(ch);
    if (v < 0) throw new RangeError(`${what}: illegal character "${ch}" at position ${i + 1}`);
    sum += v * (weights[i] ?? 0);
  }
  return sum;
}

/** Value of an org-code body char: 0–9, A=10 … Z=35 (the full Latin alphabet, unlike USCC). */
function orgCharValue(ch: string): number {
  if (ch >= '0' && ch <= '9') return ch.charCodeAt(0) - 48;
  if (ch >= 'A' && ch <= 'Z') return ch.charCodeAt(0) - 55;
  return -1;
}

function digitValue(ch: string): number {
  return ch >= '0' && ch <= '9' && ch.length === 1 ? ch.charCodeAt(0) - 48 : -1;
}

function usccCharValue(ch: string): number {
  // indexOf('') would be 0, so guard the length.
  return ch.length === 1 ? USCC_ALPHABET.indexOf(ch) : -1;
}

/** 18th char of a USCC. `first17` must be exactly 17 chars of USCC_ALPHABET (upper-case), else throws. */
export function usccCheckChar(first17: string): string {
  const sum = weightedSum(first17, USCC_WEIGHTS, usccCharValue, 'usccCheckChar');
  // The outer mod maps "sum ≡ 0" to value 0 ('0') instead of the out-of-range 31.
  return USCC_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/** Check char of a 组织机构代码. `body8` must be exactly 8 chars of 0-9 / A-Z (upper-case), else throws. */
export function orgCodeCheckChar(body8: string): string {
  const sum = weightedSum(body8, ORG_WEIGHTS, orgCharValue, 'orgCodeCheckChar');
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** 18th char of a 公民身份号码. `first17` must be exactly 17 ASCII digits, else throws. */
export function idNumberCheckChar(first17: string): string {
  const sum = weightedSum(first17, ID_WEIGHTS, digitValue, 'idNumberCheckChar');
  return ID_CHECK_CHARS.charAt(sum % 11);
}

// ---------------------------------------------------------------------------
// Validation helpers
// ---------------------------------------------------------------------------

const invalid = (normalized: string, reason: string): IdResult => ({ status: 'invalid', normalized, reason });

/** Describes a char for a reason text; invisible chars get their code point. */
function showChar(ch: string): string {
  return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(ch)
    ? `“${ch}”`
    : `“U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}”`;
}

/** Splits into code points so an emoji counts as one (wrong) character in positions. */
const chars = (s: string): string[] => Array.from(s);

/** Embedded / stand-alone org code check: `code9` is 8 body chars + check char. */
function orgCodeCheckOk(code9: string): boolean {
  const body = code9.slice(0, 8);
  if (!/^[0-9A-Z]{8}$/.test(body)) return false;
  return orgCodeCheckChar(body) === code9.charAt(8);
}

// ---------------------------------------------------------------------------
// 统一社会信用代码
// ---------------------------------------------------------------------------

/**
 * Validates a USCC.
 * - 'valid': structure and 18th (mod-31) check char are right.
 * - 'legacy': 18th char is wrong but the embedded org code (chars 9–17) passes its
 *   own check. Some genuine pre-2016 codes look like that, so they must not be
 *   rejected outright. NB: a typo in chars 1–8 of a genuine code (and a few typos
 *   in 9–16, see tests) produces the same pattern and is indistinguishable, which
 *   is why 'legacy' always asks for manual verification.
 * - 'invalid': everything else.
 */
export function validateUscc(input: string): IdResult {
  const n = normalizeIdentifierInput(input);
  if (n.length === 0) return invalid(n, '未填写统一社会信用代码');
  const cs = chars(n);
  if (cs.length !== 18) return invalid(n, `统一社会信用代码应为18位，实际为${cs.length}位`);

  for (let i = 0; i < cs.length; i++) {
    const ch = cs[i] ?? '';
    if (usccCharValue(ch) < 0) {
      const hint = /^[IOSVZ]$/.test(ch) ? '（统一社会信用代码不使用字母I、O、S、V、Z）' : '';
      return invalid(n, `第${i + 1}位字符${showChar(ch)}不在代码字符集中${hint}`);
    }
  }

  // Chars 3–8: administrative division code of the registration authority (GB/T 2260).
  const division = n.slice(2, 8);
  if (!/^[1-9]\d{5}$/.test(division)) {
    return invalid(n, `第3–8位登记管理机关行政区划码“${division}”无效：应为6位数字且首位不为0`);
  }

  // Char 17 is the embedded org code's check char, which can only be a digit or X.
  const orgCheck = n.charAt(16);
  if (!/^[0-9X]$/.test(orgCheck)) {
    return invalid(n, `第17位（组织机构代码校验码）字符“${orgCheck}”无效：应为数字或X`);
  }

  const expected = usccCheckChar(n.slice(0, 17));
  const found = n.charAt(17);
  if (expected === found) return { status: 'valid', normalized: n };

  const looksLikeId = validateIdNumber(n).status === 'valid';
  if (orgCodeCheckOk(n.slice(8, 17))) {
    return {
      status: 'legacy',
      normalized: n,
      reason:
        `第18位校验码不符（应为“${expected}”，实际为“${found}”），但内含组织机构代码校验正确，` +
        '可能为早期赋码，请人工核实' +
        (looksLikeId ? '；该号码同时符合公民身份号码规则，请确认是否误填了身份证号' : ''),
    };
  }
  return invalid(
    n,
    `校验码不符：第18位应为“${expected}”，实际为“${found}”` +
      (looksLikeId ? '；该号码是有效的公民身份号码，请确认是否误填了身份证号' : ''),
  );
}

// ---------------------------------------------------------------------------
// 组织机构代码
// ---------------------------------------------------------------------------

/** Validates a 组织机构代码; accepts `XXXXXXXX-C` and `XXXXXXXXC`, normalises to `XXXXXXXX-C`. */
export function validateOrgCode(input: string): IdResult {
  const stripped = normalizeIdentifierInput(input);
  if (stripped.length === 0) return invalid(stripped, '未填写组织机构代码');
  const cs = chars(stripped);
  if (cs.length !== 9) {
    const hint = cs.length === 18 ? '（18位的可能是统一社会信用代码）' : '';
    return invalid(stripped, `组织机构代码应为9位（不含连字符），实际为${cs.length}位${hint}`);
  }
  const n = `${cs.slice(0, 8).join('')}-${cs.slice(8).join('')}`;

  for (let i = 0; i < 8; i++) {
    const ch = cs[i] ?? '';
    if (orgCharValue(ch) < 0) {
      return invalid(n, `第${i + 1}位字符${showChar(ch)}不在代码字符集中（本体代码只能是数字或字母）`);
    }
  }
  const found = cs[8] ?? '';
  if (!/^[0-9X]$/.test(found)) {
    return invalid(n, `第9位校验码${showChar(found)}无效：应为数字或X`);
  }
  const expected = orgCodeCheckChar(stripped.slice(0, 8));
  if (expected !== found) return invalid(n, `校验码不符：第9位应为“${expected}”，实际为“${found}”`);
  return { status: 'valid', normalized: n };
}

// ---------------------------------------------------------------------------
// 公民身份号码
// ---------------------------------------------------------------------------

function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
  return d <= days;
}

/**
 * Validates an 18-char 公民身份号码 (lower-case x accepted, stored upper-case).
 * Checks, in order: length, digits, division code, birth date (real calendar date,
 * year ≥ 1900, not after `today` — compared on `today`'s local calendar date), check char.
 * 15-digit first-generation numbers are rejected: they carry no check digit and
 * have not been valid documents since 2013.
 */
export function validateIdNumber(input: string, opts?: { today?: Date }): IdResult {
  const n = normalizeIdentifierInput(input);
  if (n.length === 0) return invalid(n, '未填写公民身份号码');
  const cs = chars(n);
  if (cs.length !== 18) {
    const hint = cs.length === 15 && /^\d{15}$/.test(n) ? '（可能是已停用的第一代15位号码，请提供18位号码）' : '';
    return invalid(n, `公民身份号码应为18位，实际为${cs.length}位${hint}`);
  }
  for (let i = 0; i < 17; i++) {
    const ch = cs[i] ?? '';
    if (digitValue(ch) < 0) return invalid(n, `第${i + 1}位字符${showChar(ch)}无效：前17位应为数字`);
  }
  const found = cs[17] ?? '';
  if (!/^[0-9X]$/.test(found)) return invalid(n, `第18位校验码${showChar(found)}无效：应为数字或X`);

  const division = n.slice(0, 6);
  if (division.startsWith('0')) return invalid(n, `前6位行政区划码“${division}”无效：首位不能为0`);

  const birth = n.slice(6, 14);
  const y = Number(birth.slice(0, 4));
  const m = Number(birth.slice(4, 6));
  const d = Number(birth.slice(6, 8));
  if (!isRealDate(y, m, d)) return invalid(n, `出生日期“${birth}”不是有效日期`);
  if (y < 1900) return invalid(n, `出生日期“${birth}”早于1900年`);
  const today = opts?.today ?? new Date();
  // Compare YYYYMMDD numbers so time of day and time zone offsets don't matter.
  const todayKey = today.getFullYear() * 10000 + (today.getMonth() + 1) * 100 + today.getDate();
  if (y * 10000 + m * 100 + d > todayKey) return invalid(n, `出生日期“${birth}”晚于今天`);

  const expected = idNumberCheckChar(n.slice(0, 17));
  if (expected !== found) return invalid(n, `校验码不符：第18位应为“${expected}”，实际为“${found}”`);
  return { status: 'valid', normalized: n };
}

// ---------------------------------------------------------------------------
// Masking (for display / logs)
// ---------------------------------------------------------------------------

/** Keeps `head` leading and `tail` trailing chars, replaces the rest with '*' (same length). */
function maskMiddle(s: string, head: number, tail: number): string {
  const cs = chars(s);
  if (cs.length <= head + tail) return '*'.repeat(cs.length);
  return cs.slice(0, head).join('') + '*'.repeat(cs.length - head - tail) + cs.slice(cs.length - tail).join('');
}

/** Masks everything but the last 2 chars (all of it if 2 chars or fewer). */
const maskAllButLast2 = (s: string): string => maskMiddle(s, 0, 2);

/**
 * '110101199003071234' → '110101********1234'. 18+ chars keep first 6 / last 4,
 * 15–17 chars (first-generation ids) keep first 6 / last 3, shorter input keeps
 * only the last 2. Input is normalised first.
 */
export function maskIdNumber(id: string): string {
  const n = normalizeIdentifierInput(id);
  const len = chars(n).length;
  if (len >= 18) return maskMiddle(n, 6, 4);
  if (len >= 15) return maskMiddle(n, 6, 3);
  return maskAllButLast2(n);
}

/**
 * '91110108MA01ABCD1X' → '91110108********1X'. Hides the embedded org code, which
 * for 个体工商户 and similar can be tied to a person. Keeps first 8 / last 2 when
 * at least one char would be masked that way; shorter input keeps only the last 2.
 * Input is normalised first.
 */
export function maskUscc(code: string): string {
  const n = normalizeIdentifierInput(code);
  return chars(n).length > 10 ? maskMiddle(n, 8, 2) : maskAllButLast2(n);
}

// ---------------------------------------------------------------------------
// Finding identifiers in pasted text
// ---------------------------------------------------------------------------

/** Separators allowed *inside* an identifier in free text ("9135 0100 M000…", "110101-1990…"). */
const INNER_SEP = '[ \\t\\u00A0\\-\\u2010-\\u2015\\u2212\\uFE63\\u200B-\\u200D\\uFEFF]';
const TIGHT_RUN_RE = /[0-9A-Z]+/g;
const SPACED_RUN_RE = new RegExp(`[0-9A-Z]+(?:${INNER_SEP}{1,2}[0-9A-Z]+)*`, 'g');

/**
 * Candidate strings of `len` chars in `text`, best first:
 *  1. exact: runs of [0-9A-Z] of exactly `len` chars, first without and then with
 *     inner separators collapsed;
 *  2. windows: every `len`-char window of longer runs (e.g. "ID110101…"), which are
 *     more likely to be accidental and are only accepted when fully valid.
 */
function candidates(text: string, len: number): { exact: string[]; windows: string[] } {
  // Same char conversion as normalisation, but keep spaces as token boundaries for now.
  const t = toHalfWidth(text).toUpperCase();
  const runs = [
    ...Array.from(t.matchAll(TIGHT_RUN_RE), (m) => m[0]),
    ...Array.from(t.matchAll(SPACED_RUN_RE), (m) => normalizeIdentifierInput(m[0])),
  ];
  const exact = runs.filter((r) => r.length === len);
  const windows: string[] = [];
  for (const r of runs) {
    for (let i = 0; r.length > len && i + len <= r.length; i++) windows.push(r.slice(i, i + len));
  }
  return { exact, windows };
}

/**
 * First USCC in `text` (normalised), or null. Prefers a 'valid' code standing on
 * its own, then a 'legacy' one standing on its own, then a 'valid' code embedded
 * in a longer run of letters/digits.
 * Candidates that are valid ID numbers are skipped: an 18-digit ID number passes
 * the USCC mod-31 check in ~1 of 31 cases and looks 'legacy' in ~1 of 11, so
 * pasted text holding both a 经营者身份证号 and a code would otherwise risk
 * returning the ID number. (validateUscc itself still accepts such codes.)
 */
export function findUsccInText(text: string): string | null {
  const { exact, windows } = candidates(text, 18);
  const status = (c: string): IdStatus | 'id' =>
    validateIdNumber(c).status === 'valid' ? 'id' : validateUscc(c).status;
  return (
    exact.find((c) => status(c) === 'valid') ??
    exact.find((c) => status(c) === 'legacy') ??
    windows.find((c) => status(c) === 'valid') ??
    null
  );
}

/** First valid 18-char ID number in `text` (normalised, upper-case X), or null. */
export function findIdNumberInText(text: string): string | null {
  const { exact, windows } = candidates(text, 18);
  return [...exact, ...windows].find((c) => validateIdNumber(c).status === 'valid') ?? null;
}

/**
 * The identifier as it may be shown or exported (004 §3): a person's 公民身份号码 is masked,
 * an organisation's code is public information and shown whole.
 */
export function shieldIdentifier(subjectType: SubjectType, identifier: string): string {
  return subjectType === '自然人' ? maskIdNumber(identifier) : identifier;
}

const ID_NUMBER_LIKE = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/gu;

/**
 * The same rule for free text (a 不执行 reason, a note): every valid 18-character 公民身份号码
 * written in it is masked; other digit runs are left as they are.
 */
export function maskIdNumbersInText(text: string): string {
  return text.replace(ID_NUMBER_LIKE, (m) => (validateIdNumber(m).status === 'valid' ? maskIdNumber(m.toUpperCase()) : m));
}
