/**
 * ECDSA against outside evidence: every Wycheproof P-256 and secp256k1 p1363 case, the RFC 6979
 * appendix A.2.4–A.2.7 deterministic signatures (P-224, P-256, P-384, P-521; all five hashes,
 * both messages), and fast-check cross-checks with node:crypto on every curve and hash, both ways.
 * @module
 */
import { fileURLToPath } from 'node:url';
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bigintToBytes, bytesToBigint, fromHex, toHex } from '../../../src/crypto/bytes.ts';
import {
  CURVE_IDS,
  CURVES,
  curveFromName,
  derToRawSignature,
  ecdsaSign,
  ecdsaVerify,
  ecGenerateKeyPair,
  ecPublicKey,
  ecValidatePublicKey,
  rawToDerSignature,
  type CurveId,
} from '../../../src/crypto/ecdsa.ts';
import { HASH_NAMES, nobleHash, type HashName } from '../../../src/crypto/hash.ts';
import { ecPrivateKeyToPkcs8, ecPublicKeyToSpki, spkiToPublicKey } from '../../../src/crypto/keys-encoding.ts';
import { seededRandom, systemRandom } from '../../../src/crypto/random.ts';
import { expectCryptoError } from './expect-crypto-error.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** The group order n of each curve (SEC 2), to build high-S twins of signatures. */
const ORDER: Record<CurveId, bigint> = {
  secp224r1: 0xffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3dn,
  p256: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  p384: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  p521: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
  secp256k1: 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n,
};

// ---------------------------------------------------------------------------------------------
// Wycheproof
// ---------------------------------------------------------------------------------------------

interface WycheproofFile {
  testGroups: {
    publicKey: { curve: string; uncompressed: string };
    sha: string;
    tests: { tcId: number; comment: string; msg: string; sig: string; result: 'valid' | 'invalid' | 'acceptable' }[];
  }[];
}

const WYCHEPROOF_DIR = fileURLToPath(new URL('../../vectors/wycheproof', import.meta.url));

describe.each([
  ['ecdsa_secp256r1_sha256_p1363_test.json', 'p256'],
  ['ecdsa_secp256k1_sha256_p1363_test.json', 'secp256k1'],
] as const)('Wycheproof %s', (file, curve) => {
  it('accepts every valid case and refuses every invalid one', () => {
    const data = JSON.parse(readFileSync(`${WYCHEPROOF_DIR}/${file}`, 'utf8')) as WycheproofFile;
    const counts = { valid: 0, invalid: 0, acceptable: 0, acceptableAccepted: 0 };
    const failures: string[] = [];
    for (const group of data.testGroups) {
      expect(group.sha).toBe('SHA-256');
      const publicKey = fromHex(group.publicKey.uncompressed);
      for (const test of group.tests) {
        const ok = ecdsaVerify(curve, publicKey, fromHex(test.msg), fromHex(test.sig), { hash: 'sha256' });
        counts[test.result]++;
        if (test.result === 'acceptable') {
          // Policy for "acceptable" cases: we follow OpenSSL — whatever the math verifies is
          // accepted (no extra strictness such as low-S). These files hold none today.
          if (ok) counts.acceptableAccepted++;
        } else if (ok !== (test.result === 'valid')) {
          failures.push(`tcId ${test.tcId} (${test.comment}): expected ${test.result}, got ${ok ? 'accepted' : 'refused'}`);
        }
      }
    }
    console.log(
      `Wycheproof ${curve}: ${counts.valid} valid accepted, ${counts.invalid} invalid refused, ` +
        `${counts.acceptable} acceptable (${counts.acceptableAccepted} accepted)`,
    );
    expect(failures).toEqual([]);
    expect(counts.valid + counts.invalid).toBeGreaterThan(250);
  });
});

// ---------------------------------------------------------------------------------------------
// RFC 6979 appendix A.2 (values as published; transcribed from pycryptodome's test_dss.py)
// ---------------------------------------------------------------------------------------------

const RFC6979_KEYS: Partial<Record<CurveId, string>> = {
  secp224r1: 'F220266E1105BFE3083E03EC7A3A654651F45E37167E88600BF257C1',
  p256: 'C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721',
  p384: '6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D896D5724E4C70A825F872C9EA60D2EDF5',
  p521: '00FAD06DAA62BA3B25D2FB40133DA757205DE67F5BB0018FEE8C86E1B68C7E75CAA896EB32F1F47C70855836A6D16FCC1466F6D8FBEC67DB89EC0C08B0E996B83538',
};

type Rfc6979Case = [CurveId, HashName, 'sample' | 'test', string, string];

// prettier-ignore
const RFC6979: Rfc6979Case[] = [
  // A.2.4 P-224
  ['secp224r1', 'sha1', 'sample', '22226F9D40A96E19C4A301CE5B74B115303C0F3A4FD30FC257FB57AC', '66D1CDD83E3AF75605DD6E2FEFF196D30AA7ED7A2EDF7AF475403D69'],
  ['secp224r1', 'sha224', 'sample', '1CDFE6662DDE1E4A1EC4CDEDF6A1F5A2FB7FBD9145C12113E6ABFD3E', 'A6694FD7718A21053F225D3F46197CA699D45006C06F871808F43EBC'],
  ['secp224r1', 'sha256', 'sample', '61AA3DA010E8E8406C656BC477A7A7189895E7E840CDFE8FF42307BA', 'BC814050DAB5D23770879494F9E0A680DC1AF7161991BDE692B10101'],
  ['secp224r1', 'sha384', 'sample', '0B115E5E36F0F9EC81F1325A5952878D745E19D7BB3EABFABA77E953', '830F34CCDFE826CCFDC81EB4129772E20E122348A2BBD889A1B1AF1D'],
  ['secp224r1', 'sha512', 'sample', '074BD1D979D5F32BF958DDC61E4FB4872ADCAFEB2256497CDAC30397', 'A4CECA196C3D5A1FF31027B33185DC8EE43F288B21AB342E5D8EB084'],
  ['secp224r1', 'sha1', 'test', 'DEAA646EC2AF2EA8AD53ED66B2E2DDAA49A12EFD8356561451F3E21C', '95987796F6CF2062AB8135271DE56AE55366C045F6D9593F53787BD2'],
  ['secp224r1', 'sha224', 'test', 'C441CE8E261DED634E4CF84910E4C5D1D22C5CF3B732BB204DBEF019', '902F42847A63BDC5F6046ADA114953120F99442D76510150F372A3F4'],
  ['secp224r1', 'sha256', 'test', 'AD04DDE87B84747A243A631EA47A1BA6D1FAA059149AD2440DE6FBA6', '178D49B1AE90E3D8B629BE3DB5683915F4E8C99FDF6E666CF37ADCFD'],
  ['secp224r1', 'sha384', 'test', '389B92682E399B26518A95506B52C03BC9379A9DADF3391A21FB0EA4', '414A718ED3249FF6DBC5B50C27F71F01F070944DA22AB1F78F559AAB'],
  ['secp224r1', 'sha512', 'test', '049F050477C5ADD858CAC56208394B5A55BAEBBE887FDF765047C17C', '077EB13E7005929CEFA3CD0403C7CDCC077ADF4E44F3C41B2F60ECFF'],
  // A.2.5 P-256
  ['p256', 'sha1', 'sample', '61340C88C3AAEBEB4F6D667F672CA9759A6CCAA9FA8811313039EE4A35471D32', '6D7F147DAC089441BB2E2FE8F7A3FA264B9C475098FDCF6E00D7C996E1B8B7EB'],
  ['p256', 'sha224', 'sample', '53B2FFF5D1752B2C689DF257C04C40A587FABABB3F6FC2702F1343AF7CA9AA3F', 'B9AFB64FDC03DC1A131C7D2386D11E349F070AA432A4ACC918BEA988BF75C74C'],
  ['p256', 'sha256', 'sample', 'EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716', 'F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8'],
  ['p256', 'sha384', 'sample', '0EAFEA039B20E9B42309FB1D89E213057CBF973DC0CFC8F129EDDDC800EF7719', '4861F0491E6998B9455193E34E7B0D284DDD7149A74B95B9261F13ABDE940954'],
  ['p256', 'sha512', 'sample', '8496A60B5E9B47C825488827E0495B0E3FA109EC4568FD3F8D1097678EB97F00', '2362AB1ADBE2B8ADF9CB9EDAB740EA6049C028114F2460F96554F61FAE3302FE'],
  ['p256', 'sha1', 'test', '0CBCC86FD6ABD1D99E703E1EC50069EE5C0B4BA4B9AC60E409E8EC5910D81A89', '01B9D7B73DFAA60D5651EC4591A0136F87653E0FD780C3B1BC872FFDEAE479B1'],
  ['p256', 'sha224', 'test', 'C37EDB6F0AE79D47C3C27E962FA269BB4F441770357E114EE511F662EC34A692', 'C820053A05791E521FCAAD6042D40AEA1D6B1A540138558F47D0719800E18F2D'],
  ['p256', 'sha256', 'test', 'F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367', '019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083'],
  ['p256', 'sha384', 'test', '83910E8B48BB0C74244EBDF7F07A1C5413D61472BD941EF3920E623FBCCEBEB6', '8DDBEC54CF8CD5874883841D712142A56A8D0F218F5003CB0296B6B509619F2C'],
  ['p256', 'sha512', 'test', '461D93F31B6540894788FD206C07CFA0CC35F46FA3C91816FFF1040AD1581A04', '39AF9F15DE0DB8D97E72719C74820D304CE5226E32DEDAE67519E840D1194E55'],
  // A.2.6 P-384
  ['p384', 'sha1', 'sample', 'EC748D839243D6FBEF4FC5C4859A7DFFD7F3ABDDF72014540C16D73309834FA37B9BA002899F6FDA3A4A9386790D4EB2', 'A3BCFA947BEEF4732BF247AC17F71676CB31A847B9FF0CBC9C9ED4C1A5B3FACF26F49CA031D4857570CCB5CA4424A443'],
  ['p384', 'sha224', 'sample', '42356E76B55A6D9B4631C865445DBE54E056D3B3431766D0509244793C3F9366450F76EE3DE43F5A125333A6BE060122', '9DA0C81787064021E78DF658F2FBB0B042BF304665DB721F077A4298B095E4834C082C03D83028EFBF93A3C23940CA8D'],
  ['p384', 'sha256', 'sample', '21B13D1E013C7FA1392D03C5F99AF8B30C570C6F98D4EA8E354B63A21D3DAA33BDE1E888E63355D92FA2B3C36D8FB2CD', 'F3AA443FB107745BF4BD77CB3891674632068A10CA67E3D45DB2266FA7D1FEEBEFDC63ECCD1AC42EC0CB8668A4FA0AB0'],
  ['p384', 'sha384', 'sample', '94EDBB92A5ECB8AAD4736E56C691916B3F88140666CE9FA73D64C4EA95AD133C81A648152E44ACF96E36DD1E80FABE46', '99EF4AEB15F178CEA1FE40DB2603138F130E740A19624526203B6351D0A3A94FA329C145786E679E7B82C71A38628AC8'],
  ['p384', 'sha512', 'sample', 'ED0959D5880AB2D869AE7F6C2915C6D60F96507F9CB3E047C0046861DA4A799CFE30F35CC900056D7C99CD7882433709', '512C8CCEEE3890A84058CE1E22DBC2198F42323CE8ACA9135329F03C068E5112DC7CC3EF3446DEFCEB01A45C2667FDD5'],
  ['p384', 'sha1', 'test', '4BC35D3A50EF4E30576F58CD96CE6BF638025EE624004A1F7789A8B8E43D0678ACD9D29876DAF46638645F7F404B11C7', 'D5A6326C494ED3FF614703878961C0FDE7B2C278F9A65FD8C4B7186201A2991695BA1C84541327E966FA7B50F7382282'],
  ['p384', 'sha224', 'test', 'E8C9D0B6EA72A0E7837FEA1D14A1A9557F29FAA45D3E7EE888FC5BF954B5E62464A9A817C47FF78B8C11066B24080E72', '07041D4A7A0379AC7232FF72E6F77B6DDB8F09B16CCE0EC3286B2BD43FA8C6141C53EA5ABEF0D8231077A04540A96B66'],
  ['p384', 'sha256', 'test', '6D6DEFAC9AB64DABAFE36C6BF510352A4CC27001263638E5B16D9BB51D451559F918EEDAF2293BE5B475CC8F0188636B', '2D46F3BECBCC523D5F1A1256BF0C9B024D879BA9E838144C8BA6BAEB4B53B47D51AB373F9845C0514EEFB14024787265'],
  ['p384', 'sha384', 'test', '8203B63D3C853E8D77227FB377BCF7B7B772E97892A80F36AB775D509D7A5FEB0542A7F0812998DA8F1DD3CA3CF023DB', 'DDD0760448D42D8A43AF45AF836FCE4DE8BE06B485E9B61B827C2F13173923E06A739F040649A667BF3B828246BAA5A5'],
  ['p384', 'sha512', 'test', 'A0D5D090C9980FAF3C2CE57B7AE951D31977DD11C775D314AF55F76C676447D06FB6495CD21B4B6E340FC236584FB277', '976984E59B4C77B0E8E4460DCA3D9F20E07B9BB1F63BEEFAF576F6B2E8B224634A2092CD3792E0159AD9CEE37659C736'],
  // A.2.7 P-521
  ['p521', 'sha1', 'sample', '00343B6EC45728975EA5CBA6659BBB6062A5FF89EEA58BE3C80B619F322C87910FE092F7D45BB0F8EEE01ED3F20BABEC079D202AE677B243AB40B5431D497C55D75D', '00E7B0E675A9B24413D448B8CC119D2BF7B2D2DF032741C096634D6D65D0DBE3D5694625FB9E8104D3B842C1B0E2D0B98BEA19341E8676AEF66AE4EBA3D5475D5D16'],
  ['p521', 'sha224', 'sample', '01776331CFCDF927D666E032E00CF776187BC9FDD8E69D0DABB4109FFE1B5E2A30715F4CC923A4A5E94D2503E9ACFED92857B7F31D7152E0F8C00C15FF3D87E2ED2E', '0050CB5265417FE2320BBB5A122B8E1A32BD699089851128E360E620A30C7E17BA41A666AF126CE100E5799B153B60528D5300D08489CA9178FB610A2006C254B41F'],
  ['p521', 'sha256', 'sample', '01511BB4D675114FE266FC4372B87682BAECC01D3CC62CF2303C92B3526012659D16876E25C7C1E57648F23B73564D67F61C6F14D527D54972810421E7D87589E1A7', '004A171143A83163D6DF460AAF61522695F207A58B95C0644D87E52AA1A347916E4F7A72930B1BC06DBE22CE3F58264AFD23704CBB63B29B931F7DE6C9D949A7ECFC'],
  ['p521', 'sha384', 'sample', '01EA842A0E17D2DE4F92C15315C63DDF72685C18195C2BB95E572B9C5136CA4B4B576AD712A52BE9730627D16054BA40CC0B8D3FF035B12AE75168397F5D50C67451', '01F21A3CEE066E1961025FB048BD5FE2B7924D0CD797BABE0A83B66F1E35EEAF5FDE143FA85DC394A7DEE766523393784484BDF3E00114A1C857CDE1AA203DB65D61'],
  ['p521', 'sha512', 'sample', '00C328FAFCBD79DD77850370C46325D987CB525569FB63C5D3BC53950E6D4C5F174E25A1EE9017B5D450606ADD152B534931D7D4E8455CC91F9B15BF05EC36E377FA', '00617CCE7CF5064806C467F678D3B4080D6F1CC50AF26CA209417308281B68AF282623EAA63E5B5C0723D8B8C37FF0777B1A20F8CCB1DCCC43997F1EE0E44DA4A67A'],
  ['p521', 'sha1', 'test', '013BAD9F29ABE20DE37EBEB823C252CA0F63361284015A3BF430A46AAA80B87B0693F0694BD88AFE4E661FC33B094CD3B7963BED5A727ED8BD6A3A202ABE009D0367', '01E9BB81FF7944CA409AD138DBBEE228E1AFCC0C890FC78EC8604639CB0DBDC90F717A99EAD9D272855D00162EE9527567DD6A92CBD629805C0445282BBC916797FF'],
  ['p521', 'sha224', 'test', '01C7ED902E123E6815546065A2C4AF977B22AA8EADDB68B2C1110E7EA44D42086BFE4A34B67DDC0E17E96536E358219B23A706C6A6E16BA77B65E1C595D43CAE17FB', '0177336676304FCB343CE028B38E7B4FBA76C1C1B277DA18CAD2A8478B2A9A9F5BEC0F3BA04F35DB3E4263569EC6AADE8C92746E4C82F8299AE1B8F1739F8FD519A4'],
  ['p521', 'sha256', 'test', '000E871C4A14F993C6C7369501900C4BC1E9C7B0B4BA44E04868B30B41D8071042EB28C4C250411D0CE08CD197E4188EA4876F279F90B3D8D74A3C76E6F1E4656AA8', '00CD52DBAA33B063C3A6CD8058A1FB0A46A4754B034FCC644766CA14DA8CA5CA9FDE00E88C1AD60CCBA759025299079D7A427EC3CC5B619BFBC828E7769BCD694E86'],
  ['p521', 'sha384', 'test', '014BEE21A18B6D8B3C93FAB08D43E739707953244FDBE924FA926D76669E7AC8C89DF62ED8975C2D8397A65A49DCC09F6B0AC62272741924D479354D74FF6075578C', '0133330865C067A0EAF72362A65E2D7BC4E461E8C8995C3B6226A21BD1AA78F0ED94FE536A0DCA35534F0CD1510C41525D163FE9D74D134881E35141ED5E8E95B979'],
  ['p521', 'sha512', 'test', '013E99020ABF5CEE7525D16B69B229652AB6BDF2AFFCAEF38773B4B7D08725F10CDB93482FDCC54EDCEE91ECA4166B2A7C6265EF0CE2BD7051B7CEF945BABD47EE6D', '01FBD0013C674AA79CB39849527916CE301C66EA7CE8B80682786AD60F98F7E78A19CA69EFF5C57400E3B3A0AD66CE0978214D13BAF4E9AC60752F7B155E2DE4DCE3'],
];

describe('RFC 6979 deterministic signatures', () => {
  it.each(RFC6979)('%s %s "%s"', (curve, hash, message, r, s) => {
    const privateKey = fromHex(RFC6979_KEYS[curve]!);
    const expected = fromHex(r + s);
    const signature = ecdsaSign(curve, privateKey, utf8(message), { hash });
    expect(toHex(signature)).toBe(toHex(expected));
    const publicKey = ecPublicKey(curve, privateKey);
    expect(ecdsaVerify(curve, publicKey, utf8(message), signature, { hash })).toBe(true);
    // The same signature over the digest given directly (CloudHSM --data-type digest).
    const digest = nobleHash(hash)(utf8(message));
    expect(toHex(ecdsaSign(curve, privateKey, digest, { hash, prehashed: true }))).toBe(toHex(expected));
  });

  it('counts 10 vectors per curve', () => {
    for (const curve of ['secp224r1', 'p256', 'p384', 'p521'] as const)
      expect(RFC6979.filter((c) => c[0] === curve)).toHaveLength(10);
  });

  it('derives the published P-256 public key (A.2.5)', () => {
    expect(toHex(ecPublicKey('p256', fromHex(RFC6979_KEYS.p256!)))).toBe(
      '04' +
        '60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6' +
        '7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299',
    );
  });

  it('keeps the high-S value RFC 6979 publishes (no low-S normalisation)', () => {
    const [, , , , s] = RFC6979.find((c) => c[0] === 'p256' && c[1] === 'sha256' && c[2] === 'sample')!;
    expect(BigInt('0x' + s) > ORDER.p256 / 2n).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// node:crypto cross-checks
// ---------------------------------------------------------------------------------------------

function nodeKeysFor(curve: CurveId, privateKey: Uint8Array, publicKey: Uint8Array) {
  return {
    privateKey: createPrivateKey({ key: Buffer.from(ecPrivateKeyToPkcs8(curve, privateKey, publicKey)), format: 'der', type: 'pkcs8' }),
    publicKey: createPublicKey({ key: Buffer.from(ecPublicKeyToSpki(curve, publicKey)), format: 'der', type: 'spki' }),
  };
}

describe.each(CURVE_IDS)('node:crypto agrees on %s', (curve) => {
  const ours = ecGenerateKeyPair(curve, systemRandom());
  const oursInNode = nodeKeysFor(curve, ours.privateKey, ours.publicKey);
  const theirs = generateKeyPairSync('ec', { namedCurve: CURVES[curve].opensslName });
  const theirPoint = (() => {
    const decoded = spkiToPublicKey(new Uint8Array(theirs.publicKey.export({ format: 'der', type: 'spki' })));
    if (decoded.kind !== 'ec') throw new Error('expected an EC key');
    return decoded.point;
  })();

  it.each(HASH_NAMES)('%s: our signatures verify in node, node signatures verify in ours', (hash) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (message) => {
        const ourSignature = ecdsaSign(curve, ours.privateKey, message, { hash });
        expect(ourSignature.length).toBe(2 * CURVES[curve].scalarBytes);
        expect(nodeVerify(hash, message, { key: oursInNode.publicKey, dsaEncoding: 'ieee-p1363' }, ourSignature)).toBe(true);
        const nodeSignature = new Uint8Array(nodeSign(hash, message, { key: theirs.privateKey, dsaEncoding: 'ieee-p1363' }));
        expect(ecdsaVerify(curve, theirPoint, message, nodeSignature, { hash })).toBe(true);
        // DER conversion matches node's DER form both ways.
        const nodeDer = new Uint8Array(nodeSign(hash, message, { key: theirs.privateKey, dsaEncoding: 'der' }));
        expect(ecdsaVerify(curve, theirPoint, message, derToRawSignature(nodeDer, curve), { hash })).toBe(true);
        expect(nodeVerify(hash, message, oursInNode.publicKey, rawToDerSignature(ourSignature))).toBe(true);
        // A changed message is refused.
        const other = Uint8Array.of(...message, 1);
        expect(ecdsaVerify(curve, ours.publicKey, other, ourSignature, { hash })).toBe(false);
      }),
      { numRuns: 8 },
    );
  });

  it('accepts the high-S twin (r, n − s) of a valid signature, as OpenSSL does', () => {
    const message = utf8('high-S');
    const signature = ecdsaSign(curve, ours.privateKey, message, { hash: 'sha256' });
    const width = CURVES[curve].scalarBytes;
    const s = bytesToBigint(signature.subarray(width));
    const twin = new Uint8Array([...signature.subarray(0, width), ...bigintToBytes(ORDER[curve] - s, width)]);
    expect(ecdsaVerify(curve, ours.publicKey, message, twin, { hash: 'sha256' })).toBe(true);
    expect(nodeVerify('sha256', message, { key: oursInNode.publicKey, dsaEncoding: 'ieee-p1363' }, twin)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Key generation, names, DER signatures, malformed input
// ---------------------------------------------------------------------------------------------

describe('key generation', () => {
  it.each(CURVE_IDS)('%s: the same seed gives the same key, another seed another key', (curve) => {
    const a = ecGenerateKeyPair(curve, seededRandom('seed one'));
    const b = ecGenerateKeyPair(curve, seededRandom('seed one'));
    const c = ecGenerateKeyPair(curve, seededRandom('seed two'));
    expect(toHex(a.privateKey)).toBe(toHex(b.privateKey));
    expect(toHex(a.publicKey)).toBe(toHex(b.publicKey));
    expect(toHex(a.privateKey)).not.toBe(toHex(c.privateKey));
    expect(a.privateKey.length).toBe(CURVES[curve].scalarBytes);
    expect(a.publicKey.length).toBe(1 + 2 * CURVES[curve].fieldBytes);
    expect(a.publicKey[0]).toBe(0x04);
    expect(toHex(ecPublicKey(curve, a.privateKey))).toBe(toHex(a.publicKey));
  });
});

describe('compressed public keys', () => {
  it.each(CURVE_IDS)('%s: a compressed point verifies and decompresses to the uncompressed one', (curve) => {
    const pair = ecGenerateKeyPair(curve, seededRandom(`compressed ${curve}`));
    const width = CURVES[curve].fieldBytes;
    const compressed = Uint8Array.of(2 + (pair.publicKey[2 * width]! & 1), ...pair.publicKey.subarray(1, 1 + width));
    const message = utf8('compressed');
    const signature = ecdsaSign(curve, pair.privateKey, message, { hash: 'sha1' });
    expect(ecdsaVerify(curve, compressed, message, signature, { hash: 'sha1' })).toBe(true);
    expect(toHex(ecValidatePublicKey(curve, compressed))).toBe(toHex(pair.publicKey));
  });
});

describe('curve names', () => {
  it('maps every CloudHSM name', () => {
    expect(curveFromName('prime256v1')).toBe('p256');
    expect(curveFromName('secp256r1')).toBe('p256');
    expect(curveFromName('secp224r1')).toBe('secp224r1');
    expect(curveFromName('secp384r1')).toBe('p384');
    expect(curveFromName('secp521r1')).toBe('p521');
    expect(curveFromName('secp256k1')).toBe('secp256k1');
  });

  it('refuses an unknown curve, listing the known ones', () => {
    expectCryptoError(() => curveFromName('prime192v1'), 'unsupported', /unknown EC curve "prime192v1".*prime256v1/);
  });
});

describe('DER signature conversion', () => {
  it('round-trips and pads short r / s', () => {
    const raw = new Uint8Array(64);
    raw[31] = 5;
    raw[32] = 0x80;
    const der = rawToDerSignature(raw);
    expect(toHex(der)).toBe('3026' + '020105' + '022100' + '80' + '00'.repeat(31));
    expect(toHex(derToRawSignature(der, 'p256'))).toBe(toHex(raw));
  });

  it('refuses malformed DER and over-wide integers', () => {
    expectCryptoError(() => derToRawSignature(fromHex('3006020101020101ff'), 'p256'), 'bad-signature', /trailing/);
    expectCryptoError(() => derToRawSignature(fromHex('30060201010201'), 'p256'), 'bad-signature', /claims/);
    expectCryptoError(() => derToRawSignature(rawToDerSignature(new Uint8Array(96).fill(1)), 'p256'), 'bad-signature', /wider than 32 bytes/);
    expectCryptoError(() => rawToDerSignature(new Uint8Array(63)), 'bad-signature', /equal halves, got 63/);
  });
});

describe('malformed input', () => {
  const { privateKey, publicKey } = ecGenerateKeyPair('p256', seededRandom('malformed'));
  const message = utf8('m');

  it('names a wrong private key length or value', () => {
    expectCryptoError(() => ecdsaSign('p256', privateKey.subarray(1), message, { hash: 'sha256' }), 'bad-key', /must be 32 bytes, got 31/);
    expectCryptoError(() => ecdsaSign('p256', new Uint8Array(32), message, { hash: 'sha256' }), 'bad-key', /\[1, n-1\]/);
    expectCryptoError(() => ecPublicKey('p256', new Uint8Array(32).fill(0xff)), 'bad-key', /\[1, n-1\]/);
  });

  it('refuses a public key off the curve or of the wrong size with bad-point', () => {
    const offCurve = publicKey.slice();
    offCurve[64]! ^= 1;
    const signature = ecdsaSign('p256', privateKey, message, { hash: 'sha256' });
    expectCryptoError(() => ecdsaVerify('p256', offCurve, message, signature, { hash: 'sha256' }), 'bad-point', /not a point on p256/);
    expectCryptoError(() => ecdsaVerify('p256', publicKey.subarray(0, 64), message, signature, { hash: 'sha256' }), 'bad-point', /65 bytes.*got 64/);
    const badPrefix = publicKey.slice();
    badPrefix[0] = 0x05;
    expectCryptoError(() => ecdsaVerify('p256', badPrefix, message, signature, { hash: 'sha256' }), 'bad-point', /prefix byte 0x05/);
  });

  it('returns false, without throwing, for malformed signatures', () => {
    const signature = ecdsaSign('p256', privateKey, message, { hash: 'sha256' });
    expect(ecdsaVerify('p256', publicKey, message, signature.subarray(1), { hash: 'sha256' })).toBe(false);
    expect(ecdsaVerify('p256', publicKey, message, new Uint8Array(64), { hash: 'sha256' })).toBe(false);
    expect(ecdsaVerify('p256', publicKey, message, new Uint8Array(64).fill(0xff), { hash: 'sha256' })).toBe(false);
    expect(ecdsaVerify('p256', publicKey, message, signature, { hash: 'sha384' })).toBe(false);
  });

  it('checks a given digest has the hash length', () => {
    expectCryptoError(() => ecdsaSign('p256', privateKey, new Uint8Array(31), { hash: 'sha256', prehashed: true }), 'bad-input', /sha256 digest must be 32 bytes, got 31/);
    expectCryptoError(() => ecdsaSign('p256', privateKey, message, { hash: 'md5' as HashName }), 'unsupported', /unknown hash "md5"/);
  });
});
