"""Ranked retrieval over a tenant's knowledge entries: Okapi BM25 across weighted fields.

The host loads the entries (no database access here) and asks for the best matches of a
caller's question. Each entry is indexed in three fields: its question (weighted highest, it is
phrased the way callers ask), its tags and its answer. Scores are normalised to 0..1 against
what a good match of the same query would score, so one threshold means the same thing for a
two-word query and a rambling one.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

import msgspec

K1 = 1.5
B = 0.75
FIELD_WEIGHTS = {"question": 2.0, "tags": 1.5, "answer": 1.0}
# A query word no entry contains still counts against the score, but only partly: callers pad
# questions with words that say nothing about the subject.
UNKNOWN_TERM_WEIGHT = 0.3
# Entries whose analysed fields are kept in memory (a few tenants' knowledge bases' worth).
INDEX_CACHE_ENTRIES = 4096

# English analysis. Another language gets its own pair of tables.
STOPWORDS = frozenset(
    """a about above after again all am an and any are as at be been being but by can could did do
    does doing down during each few for from further had has have having he her here hers him his
    how i if in into is it its itself just me more most my myself no nor not now of off on once only
    or other our ours out over own please same she should so some such than that the their theirs
    them then there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours yourself yourselves hi hello hey
    um uh like know tell wondering wonder question ask asking want wanted need get got okay ok yes
    yeah well also really maybe much many ever s t d ll m re ve""".split()
)
# Spanish, written without accents (``analyze`` folds them): a tenant's entries and its callers
# may be in either language. Words that are also English words a caller asks about are left out.
SPANISH_STOPWORDS = frozenset(
    """a al algo algun alguna alguno ante aqui como con contra cual cuales cuando de del desde donde
    e el ella ellas ellos en entre era es esa ese eso esta estan estas este esto estos hay la las le
    les lo los me mi mis mucho muy nos o otra otro para pero poco por porque puede pueden puedo que
    quien se si sin sobre su sus tambien te tengo tiene tienen tu u un una unas uno unos usted
    ustedes y ya yo hola buenos buenas dias tardes noches quiero quisiera queria saber pregunta
    gustaria favor gracias necesito bueno pues este oiga disculpe""".split()
)
# Words callers use interchangeably, folded onto one term before stemming.
SYNONYMS = {
    "accept": "take", "accepted": "take", "taking": "take",
    "cost": "price", "costs": "price", "fee": "price", "fees": "price", "charge": "price",
    "charges": "price", "pricing": "price", "prices": "price", "expensive": "price",
    "rate": "price", "rates": "price",
    "coverage": "insurance", "covered": "insurance", "cover": "insurance", "insured": "insurance",
    "located": "location", "address": "location", "directions": "location",
    "opening": "open", "opens": "open", "closing": "close", "closes": "close",
    "kid": "child", "kids": "child", "children": "child", "pediatric": "child",
    "park": "parking", "parked": "parking",
    "pay": "payment", "paying": "payment", "payments": "payment",
    # Spanish, accents folded first, onto Spanish terms: a Spanish question finds the Spanish entries
    # of a tenant that has both, not the English ones.
    "aceptan": "aceptar", "acepta": "aceptar", "aceptamos": "aceptar", "reciben": "aceptar",
    "recibe": "aceptar", "cuanto": "precio", "cuesta": "precio", "cuestan": "precio",
    "precios": "precio", "costo": "precio", "costos": "precio", "cobran": "precio", "tarifa": "precio",
    "tarifas": "precio", "seguros": "seguro", "aseguranza": "seguro", "aseguranzas": "seguro",
    "direccion": "ubicacion", "ubicados": "ubicacion", "ubicada": "ubicacion",
    "abren": "abrir", "abierto": "abrir", "abiertos": "abrir", "abre": "abrir",
    "cierran": "cerrar", "cerrado": "cerrar", "cerrados": "cerrar", "cierra": "cerrar",
    "ninos": "nino", "ninas": "nino", "nina": "nino", "pediatrico": "nino",
    "estacionar": "estacionamiento", "estacionarse": "estacionamiento", "parqueo": "estacionamiento",
    "pagos": "pago", "pagar": "pago", "ofrecen": "ofrecer", "ofrece": "ofrecer",
    "disponibles": "disponible",
}  # fmt: skip

_WORD = re.compile(r"[a-z0-9]+")
STOPWORDS_ANY = STOPWORDS | SPANISH_STOPWORDS


class KnowledgeDoc(msgspec.Struct, kw_only=True, frozen=True):
    """One knowledge entry as the ranking sees it."""

    id: str
    question: str
    answer: str
    tags: list[str] = []


def stem(word: str) -> str:
    """A light suffix stripper: enough to meet plurals and -ing/-ed forms, never aggressive."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            if len(word) > 2 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # "booked" -> "book", "stopped" -> "stop"
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]  # "insurance" and "insurances" meet, "cleaning" and "cleane" never occur
    return word


def fold_accents(text: str) -> str:
    """``text`` without accents: "niños" and "ninos", "dirección" and "direccion" are one word."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def analyze(text: str) -> list[str]:
    """``text`` as index terms: lower-cased words without accents, synonyms folded, stopwords
    (English and Spanish) dropped, stemmed."""
    terms = []
    for word in _WORD.findall(fold_accents(text.lower()).replace("'", "")):
        word = SYNONYMS.get(word, word)
        if word not in STOPWORDS_ANY:
            terms.append(stem(word))
    return terms


# Words that say what is asked about a subject (its price, whether it is taken, when it opens),
# not the subject itself. An entry that matches only these does not answer a question that names
# a subject it never mentions: "what does whitening cost?" is not answered by the cleaning price.
ASPECT_TERMS = frozenset(
    analyze("price take open close location offer available long")
    + analyze("precio aceptar abrir cerrar ubicacion ofrecer disponible")
)


class _Indexed(msgspec.Struct, frozen=True):
    doc: KnowledgeDoc
    fields: dict[str, Counter[str]]
    lengths: dict[str, int]


def _index(doc: KnowledgeDoc) -> _Indexed:
    fields, lengths = _analyzed_fields(doc.question, " ".join(doc.tags), doc.answer)
    return _Indexed(doc, fields, lengths)


@functools.lru_cache(maxsize=INDEX_CACHE_ENTRIES)
def _analyzed_fields(question: str, tags: str, answer: str) -> tuple[dict[str, Counter[str]], dict[str, int]]:
    """One entry's term counts and lengths per field. Kept by text: a knowledge base is ranked
    on every caller question, and its entries change far less often than they are asked about
    (an edited entry is new text, so it is analysed afresh). Callers must not mutate the result."""
    texts = {"question": question, "tags": tags, "answer": answer}
    fields = {name: Counter(analyze(text)) for name, text in texts.items()}
    return fields, {name: sum(counts.values()) for name, counts in fields.items()}


def _saturate(weighted_tf: float) -> float:
    return weighted_tf * (K1 + 1) / (weighted_tf + K1)


def rank(query: str, entries: Sequence[KnowledgeDoc], limit: int = 3) -> list[tuple[KnowledgeDoc, float]]:
    """The best ``limit`` entries for ``query`` with scores in 0..1, best first; no match, no row.

    BM25F: each field's term frequency is length-normalised against that field's average length
    and weighted, the weighted sum is saturated once (k1), and multiplied by the term's IDF.
    """
    terms = list(dict.fromkeys(analyze(query)))
    if not terms or not entries or limit <= 0:
        return []
    indexed = [_index(doc) for doc in entries]
    average = {
        name: max(1.0, sum(item.lengths[name] for item in indexed) / len(indexed)) for name in FIELD_WEIGHTS
    }
    total = len(indexed)
    frequency = {
        term: sum(1 for item in indexed if any(term in c for c in item.fields.values())) for term in terms
    }

    def idf(term: str) -> float:
        return math.log(1 + (total - frequency[term] + 0.5) / (frequency[term] + 0.5))

    # The ceiling: every query term once in a question of average length. Terms unknown to the
    # whole knowledge base count partly (see UNKNOWN_TERM_WEIGHT).
    good_match = _saturate(FIELD_WEIGHTS["question"])
    ceiling = sum(
        idf(term) * good_match * (1.0 if frequency[term] else UNKNOWN_TERM_WEIGHT) for term in terms
    )
    subject = [term for term in terms if term not in ASPECT_TERMS]
    scored = []
    for item in indexed:
        if subject and not any(term in counts for term in subject for counts in item.fields.values()):
            continue
        score = 0.0
        for term in terms:
            if not frequency[term]:
                continue
            weighted = sum(
                weight * item.fields[name][term] / (1 - B + B * item.lengths[name] / average[name])
                for name, weight in FIELD_WEIGHTS.items()
                if item.fields[name][term]
            )
            if weighted:
                score += idf(term) * _saturate(weighted)
        if score > 0:
            scored.append((item.doc, min(1.0, score / ceiling)))
    scored.sort(key=lambda pair: pair[1], reverse=True)
    return scored[:limit]
