import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  USCC_ALPHABET,
  findIdNumberInText,
  findUsccInText,
  idNumberCheckChar,
  maskIdNumber,
  shieldIdentifier,
  maskUscc,
  normalizeIdentifierInput,
  orgCodeCheckChar,
  usccCheckChar,
  validateIdNumber,
  validateOrgCode,
  validateUscc,
} from './identifiers';

// Fixed "today" so birth-date tests do not depend on the wall clock.
const TODAY = new Date(2024, 5, 1); // 2024-06-01 local time

/*
 * Worked examples (computed by hand from the rules, re-checked by the tests):
 *
 * USCC 91350100M000100Y43
 *   USCC values  9 1 3 5 0 1 0 0 M=21 0 0 0 1 0 0 Y=30 4
 *   weights      1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
 *   products     9+3+27+135+0+26+0+0+420+0+0+0+8+0+0+900+112 = 1640
 *   1640 mod 31 = 28 (31·52 = 1612) → (31 − 28) mod 31 = 3 → '3' ✓
 *   embedded org code M000100Y-4, org values M=22, Y=34:
 *   22·3 + 0·7 + 0·9 + 0·10 + 1·5 + 0·8 + 0·4 + 34·2 = 66+5+68 = 139
 *   139 mod 11 = 7 → 11 − 7 = 4 → '4' ✓
 *
 * USCC 91110108MA01002270 (Σ ≡ 0 mod 31 case)
 *   9·1+1·3+1·9+1·27+0·19+1·26+0·16+8·17+M21·20+A10·29+0·25+1·13+0·8+0·24+2·10+2·30+7·28
 *   = 9+3+9+27+0+26+0+136+420+290+0+13+0+0+20+60+196 = 1209 = 31·39 → check '0'
 *   embedded org MA010022: 22·3+10·7+0·9+1·10+0·5+0·8+2·4+2·2 = 66+70+10+8+4 = 158
 *   158 mod 11 = 4 → 11 − 4 = 7 → '7' ✓ (char 17)
 *
 * ID 110101199003071233 (NB: …1234 is NOT valid; the check digit is 3)
 *   digits   1 1 0 1 0 1 1 9 9 0 0 3 0 7 1 2 3
 *   weights  7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
 *   7+9+0+5+0+4+2+9+54+0+0+27+0+35+8+8+6 = 174, 174 mod 11 = 9 → '10X98765432'[9] = '3'
 *
 * ID 11010519491231002X
 *   7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167, 167 mod 11 = 2 → 'X'
 *
 * Org code 12345678-8
 *   1·3+2·7+3·9+4·10+5·5+6·8+7·4+8·2 = 3+14+27+40+25+48+28+16 = 201
 *   201 mod 11 = 3 → 11 − 3 = 8
 * Org code D2143569-X
 *   D13·3+2·7+1·9+4·10+3·5+5·8+6·4+9·2 = 39+14+9+40+15+40+24+18 = 199
 *   199 mod 11 = 1 → 11 − 1 = 10 → 'X'
 */
const USCC_GOOD = '91350100M000100Y43';
const USCC_SUM_ZERO = '91110108MA01002270';
const ID_GOOD = '110101199003071233';
const ID_GOOD_X = '11010519491231002X';

// ---------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------

const ORG_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const orgValue = (ch: string): number => ORG_ALPHABET.indexOf(ch);

const charFrom = (alphabet: string): fc.Arbitrary<string> =>
  fc.integer({ min: 0, max: alphabet.length - 1 }).map((i) => alphabet.charAt(i));
const stringFrom = (alphabet: string, length: number): fc.Arbitrary<string> =>
  fc.array(charFrom(alphabet), { minLength: length, maxLength: length }).map((a) => a.join(''));

const divisionArb = fc
  .tuple(charFrom('123456789'), stringFrom('0123456789', 5))
  .map(([a, b]) => a + b);

/** Realistic USCC: any authority/type char, real-looking division, embedded org code with a correct check. */
const usccArb = fc
  .tuple(charFrom(USCC_ALPHABET), charFrom(USCC_ALPHABET), divisionArb, stringFrom(USCC_ALPHABET, 8))
  .map(([auth, type, division, body]) => {
    const first17 = auth + type + division + body + orgCodeCheckChar(body);
    return first17 + usccCheckChar(first17);
  });

/** USCC whose char 17 is any digit or X, i.e. the embedded org code need not check out. */
const usccAnyOrgArb = fc
  .tuple(charFrom(USCC_ALPHABET), charFrom(USCC_ALPHABET), divisionArb, stringFrom(USCC_ALPHABET, 8), charFrom('0123456789X'))
  .map(([auth, type, division, body, c17]) => {
    const first17 = auth + type + division + body + c17;
    return first17 + usccCheckChar(first17);
  });

const orgCodeArb = stringFrom(ORG_ALPHABET, 8).map((body) => body + orgCodeCheckChar(body));

const pad = (n: number, w: number): string => String(n).padStart(w, '0');
const idNumberArb = fc
  .tuple(divisionArb, fc.date({ min: new Date(1900, 0, 1), max: TODAY, noInvalidDate: true }), fc.integer({ min: 0, max: 999 }))
  .map(([division, d, seq]) => {
    const first17 = division + pad(d.getFullYear(), 4) + pad(d.getMonth() + 1, 2) + pad(d.getDate(), 2) + pad(seq, 3);
    return first17 + idNumberCheckChar(first17);
  });

const replaceAt = (s: string, i: number, ch: string): string => s.slice(0, i) + ch + s.slice(i + 1);

// ---------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------

describe('normalizeIdentifierInput', () => {
  it('converts full-width ASCII to half-width and upper-cases', () => {
    expect(normalizeIdentifierInput('９１３５０１００ｍ０００１００ｙ４３')).toBe(USCC_GOOD);
  });

  it('strips ASCII, full-width (U+3000), no-break and tab spaces, and hyphens / dashes', () => {
    expect(normalizeIdentifierInput(' 9135\u30000100\u00A0m000\t100y－43 ')).toBe(USCC_GOOD);
    expect(normalizeIdentifierInput('12345678-8')).toBe('123456788');
    expect(normalizeIdentifierInput('12345678—8')).toBe('123456788');
  });

  it('strips zero-width characters copied from web pages', () => {
    expect(normalizeIdentifierInput('\uFEFF9135\u200B0100M000100Y43')).toBe(USCC_GOOD);
  });

  it('keeps other punctuation so it is reported instead of silently dropped', () => {
    expect(normalizeIdentifierInput('1234.5678/8')).toBe('1234.5678/8');
  });
});

// ---------------------------------------------------------------------------
// USCC
// ---------------------------------------------------------------------------

describe('USCC check character', () => {
  it('the alphabet has 31 chars and omits I, O, S, V, Z', () => {
    expect(USCC_ALPHABET).toHaveLength(31);
    expect(USCC_ALPHABET).not.toMatch(/[IOSVZ]/);
  });

  it('computes the hand-checked example 91350100M000100Y43', () => {
    expect(usccCheckChar(USCC_GOOD.slice(0, 17))).toBe('3');
    expect(validateUscc(USCC_GOOD)).toEqual({ status: 'valid', normalized: USCC_GOOD });
  });

  it("a USCC whose checksum sum is ≡ 0 mod 31 gets check char '0'", () => {
    expect(usccCheckChar(USCC_SUM_ZERO.slice(0, 17))).toBe('0');
    expect(validateUscc(USCC_SUM_ZERO).status).toBe('valid');
  });

  it('throws on characters outside the alphabet and on wrong length', () => {
    expect(() => usccCheckChar('91350100I000100Y4')).toThrow(/position 9/);
    expect(() => usccCheckChar('91350100m000100Y4')).toThrow();
    expect(() => usccCheckChar('91350100M000100Y')).toThrow(/17/);
  });
});

describe('validateUscc', () => {
  it('accepts full-width, spaced and lower-case input and returns the normalised code', () => {
    expect(validateUscc(' ９１３５ ０１００ m000 100y 43 ')).toEqual({ status: 'valid', normalized: USCC_GOOD });
  });

  it('reports empty input', () => {
    expect(validateUscc('  \u3000')).toMatchObject({ status: 'invalid', reason: '未填写统一社会信用代码' });
  });

  it('reports the length found', () => {
    const r = validateUscc('91350100M000100Y4');
    expect(r.status).toBe('invalid');
    expect(r.reason).toContain('实际为17位');
  });

  it('names the illegal character and its position', () => {
    const r = validateUscc('9135I100M000100Y43');
    expect(r.status).toBe('invalid');
    expect(r.reason).toContain('第5位字符“I”不在代码字符集中');
  });

  it('reports a non-digit or zero-leading division code', () => {
    expect(validateUscc('91A50100M000100Y43').reason).toContain('行政区划码“A50100”');
    expect(validateUscc('91050100M000100Y43').reason).toContain('行政区划码“050100”');
  });

  it('reports a char 17 that cannot be an org-code check char', () => {
    expect(validateUscc('91350100M000100YA3').reason).toContain('第17位');
  });

  it('reports expected vs found check char', () => {
    // Char 17 changed 4 → 5: embedded org code M000100Y-5 is wrong too (expects 4),
    // so this is invalid, not legacy. Σ = 1640 + 28 = 1668, 1668 mod 31 = 25 → '6'.
    const r = validateUscc('91350100M000100Y54');
    expect(r.status).toBe('invalid');
    expect(r.reason).toBe('校验码不符：第18位应为“6”，实际为“4”');
  });

  it('a wrong 18th char with a correct embedded org code is legacy, not invalid', () => {
    const r = validateUscc('91350100M000100Y44');
    expect(r.status).toBe('legacy');
    expect(r.normalized).toBe('91350100M000100Y44');
    expect(r.reason).toContain('内含组织机构代码校验正确');
    expect(r.reason).toContain('应为“3”，实际为“4”');
  });

  it('a wrong 18th char with a wrong embedded org code is invalid', () => {
    // Org body M000100Y expects check 4; '5' is wrong, and the 18th char is wrong too.
    expect(validateUscc('91350100M000100Y53').status).toBe('invalid');
  });

  it('an org-code typo of ±11 in value (0↔B) is invisible to GB 11714, so it shows up as legacy', () => {
    // Org values: '0' = 0, 'B' = 11; 11·w ≡ 0 mod 11, so MB00100Y still checks to 4.
    expect(orgCodeCheckChar('MB00100Y')).toBe('4');
    expect(validateUscc('91350100MB00100Y43').status).toBe('legacy');
  });

  it('mentions it when the input is actually a valid ID number', () => {
    // Beijing numbers (1101…) never get this far: chars 3–8 '010119' are not a division
    // code. 441302199003070008 (惠州) has division '130219' and fails the USCC check chars.
    const id = '441302199003070008';
    expect(validateIdNumber(id, { today: TODAY }).status).toBe('valid');
    expect(validateUscc(ID_GOOD).reason).toContain('行政区划码“010119”');
    const r = validateUscc(id);
    expect(r.status).toBe('invalid');
    expect(r.reason).toContain('公民身份号码');
  });

  it('every generated valid USCC validates as valid', () => {
    fc.assert(
      fc.property(fc.oneof(usccArb, usccAnyOrgArb), (code) => {
        expect(validateUscc(code)).toEqual({ status: 'valid', normalized: code });
      }),
    );
  });

  /*
   * Single substitutions. All weights are non-zero mod 31 and 31 is prime, so any
   * change of one value (difference 1…30) changes Σ mod 31: a substitution is never
   * 'valid'. Whether it is 'legacy' depends only on the embedded org code:
   *  - pos 1–2: not covered by the org code → legacy (indistinguishable from an
   *    early code with a bad 18th char; the brief's "legacy only at position 18"
   *    is therefore not true);
   *  - pos 3–8: legacy if the division code stays a valid 6-digit code, else invalid;
   *  - pos 9–16: org weights are non-zero mod 11, but org values span 0–35, so a
   *    change by ±11/±22/±33 (e.g. 0↔B, 1↔C, A↔L) keeps the org check → legacy; else invalid;
   *  - pos 17: the org check char itself changes → invalid;
   *  - pos 18: legacy.
   */
  it('every single-character substitution of a valid USCC is not valid, and is legacy exactly when the org code still checks', () => {
    fc.assert(
      fc.property(usccArb, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 30 }), (code, i, shift) => {
        const old = code.charAt(i);
        const ch = USCC_ALPHABET.charAt((USCC_ALPHABET.indexOf(old) + shift) % 31);
        const status = validateUscc(replaceAt(code, i, ch)).status;
        expect(status).not.toBe('valid');

        const pos = i + 1;
        let expected: 'legacy' | 'invalid';
        if (pos <= 2 || pos === 18) expected = 'legacy';
        else if (pos <= 8) expected = /\d/.test(ch) && !(pos === 3 && ch === '0') ? 'legacy' : 'invalid';
        else if (pos <= 16) expected = (orgValue(ch) - orgValue(old)) % 11 === 0 ? 'legacy' : 'invalid';
        else expected = 'invalid';
        expect(status).toBe(expected);
      }),
    );
  });

  it('a substitution at position 18 is legacy for realistic codes', () => {
    fc.assert(
      fc.property(usccArb, fc.integer({ min: 1, max: 30 }), (code, shift) => {
        const ch = USCC_ALPHABET.charAt((USCC_ALPHABET.indexOf(code.charAt(17)) + shift) % 31);
        expect(validateUscc(code.slice(0, 17) + ch).status).toBe('legacy');
      }),
    );
  });

  /*
   * Adjacent transpositions. Treat the check char as a 19th weight of 1
   * (Σ w·v + v18 ≡ 0 mod 31). Swapping positions i, i+1 changes the sum by
   * (w_i − w_{i+1})(v_{i+1} − v_i). Adjacent weight differences mod 31 are
   * 29,25,13,8,24,10,30,28,22,4,12,5,15,14,11,2,27 — all non-zero — and 31 is
   * prime, so every transposition of two different chars (including 17↔18) is
   * caught. (It may still come out 'legacy', so only "not valid" is asserted.)
   */
  it('a transposition of two adjacent different characters in a USCC is not valid', () => {
    const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28, 1];
    for (let i = 0; i < 17; i++) expect(((weights[i] ?? 0) - (weights[i + 1] ?? 0)) % 31).not.toBe(0);

    fc.assert(
      fc.property(fc.oneof(usccArb, usccAnyOrgArb), fc.integer({ min: 0, max: 16 }), (code, i) => {
        const a = code.charAt(i);
        const b = code.charAt(i + 1);
        fc.pre(a !== b);
        const swapped = code.slice(0, i) + b + a + code.slice(i + 2);
        expect(validateUscc(swapped).status).not.toBe('valid');
      }),
    );
  });
});

// ---------------------------------------------------------------------------
// 组织机构代码
// ---------------------------------------------------------------------------

describe('validateOrgCode', () => {
  it('computes hand-checked check chars, including 10 → X', () => {
    expect(orgCodeCheckChar('12345678')).toBe('8');
    expect(orgCodeCheckChar('D2143569')).toBe('X');
  });

  it("check value 11 maps to '0'", () => {
    // Find a body with Σ ≡ 0 mod 11 by brute force, then check the mapping.
    let body = '';
    for (let n = 0; n < 1000 && body === ''; n++) {
      const b = String(n).padStart(8, '0');
      const sum = [...b].reduce((s, ch, i) => s + Number(ch) * ([3, 7, 9, 10, 5, 8, 4, 2][i] ?? 0), 0);
      if (sum % 11 === 0) body = b;
    }
    expect(body).not.toBe('');
    expect(orgCodeCheckChar(body)).toBe('0');
  });

  it('throws on bad characters', () => {
    expect(() => orgCodeCheckChar('1234567a')).toThrow();
    expect(() => orgCodeCheckChar('1234-678')).toThrow();
    expect(() => orgCodeCheckChar('1234567')).toThrow();
  });

  it('accepts input with or without hyphen and normalises to XXXXXXXX-C', () => {
    expect(validateOrgCode('12345678-8')).toEqual({ status: 'valid', normalized: '12345678-8' });
    expect(validateOrgCode('123456788')).toEqual({ status: 'valid', normalized: '12345678-8' });
    expect(validateOrgCode('ｄ２１４３５６９－ｘ')).toEqual({ status: 'valid', normalized: 'D2143569-X' });
  });

  it('reports empty input, length, bad chars and expected vs found check char', () => {
    expect(validateOrgCode('').reason).toBe('未填写组织机构代码');
    expect(validateOrgCode('1234567-8').reason).toContain('实际为8位');
    expect(validateOrgCode(USCC_GOOD).reason).toContain('统一社会信用代码');
    expect(validateOrgCode('1234*678-8').reason).toContain('第5位字符“*”');
    expect(validateOrgCode('12345678-A').reason).toContain('第9位');
    expect(validateOrgCode('12345678-9')).toMatchObject({
      status: 'invalid',
      normalized: '12345678-9',
      reason: '校验码不符：第9位应为“8”，实际为“9”',
    });
  });

  it('every generated valid org code validates as valid', () => {
    fc.assert(
      fc.property(orgCodeArb, (code) => {
        expect(validateOrgCode(code).status).toBe('valid');
        expect(validateOrgCode(`${code.slice(0, 8)}-${code.charAt(8)}`).status).toBe('valid');
      }),
    );
  });

  /*
   * GB 11714 weights are non-zero mod 11, but body values span 0–35: a substitution
   * changing the value by a multiple of 11 (0↔B↔M↔X, 1↔C↔N↔Y, …) is NOT detected.
   * So: body substitution is invalid iff the value difference is not ≡ 0 mod 11;
   * digit-for-digit substitutions (difference 1–9) are always caught, as is any
   * change of the check char.
   */
  it('every single-character substitution of a valid org code is invalid unless the value changes by a multiple of 11', () => {
    fc.assert(
      fc.property(orgCodeArb, fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 35 }), (code, i, shift) => {
        if (i === 8) {
          const checkChars = '0123456789X';
          const ch = checkChars.charAt((checkChars.indexOf(code.charAt(8)) + shift) % 11);
          fc.pre(ch !== code.charAt(8));
          expect(validateOrgCode(replaceAt(code, 8, ch)).status).toBe('invalid');
          return;
        }
        const old = code.charAt(i);
        const ch = ORG_ALPHABET.charAt((orgValue(old) + shift) % 36);
        const expected = (orgValue(ch) - orgValue(old)) % 11 === 0 ? 'valid' : 'invalid';
        expect(validateOrgCode(replaceAt(code, i, ch)).status).toBe(expected);
      }),
    );
  });

  it('every single-digit substitution in an all-digit org code body is invalid', () => {
    fc.assert(
      fc.property(stringFrom('0123456789', 8), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 9 }), (body, i, shift) => {
        const code = body + orgCodeCheckChar(body);
        const ch = String((Number(code.charAt(i)) + shift) % 10);
        expect(validateOrgCode(replaceAt(code, i, ch)).status).toBe('invalid');
      }),
    );
  });
});

// ---------------------------------------------------------------------------
// 公民身份号码
// ---------------------------------------------------------------------------

describe('validateIdNumber', () => {
  it('computes hand-checked check chars', () => {
    expect(idNumberCheckChar(ID_GOOD.slice(0, 17))).toBe('3');
    expect(idNumberCheckChar(ID_GOOD_X.slice(0, 17))).toBe('X');
    expect(() => idNumberCheckChar('1101011990030712A')).toThrow();
  });

  it('accepts a valid number', () => {
    expect(validateIdNumber(ID_GOOD, { today: TODAY })).toEqual({ status: 'valid', normalized: ID_GOOD });
  });

  it('accepts lower-case x and stores it upper-case', () => {
    expect(validateIdNumber('11010519491231002x', { today: TODAY })).toEqual({ status: 'valid', normalized: ID_GOOD_X });
  });

  it('accepts full-width digits and spaces', () => {
    expect(validateIdNumber('１１０１０１ １９９００３０７ １２３３', { today: TODAY }).status).toBe('valid');
  });

  it('reports a wrong check digit with expected vs found', () => {
    expect(validateIdNumber('110101199003071234', { today: TODAY })).toMatchObject({
      status: 'invalid',
      reason: '校验码不符：第18位应为“3”，实际为“4”',
    });
  });

  it('reports empty input, length (with a hint for 15-digit numbers) and non-digits', () => {
    expect(validateIdNumber('').reason).toBe('未填写公民身份号码');
    expect(validateIdNumber('1101011990030712').reason).toContain('实际为16位');
    expect(validateIdNumber('110101900307123').reason).toContain('第一代15位');
    expect(validateIdNumber('1101011990030A1233').reason).toContain('第14位字符“A”');
    expect(validateIdNumber('11010119900307123Y').reason).toContain('第18位');
  });

  it('rejects a division code starting with 0', () => {
    // 010101199003071233 → check digit recomputed so only the division code is wrong.
    const first17 = '01010119900307123';
    const r = validateIdNumber(first17 + idNumberCheckChar(first17), { today: TODAY });
    expect(r.status).toBe('invalid');
    expect(r.reason).toContain('行政区划码“010101”');
  });

  // Check digits recomputed so only the date is wrong.
  const withDate = (yyyymmdd: string): string => {
    const first17 = `110101${yyyymmdd}123`;
    return first17 + idNumberCheckChar(first17);
  };

  it('19900229 is not a date (1990 is not a leap year)', () => {
    const r = validateIdNumber(withDate('19900229'), { today: TODAY });
    expect(r).toMatchObject({ status: 'invalid', reason: '出生日期“19900229”不是有效日期' });
  });

  it('20000229 is a date (2000 is a leap year: divisible by 400)', () => {
    expect(validateIdNumber(withDate('20000229'), { today: TODAY }).status).toBe('valid');
  });

  it('19000229 is not a date (1900 is not a leap year: divisible by 100)', () => {
    expect(validateIdNumber(withDate('19000229'), { today: TODAY }).reason).toContain('19000229');
  });

  it('20231301 is not a date (month 13)', () => {
    expect(validateIdNumber(withDate('20231301'), { today: TODAY }).reason).toContain('20231301');
  });

  it('a birth date before 1900 is invalid', () => {
    expect(validateIdNumber(withDate('18991231'), { today: TODAY }).reason).toContain('早于1900年');
  });

  it('a birth date after today is invalid; today itself is fine', () => {
    expect(validateIdNumber(withDate('20240602'), { today: TODAY })).toMatchObject({
      status: 'invalid',
      reason: '出生日期“20240602”晚于今天',
    });
    expect(validateIdNumber(withDate('20240601'), { today: TODAY }).status).toBe('valid');
    // Without opts, "today" is the real current date: a far-future date is rejected.
    expect(validateIdNumber(withDate('29991231')).status).toBe('invalid');
  });

  it('every generated valid ID number validates', () => {
    fc.assert(
      fc.property(idNumberArb, (id) => {
        expect(validateIdNumber(id, { today: TODAY })).toEqual({ status: 'valid', normalized: id });
      }),
    );
  });

  /*
   * Weights 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2 are all non-zero mod 11 and digits
   * differ by 1–9, 11 is prime: a single-digit substitution always breaks Σ mod 11
   * (if the date check does not reject it first). The check char is determined, so
   * changing it is caught too.
   */
  it('every single-digit substitution of a valid ID number is invalid', () => {
    fc.assert(
      fc.property(idNumberArb, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 10 }), (id, i, shift) => {
        const alphabet = i === 17 ? '0123456789X' : '0123456789';
        const old = id.charAt(i);
        const ch = alphabet.charAt((alphabet.indexOf(old) + shift) % alphabet.length);
        fc.pre(ch !== old);
        expect(validateIdNumber(replaceAt(id, i, ch), { today: TODAY }).status).toBe('invalid');
      }),
    );
  });

  /*
   * With the check char as weight 1, adjacent weight differences mod 11 are
   * 9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2,1 — none zero — so adjacent transpositions
   * of different digits are always caught (an 'X' moved to position 17 is not a digit).
   */
  it('a transposition of two adjacent different characters in an ID number is invalid', () => {
    fc.assert(
      fc.property(idNumberArb, fc.integer({ min: 0, max: 16 }), (id, i) => {
        const a = id.charAt(i);
        const b = id.charAt(i + 1);
        fc.pre(a !== b);
        expect(validateIdNumber(id.slice(0, i) + b + a + id.slice(i + 2), { today: TODAY }).status).toBe('invalid');
      }),
    );
  });
});

// ---------------------------------------------------------------------------
// Masking
// ---------------------------------------------------------------------------

describe('masking', () => {
  it('an 18-char ID number keeps the first 6 and last 4', () => {
    expect(maskIdNumber('110101199003071234')).toBe('110101********1234');
    expect(maskIdNumber('11010519491231002x')).toBe('110105********002X');
  });

  it('a 15-digit legacy ID number keeps the first 6 and last 3', () => {
    expect(maskIdNumber('110101900307123')).toBe('110101******123');
  });

  it('a too-short ID number is masked except the last 2', () => {
    expect(maskIdNumber('12345')).toBe('***45');
    expect(maskIdNumber('12')).toBe('**');
    expect(maskIdNumber('')).toBe('');
  });

  it('a USCC keeps the first 8 and last 2, hiding the embedded org code', () => {
    expect(maskUscc('91110108MA01002270')).toBe('91110108********70');
    expect(maskUscc(' ９１３５０１００m000100y43 ')).toBe('91350100********43');
  });

  it('a too-short USCC is masked except the last 2', () => {
    expect(maskUscc('123456789')).toBe('*******89');
  });

  it('masking preserves length', () => {
    fc.assert(
      fc.property(stringFrom('0123456789ABX', 25), fc.integer({ min: 0, max: 25 }), (s, len) => {
        const t = s.slice(0, len);
        expect(maskIdNumber(t)).toHaveLength(len);
        expect(maskUscc(t)).toHaveLength(len);
      }),
    );
  });
});

// ---------------------------------------------------------------------------
// Finding identifiers in pasted text
// ---------------------------------------------------------------------------

describe('findUsccInText', () => {
  it('finds a code after a label with full-width punctuation', () => {
    expect(findUsccInText('统一社会信用代码：91350100M000100Y43 （已核）')).toBe(USCC_GOOD);
  });

  it('finds a full-width, lower-case or space-grouped code', () => {
    expect(findUsccInText('信用代码：９１３５０１００Ｍ０００１００Ｙ４３。')).toBe(USCC_GOOD);
    expect(findUsccInText('代码 91350100m000100y43')).toBe(USCC_GOOD);
    expect(findUsccInText('代码：9135 0100 M000 100Y 43，法定代表人：张三')).toBe(USCC_GOOD);
  });

  it('finds a code glued to Latin letters', () => {
    expect(findUsccInText('USCC:91350100M000100Y43')).toBe(USCC_GOOD);
    expect(findUsccInText('USCC91350100M000100Y43')).toBe(USCC_GOOD);
  });

  it('prefers a valid code over a legacy one, and finds a legacy one if it is all there is', () => {
    expect(findUsccInText('旧码 91350100M000100Y44；新码 91110108MA01002270')).toBe(USCC_SUM_ZERO);
    expect(findUsccInText('代码：91350100M000100Y44')).toBe('91350100M000100Y44');
  });

  it('does not mistake an ID number for a code, even one that passes the USCC check', () => {
    // 441302199003070139 is a valid ID number and, by coincidence, a valid USCC
    // (about 1 in 31 ID numbers with a non-zero 3rd digit are).
    const both = '441302199003070139';
    expect(validateIdNumber(both, { today: TODAY }).status).toBe('valid');
    expect(validateUscc(both).status).toBe('valid');
    expect(findUsccInText(`经营者身份证号：${both}`)).toBeNull();
    expect(findUsccInText(`经营者身份证号：${both}，统一社会信用代码：${USCC_GOOD}`)).toBe(USCC_GOOD);
  });

  it('returns null when there is no code', () => {
    expect(findUsccInText('')).toBeNull();
    expect(findUsccInText('电话：0591-87654321，地址：福州市鼓楼区')).toBeNull();
    expect(findUsccInText('代码：91350100M000100Y53')).toBeNull(); // invalid, not even legacy
  });
});

describe('findIdNumberInText', () => {
  it('finds an ID number after a label, upper-casing x', () => {
    expect(findIdNumberInText('身份证号码：11010519491231002x，电话13800138000')).toBe(ID_GOOD_X);
  });

  it('finds a space-grouped or full-width ID number', () => {
    expect(findIdNumberInText('证件号 110101 19900307 1233 ')).toBe(ID_GOOD);
    expect(findIdNumberInText('证件号：１１０１０１１９９００３０７１２３３')).toBe(ID_GOOD);
  });

  it('finds an ID number glued to Latin letters', () => {
    expect(findIdNumberInText('ID110101199003071233')).toBe(ID_GOOD);
  });

  it('skips an ID number with a wrong check digit and a USCC', () => {
    expect(findIdNumberInText('身份证号：110101199003071234')).toBeNull();
    expect(findIdNumberInText(`统一社会信用代码：${USCC_GOOD}`)).toBeNull();
    expect(findIdNumberInText(`代码${USCC_GOOD}，负责人身份证${ID_GOOD}`)).toBe(ID_GOOD);
  });
});

describe('shielding for display and export (004 §3)', () => {
  it("a person's ID number is masked; an organisation's code is shown whole", () => {
    expect(shieldIdentifier('自然人', '110101199003071233')).toBe(maskIdNumber('110101199003071233'));
    expect(shieldIdentifier('自然人', '110101199003071233')).not.toContain('19900307');
    expect(shieldIdentifier('法人', '91350100M000100Y43')).toBe('91350100M000100Y43');
  });
});
