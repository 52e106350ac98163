/**
 * Reference inputs published with the metric implementations we match, copied verbatim.
 *
 * rouge-score: google-research/google-research, rouge/testdata/target.txt and prediction.txt (first
 * two lines each), scored in rouge/rouge_scorer_test.py (testRougeLAgainstRouge155), whose expected
 * values came from manual runs of the original ROUGE-1.5.5 Perl script.
 *
 * sacreBLEU: mjpost/sacrebleu, test/test_bleu.py (README example, effective order, statistics and
 * scoring cases) and test/test_sentence_bleu.py (the Romanian example from sacreBLEU issue #98).
 *
 * NLTK: nltk/nltk, nltk/translate/bleu_score.py doctests (Papineni et al. 2002's example).
 */
export const ROUGE_TARGETS = [
  "ZfbCUIUuePaiLVUlCaUXxkpu XPeWing tUHfPMuZ',-Xd Y BrUgVJing M-HV.-DgdDaY.rFDJCRing Ht-LM EKBDXkME,yz'RBr q'wtion wIojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxer tKM L\n",
  "KsJdPByEtAor fE-Qg Dpdbring cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMtion psing sbKao Q m qiing LMmer HqqLFXe,XPY,J XsurkMer ,ed nB'wH'bWVHjWFEing tQ.saefZwJtKrTlixYpMMsJing UCAPwNHeYVjDing c T BUySKtion gMPfJpwGw p'NvxAoping eu pBwMBKV'I DNxqelhu,PHPxDEq,mtion SN\n",
];

export const ROUGE_PREDICTIONS = [
  "rFDJCRtion Ht-LM EKtDXkME,yz'RBr q'wer wrojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxi\n",
  "n cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMer pstion sbKao Q m qier LMmed HqqLFXe,XPY,J XsurkMeo ,ed nB'wH'bWVHjWFEer tQ.saefZwJtKrTlixYpMMNJtion UCAPwNHeYVjD\n",
];

export const SACREBLEU_README_REFS = [
  ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
  ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
];
export const SACREBLEU_README_HYPS = [
  'The dog bit the man.',
  "It wasn't surprising.",
  'The man had just bitten him.',
];

// Note the two different Romanian letters t with a mark below: U+0163 (cedilla) in the reference,
// U+021B (comma) in the system output, exactly as in the sacreBLEU test.
export const SACREBLEU_RO_REF = 'produc\u0163ia de zah\u0103r brut se exprim\u0103 \u00een zah\u0103r alb;';
export const SACREBLEU_RO_SYS =
  'Produc\u021Bia de zah\u0103r prim\u0103 va fi exprimat\u0103 \u00een ceea ce prive\u0219te zah\u0103rul alb;';

export const NLTK_HYPOTHESIS_1 =
  'It is a guide to action which ensures that the military always obeys the commands of the party';
export const NLTK_REFERENCES = [
  'It is a guide to action that ensures that the military will forever heed Party commands',
  'It is the guiding principle which guarantees the military forces always being under the command of the Party',
  'It is the practical guide for the army always to heed the directions of the party',
];
export const NLTK_HYPOTHESIS_3 = 'he read the book because he was interested in world history';
export const NLTK_REFERENCE_3 = 'he was interested in world history because he read the book';
