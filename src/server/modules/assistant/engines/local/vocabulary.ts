import { stem, words } from '../../text.ts';

/** The words and phrases that carry a question's shape (what is asked), never its subject. */

// Never matched against product names.
export const STOPWORDS = new Set(
  (
    'a an the is are was were be do does did you your yours we our i me my mine it its this that these those ' +
    'have has had any some anything something there here what which who whom how much many of for in on at to ' +
    'from by with about and or but not no yes please can could would should will shall may might tell show ' +
    'find give get list see looking look want need like wanted searching search sell sells selling carry stock ' +
    'stocked available availability left remaining price prices priced cost costs costing how cheap cheapest ' +
    'cheaper expensive priciest pricey most least lowest highest low high under over below above between than ' +
    'less more dollar dollars usd buck bucks cent cents compare comparison versus vs difference better best ' +
    'product products item items thing things store shop cartwise one ones out sold currently right now today ' +
    'still again also just only all every each unit units piece pieces add put cart basket bag into if okay ok ' +
    'hi hello hey thanks thank so up two three four five six seven eight nine ten couple pair ' +
    'gift gifts idea ideas present presents someone somebody who love loves likes into fan recommend ' +
    'suggest suggestion buy purchase ready remove delete change set quantity make instead take empty ' +
    'clear total altogether whole much'
  )
    .split(/\s+/)
    .map(stem),
);

const GREETING_WORDS = new Set(
  'hi hello hey hiya howdy yo good morning afternoon evening day there thanks thank you cheers ok okay great bye goodbye'.split(
    ' ',
  ),
);

/** Words that point back at what the previous reply showed. */
export const PRONOUN = /\b(it|its|that|this|them|those|these|they|one|ones)\b/i;

export const INTENT_PATTERNS = {
  add: /\b(add|put|throw|place)\b.*\b(cart|basket|bag)\b|^\s*(please\s+)?(can\s+you\s+)?(add|buy)\b|^\s*(i('ll|\s+will)\s+take|i('d|\s+would)\s+like\s+to\s+buy)\b/i,
  remove:
    /\b(remove|delete|drop|take\s+(out|off)|get\s+rid\s+of)\b.*\b(cart|basket|bag)\b|\b(take|get)\b.*\b(out\s+of|off|from)\s+(my|the)\s+(cart|basket|bag)\b|^\s*(please\s+)?(remove|delete)\b/i,
  setQuantity:
    /\b(change|set|update|make|adjust)\b.*\bto\s+(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|zero)\b(?!\s*(\$|dollars?|bucks|usd))|\b(only|just)\s+(want|need)\s+(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)\b/i,
  clearCart: /\b(empty|clear)\s+(out\s+)?(my|the)\s+(cart|basket|bag)\b/i,
  addHowTo: /\b(how|can|could)\s+(do\s+)?i\s+add\b/i,
  cart: /\b(cart|basket|shopping bag)\b/i,
  ownCart: /\b(my|in\s+the|the)\s+(cart|basket|shopping\s+bag)\b/i,
  orders:
    /\b(any|placed)\s+orders?\b|\bhave\s+i\s+(ever\s+)?(ordered|bought|placed|purchased)\b|\bwhen\s+did\s+i\s+(last\s+)?(order|buy)\b|\bhow\s+many\s+orders\b|\bmy\s+(first|last|latest|previous|recent)\s+(order|purchase)\b|\bmy\s+(last\s+|latest\s+|recent\s+|previous\s+|past\s+)?(orders?|purchases?)\b|\border\s+history\b|\bwhat\s+(did|have)\s+i\s+(buy|bought|order|ordered|purchase|purchased)\b|\bi\s+(bought|ordered|purchased)\b|\border\s*#\s*\d+|\borders\s+of\b|\borders?\b.*\buser\b/i,
  favorites: /\bfavou?rites?\b|\bwish\s?list\b|\bsaved\s+(items|products)\b/i,
  categories:
    /\bcategor(y|ies)\b|\bdepartments?\b|\bwhat\s+(kinds?|types?|sorts?)\s+of\b|\bwhat\s+(do|does)\s+(you|cartwise|the\s+store)\s+(sell|have|carry|offer)\s*\??$/i,
  categoryWord: /\b(categor(y|ies)|departments?|kinds?|types?|sorts?)\b/i,
  policy:
    /\b(ship|shipping|shipped|deliver|delivery|deliveries|return|returns|returning|refund|refunds|exchange|warranty|pay|payment|payments|paypal|visa|mastercard|credit\s+card|privacy|personal\s+data|my\s+data|cookies?|gdpr|contact|support|phone\s+number|e-?mail|customer\s+service|reach\s+you|track|tracking|parcel|package|charge|charged|billing|located|headquarters)\b/i,
  strongPolicy:
    /\b(ship|shipping|shipped|deliver|delivery|return|returns|returning|refund|refunds|exchange|warranty|pay|payment|privacy)\b/i,
  compare: /\b(compare|comparison|vs\.?|versus|difference\s+between|differences\s+between)\b/i,
  cheapest: /\b(cheapest|least\s+expensive|lowest[-\s]priced|lowest\s+price|most\s+affordable)\b/i,
  priciest: /\b(most\s+expensive|priciest|highest[-\s]priced|highest\s+price|dearest)\b/i,
  relative: /\b(cheaper|less\s+expensive|more\s+expensive|pricier|dearer)\s+than\s+(?!\$?\d)/i,
  stock:
    /\b(in\s+stock|stock|available|availability|how\s+many|left|sold\s+out|out\s+of\s+stock|have\s+any)\b/i,
  inStockOnly: /\b(in[\s-]stock|available)\b/i,
  outOfStock: /\b(out of stock|sold out|unavailable)\b/i,
  thanks: /\b(thanks|thank|cheers|bye|goodbye)\b/i,
  count: /\bhow\s+many\b|\bnumber\s+of\b|\bcount\b/i,
  /** "what did that come to?": the total of the order or cart the previous reply showed. */
  total:
    /\b(come\s+to|came\s+to|add\s+up|altogether|in\s+total|the\s+total|total\s+(cost|price)|grand\s+total)\b|\bhow\s+much\s+(was|is)\s+(that|it|this)\s+(order|all|in\s+total)\b/i,
  buyNow:
    /\b(right\s+now|can\s+i\s+(buy|get|order)|ready\s+to\s+ship|in[\s-]stock|available|ships?\s+today)\b/i,
  ordinal:
    /\b(first|second|third|fourth|fifth|last)\s+(one|product|item)\b|\bthe\s+(first|second|third|fourth|fifth)\b/i,
  /** What the shop does not do: answered with an honest "I can't" instead of a catalog search. */
  unsupported:
    /\b(discount|coupon|promo(tion(al)?)?|voucher|referral)s?\s*(codes?)?\b|\bgift\s*cards?\b|\bprice\s*match(ing)?\b|\b(haggle|negotiate|bargain)\b|\bgift\s*wrap(ping|ped)?\b|\b(cancel|change|modify)\s+(my|an|the)\s+order\b|\b(layaway|financing|installments?|buy\s+now\s+pay\s+later)\b|\b(sell\s+you|trade\s*in)\s+my\b|\b(change|reset)\s+my\s+(password|e-?mail|address)\b/i,
  help: /\b(help|what\s+can\s+you\s+do|how\s+does\s+this\s+work|who\s+are\s+you|what\s+are\s+you)\b/i,
};

export function isGreeting(message: string): boolean {
  const w = words(message);
  return w.length > 0 && w.length <= 6 && w.every((x) => GREETING_WORDS.has(x));
}

/** The stems of a text that could name a product: no numbers, no question words. */
export function contentStems(text: string): string[] {
  return words(text)
    .filter((w) => !/^\d+$/.test(w))
    .map(stem)
    .filter((w) => !STOPWORDS.has(w) && w.length > 1);
}
