"""English: intent patterns, names, numbers and choices; dates are in en_dates, sentences in en_replies.

Intent patterns run on normalised text (lower case, contractions expanded, no punctuation);
each match adds its weight to its intent, and a negative weight counts against one.
"""

from __future__ import annotations

import re

from plugins.offline_model.lang.base import Language, Patterns
from plugins.offline_model.lang.en_dates import DATES
from plugins.offline_model.lang.en_replies import INTENT_PHRASES, REPLIES


def _patterns(*pairs: tuple[str, float]) -> Patterns:
    return tuple((re.compile(pattern), weight) for pattern, weight in pairs)


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


CONTRACTIONS = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\bcan't\b", "can not"), (r"\bcannot\b", "can not"), (r"\bwon't\b", "will not"),
        (r"\bain't\b", "is not"), (r"n't\b", " not"), (r"\bi'm\b", "i am"), (r"'re\b", " are"),
        (r"'ve\b", " have"), (r"'ll\b", " will"), (r"'d\b", " would"),
        (r"\b(it|that|what|there|here|who|where|how|when|name|he|she)'s\b", r"\1 is"),
        (r"\blet's\b", "let us"), (r"\bgonna\b", "going to"), (r"\bwanna\b", "want to"),
        (r"\bgotta\b", "got to"), (r"\bo'clock\b", "oclock"), (r"\by'all\b", "you all"),
    )
)  # fmt: skip

_APPOINTMENT = r"(appointment|appt|booking|reservation|visit|consultation|consult|session)"
_PERSON = (
    r"(person|human|someone|somebody|representative|rep|operator|agent|receptionist|staff|manager|"
    r"owner|doctor|dentist|attorney|lawyer|nurse|associate|anyone|anybody|people|dr [a-z]+|"
    r"doctor [a-z]+|mr [a-z]+|mrs [a-z]+|ms [a-z]+)"
)
_THIRD = (
    r"(him|her|them|the doctor|the dentist|dr [a-z]+|doctor [a-z]+|the manager|the owner|the office|the team)"
)

INTENTS: dict[str, Patterns] = {
    "book_appointment": _patterns(
        (rf"\b(book|schedule|make|set up|setup|arrange|get)\b.{{0,30}}\b{_APPOINTMENT}\b", 3.0),
        (r"\b(book|schedule)\b", 2.0),
        (
            rf"\b(need|want|like|looking for|request)\b.{{0,25}}\b({_APPOINTMENT[1:-1]}|checkup|"
            rf"check up|exam|cleaning)\b",
            2.5,
        ),
        (r"\bappointment\b", 1.0),
        (r"\b(come in|be seen|get seen|get in|fit me in|squeeze me in|see (the|a) (doctor|dentist))\b", 2.0),
        (r"\b(see me|take me|get me in|have an opening|have a spot|have anything)\b", 2.0),
        (r"\b(availability|available|openings?|any openings|free slots?|anything open)\b", 1.5),
        (r"\bnew (patient|client|customer)\b", 1.0),
        (rf"\b(i|we) (have|had|got) (an|a) {_APPOINTMENT}\b", -1.5),
        (rf"\bmy {_APPOINTMENT}\b", -1.5),
    ),
    "reschedule_appointment": _patterns(
        (r"\b(reschedule|re schedule|rebook|re book)\b", 4.0),
        (
            rf"\b(move|change|push|shift|switch|bump)\b.{{0,25}}\b({_APPOINTMENT[1:-1]}|time|it|date|"
            rf"day|cleaning)\b",
            3.0,
        ),
        (r"\b(different|another|new|other) (time|day|date)\b", 1.0),
        (r"\b(push (it )?back|postpone)\b", 2.0),
        (rf"\b(i|we) (have|had|got) (an|a) {_APPOINTMENT}\b", 1.0),
        (rf"\bmy {_APPOINTMENT}\b", 1.0),
    ),
    "cancel_appointment": _patterns(
        (r"\bcancel(l?ing|l?ed|lation)?\b", 4.0),
        (r"\b(can not|will not|not going to|not be able to|unable to) (make|come|attend|be there)\b", 2.5),
        (r"\bcall (it )?off\b", 2.5),
        (r"\bcancellation (policy|policies|fee|fees|charge)\b", -4.0),
        (rf"\b(drop|remove|delete)\b.{{0,15}}\b{_APPOINTMENT}\b", 3.0),
        (rf"\b(i|we) (have|had|got) (an|a) {_APPOINTMENT}\b", 1.0),
        (rf"\bmy {_APPOINTMENT}\b", 1.0),
    ),
    "ask_hours": _patterns(
        (r"\b(hours|opening times)\b", 3.0),
        (
            r"\b(are|is) (you|the office|it|your office|the clinic|the shop|the store)( all|"
            r" guys)? (still )?open\b",
            3.5,
        ),
        (
            r"\b(what time|when) (do|does|are|will|is) (you|it|the office|your office)( all|"
            r" guys)? (open|close|closed|closing|opening)\b",
            4.0,
        ),
        (
            r"\b(open|close|closed|closing)\b (today|tomorrow|now|right now|on|at|late|early|this|"
            r"until|till)\b",
            2.5,
        ),
        (r"\b(open|closed|close)\b", 1.0),
    ),
    "ask_location": _patterns(
        (r"\b(address|directions)\b", 3.5),
        (r"\bwhere (are|is) (you|your|the)\b", 3.0),
        (
            r"\b(located|location|find you|get there|get to you|how do i get|which street|what street|"
            r"cross street)\b",
            3.0,
        ),
    ),
    "ask_services": _patterns(
        (r"\bwhat (services|treatments|procedures|kind of (services|work|things|treatments))\b", 4.0),
        (r"\b(services|treatments|procedures)\b", 2.0),
        (
            r"\bwhat (do|does) (you|your (office|practice|clinic|company|business))( all| guys)? (do|"
            r"offer|provide|specialize in)\b",
            3.5,
        ),
        (r"\bdo you( all| guys)? (do|offer|provide|handle|perform|treat|work on|fix|repair)\b", 2.5),
        (r"\b(offer|provide)\b", 1.0),
    ),
    "ask_price": _patterns(
        (r"\bhow much\b", 3.5),
        (
            r"\b(price|prices|pricing|cost|costs|fee|fees|charge|charges|rate|rates|expensive|cheap|"
            r"afford|quote|estimate)\b",
            3.0,
        ),
    ),
    "ask_question": _patterns(
        (r"\b(insurance|insured|coverage|medicaid|medicare|ppo|hmo|copay|co pay|deductible)\b", 3.0),
        (r"\bdo you( all| guys)? (take|accept)\b", 2.5),
        (
            r"\b(question|wondering|curious|want to know|wanted to know|like to know|can you tell me|"
            r"information about|info about)\b",
            1.5,
        ),
        (
            r"\b(parking|wheelchair|accessible|payment|pay|credit cards?|cash|children|kids|pets?|"
            r"wifi|website|email)\b",
            1.5,
        ),
        (r"\b(policy|policies|emergency|emergencies|walk ins?|financing|payment plans?)\b", 3.0),
        (r"^(what|how|why|who|which|is|are|do|does|can|could|will|would|should)\b", 0.5),
    ),
    "leave_message": _patterns(
        (r"\b(leave|take|give|pass along|pass on|send|record)\b.{0,15}\bmessage\b", 4.0),
        (r"\bmessage\b", 2.0),
        (
            rf"\b(have|get|ask) (someone|somebody|{_THIRD[1:-1]})\b.{{0,20}}\b(call|get back|contact|"
            rf"phone|reach|text)\b",
            3.0,
        ),
        (r"\b(call me back|callback|call back|get back to me|return my call|reach me|contact me)\b", 2.5),
        (rf"\b(let {_THIRD} know|tell {_THIRD})\b", 3.0),
        (r"\b(voicemail|voice mail)\b", 3.0),
    ),
    "talk_to_person": _patterns(
        (rf"\b(speak|talk|chat)\b.{{0,20}}\b{_PERSON}\b", 4.0),
        (
            r"\b(representative|operator|human|real person|live person|live agent|actual person|"
            r"receptionist)\b",
            3.0,
        ),
        (r"\b(transfer|connect|put) me\b|\btransfer\b|\bput me through\b", 3.0),
        (r"\bagent\b", 1.5),
        (r"\b(speak|talk) (to|with) (?!you\b)", 2.0),
    ),
    "affirm": _patterns(
        (
            r"^(yes|yeah|yea|yep|yup|ya|sure|correct|absolutely|definitely|certainly|of course|ok|okay|"
            r"alright|all right|sounds good|that works|uh huh|mhm|affirmative|exactly|yes please)\b",
            3.0,
        ),
        (
            r"^(right|great|perfect|fine|please|please do|go ahead|you got it|it is|it does|i do|i would|"
            r"that one|this one|i would like that|that would be great|"
            r"that is (right|correct|fine|great|perfect|good))"
            r"( please)?$",
            3.0,
        ),
        (
            r"\b(that works|(that|this) one works|works for me|sounds (good|great|perfect)|that is fine|"
            r"let us do (it|that)|"
            r"book it|i will take (it|that one)|go ahead|that is correct|that is right|that is perfect|"
            r"that is great)\b",
            2.0,
        ),
        (r"\b(yes|yeah|yep|sure)\b", 1.0),
    ),
    "deny": _patterns(
        (r"^(no|nope|nah|not really|negative|not quite|wrong|incorrect|no thanks|no thank you)\b", 3.0),
        (r"\b(does not|do not|will not|would not|can not|that does not|neither of those) work\b", 3.0),
        (r"\b(that is not (right|correct|it)|not (right|correct))\b", 2.5),
        (r"\b(none of (those|them|these)|neither)\b", 3.0),
        (r"\b(no|not)\b", 0.5),
    ),
    "goodbye": _patterns(
        (
            r"\b(bye|goodbye|good bye|bye bye|see you|see ya|take care|talk to you later|have a (good|"
            r"great|nice) (day|one|night|evening|weekend))\b",
            4.0,
        ),
        (
            r"\b(that is all|that is it|that will be all|that is everything|nothing else|"
            r"i am (all set|good|done|fine)|all set|no more questions|that should be (it|all))\b",
            3.0,
        ),
        (r"\bhang up\b", 3.0),
    ),
    "thanks": _patterns(
        (r"\b(thank you|thanks|thank u|thx|appreciate (it|that|your help|you))\b", 3.5),
    ),
    "repeat": _patterns(
        (r"\b(repeat|say (that|it) again|say again|come again|pardon|one more time|once more)\b", 4.0),
        (
            r"\b(did not|do not|could not|can not) (catch|hear|get|understand) (that|you|it|"
            r"what you said)\b",
            3.5,
        ),
        (r"^(what|sorry|huh|excuse me)( what| was that| say that)?$", 3.0),
        (r"\bwhat (did|was) (you|that) say\b|\bwhat was that\b", 3.0),
    ),
    "greet": _patterns(
        (r"^(hi|hello|hey|good (morning|afternoon|evening)|hiya|howdy)( there)?$", 2.0),
        (r"\b(is anyone there|anybody there|is someone there|are you there|can you hear me)\b", 3.0),
        (r"^(hi|hello|hey)\b", 0.3),
    ),
}  # fmt: skip

_NAME = r"(?P<name>[^\W\d_][\w\-]*(?: [^\W\d_][\w\-]*){0,2})"

_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip

ENGLISH = Language(
    code="en",
    contractions=CONTRACTIONS,
    intents=INTENTS,
    negatable=frozenset(
        {
            "book_appointment",
            "reschedule_appointment",
            "cancel_appointment",
            "leave_message",
            "talk_to_person",
        }
    ),
    negations=frozenset({"not", "never", "no", "nothing", "without"}),
    fillers=re.compile(
        r"^(um+|uh+|er+|hmm+|so|well|oh|okay|ok|yeah|yes|yep|sure|right|alright|hi|hello|i mean)\b[\s,.]*",
        re.IGNORECASE,
    ),
    name_trigger=_compile(rf"\b(?:my name is|name is|the name is|call me|under the name(?: of)?) {_NAME}"),
    name_weak_trigger=_compile(rf"\b(?:this is|i am|it is|put it under|under) {_NAME}"),
    name_stopwords=frozenset(
        """a an the and or but so to for from with about at in on of by my your our his her their i you he
        she we they it is am are was be been calling call called phone number just here there again also
        still now today tomorrow looking hoping wondering trying going interested sorry fine good great
        ok okay well new patient customer client available free busy sure yes yeah no not want need would
        like could can will please thanks thank hi hello that this what who how why when where regarding
        re returning following speaking actually really very booked scheduled confirmed correct right wrong
        afraid glad happy calling checking asking looking appointment message question mister miss doctor
        back later urgent important quick about having running late sick pain never mind forget
        dr mr mrs ms the one first last time same who whom be done all set name someone somebody anyone
        anybody everyone me us him them""".split()
    ),
    number_words=_NUMBER_WORDS,
    tens=frozenset({"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}),
    pronoun_numbers=frozenset({"one"}),
    determiners=frozenset(
        {
            "the",
            "that",
            "this",
            "which",
            "each",
            "any",
            "every",
            "other",
            "another",
            "a",
            "no",
            "last",
            "earlier",
            "later",
            "either",
            "first",
            "early",
            "late",
            "morning",
            "afternoon",
        }
    ),
    ordinal_words=_ORDINAL_WORDS,
    phone_digit_words={"oh": "0", "o": "0"},
    phone_repeats={"double": 2, "triple": 3},
    hundred="hundred",
    phone_separators=frozenset({"dash"}),
    function_words=frozenset({"a", "an", "and", "the", "for", "of", "with", "to", "in", "on", "or", "my"}),
    # "(pressed 2)" is how the host writes a keypad answer.
    choices=(
        (
            re.compile(
                r"\b(first|1st|earliest|earlier one|former|either|any of (them|those)|whichever|"
                r"either one|pressed 1|option (1|one)|number one)\b"
            ),
            0,
        ),
        (re.compile(r"\b(second|2nd|middle|other one|latter|pressed 2|option (2|two)|number two)\b"), 1),
        (re.compile(r"\b(third|3rd|pressed 3|option (3|three)|number three)\b"), 2),
        (re.compile(r"\b(last|later one|latest one)\b"), -1),
    ),
    abandon=re.compile(r"\b(never ?mind|forget (it|about it|that)|scratch that|cancel that)\b"),
    later=re.compile(r"\b(later|after that|afterwards|later in the day|anything after)\b"),
    earlier=re.compile(r"\b(earlier|sooner|before that|anything before)\b"),
    other_day=re.compile(r"\b(another|different|other|a later|some other|a different) (day|date)\b"),
    department=re.compile(
        r"\b(?:to|with|in|for|from) (?:the |your |someone in |somebody in |someone from )?"
        r"(?P<department>[a-z]+(?: [a-z]+)?) (?:department|dept|team|office|desk)\b"
    ),
    contact_topics={
        "email": re.compile(r"\b(email|e mail)( address)?\b"),
        "website": re.compile(r"\b(website|web site|web address|site|online)\b"),
        "phone": re.compile(r"\b(phone number|fax|number to call|main number)\b"),
    },
    message_content=re.compile(
        r"\b(tell|let [a-z]+(?: [a-z]+)? know|saying|to say|that i|that my|that we|that the|it is about|"
        r"this is about|regarding|concerning|because)\b"
    ),
    callback_phrase=re.compile(
        r"\b(?:(?:you can |you could |please |just )?(?:reach|call|text|ring|get ahold of|get hold of) me"
        r"(?: back)?(?: at| on)?|call back (?:at|on)|(?:my|the) (?:best |cell |mobile |phone |home |work |"
        r"callback |call back |direct )*(?:number|phone|line|cell|mobile)(?: is)?|it is|that is|number is|"
        r"(?:best |good )?(?:number|way) to (?:reach|call) me(?: is)?|at|on)\b"
    ),
    message_recipient=re.compile(
        r"\bmessage (?:for|to) (?P<who>(?:dr|doctor|mr|mrs|ms|miss|nurse) [a-z]+|"
        r"the [a-z]+(?: [a-z]+)?|[a-z]+(?: [a-z]+)?)"
    ),
    titles={
        "dr": "Dr.",
        "doctor": "Dr.",
        "mr": "Mr.",
        "mrs": "Mrs.",
        "ms": "Ms.",
        "miss": "Miss",
        "nurse": "Nurse",
    },
    acknowledgement=re.compile(
        r"^((yes|yeah|yea|yep|yup|ya|sure|ok|okay|alright|all right|right|uh huh|mhm|of course|"
        r"certainly|absolutely|please|go ahead|sounds good|that works|so|um+|uh+|well|hmm+|i mean)\s*)+$"
    ),
    asks_now=re.compile(r"\b(now|right now|currently|at the moment|still open|today|tonight)\b"),
    specific_service=re.compile(
        r"\bdo you(?: all| guys)? (?:do|offer|provide|handle|perform|treat|work on|fix|repair) "
        r"(?P<thing>[a-z ]+)"
    ),
    dates=DATES,
    replies=REPLIES,
    intent_phrases=INTENT_PHRASES,
    weekday_names=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    month_names=(
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    conjunction_and="and",
    conjunction_or="or",
    serial_comma=True,
    host_speech=True,
)
