"""Spanish: intent patterns, names, numbers and choices; dates are in es_dates, sentences in es_replies.

Intent patterns run on normalised text (lower case, no punctuation, "¿" and "¡" dropped); each
match adds its weight to its intent, and a negative weight counts against one. Patterns are
written with their accents and match with or without them (see ``es_dates.accented``).
"""

from __future__ import annotations

import re

from plugins.offline_model.lang.base import Language, Patterns
from plugins.offline_model.lang.es_dates import DATES, accented, with_plain
from plugins.offline_model.lang.es_replies import INTENT_PHRASES, REPLIES


def _patterns(*pairs: tuple[str, float]) -> Patterns:
    return tuple((accented(pattern), weight) for pattern, weight in pairs)


_TENS = "veinte|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa"
_UNITS = "uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve"
# Rewrites before anything reads the text: "treinta y cinco" composes like "thirty five" does, and
# "la una" is the hour one ("a la una y media"), while "una" alone is "a" ("una cita").
CONTRACTIONS = (
    (re.compile(rf"\b({_TENS}) y ({_UNITS})\b"), r"\1 \2"),
    (re.compile(r"\bla una\b"), "la 1"),
    (re.compile(r"\bp\s?m\b"), "pm"),
    (re.compile(r"\ba\s?m\b"), "am"),
)

_APPOINTMENT = r"(cita|citas|consulta|turno|reservación|reserva|visita|sesión)"
_PERSON = (
    r"(persona|humano|alguien|representante|operador|operadora|agente|recepcionista|encargado|encargada|"
    r"gerente|dueño|dueña|doctor|doctora|dentista|abogado|abogada|enfermera|enfermero|personal|"
    r"dr [a-z]+|dra [a-z]+|doctor [a-z]+|doctora [a-z]+|señor [a-z]+|señora [a-z]+)"
)
_OWN = r"(tengo|tenía|teníamos|tenemos|hice|saqué) (una|un) (cita|turno|consulta|reservación)"

INTENTS: dict[str, Patterns] = {
    "book_appointment": _patterns(
        (
            rf"\b(agendar|agendarme|programar|hacer|sacar|reservar|apartar|pedir|concertar|fijar|"
            rf"conseguir)\b.{{0,30}}\b{_APPOINTMENT}\b",
            3.0,
        ),
        (r"\b(agendar|agendarme|agéndeme|reservar|programar|apartar)\b", 2.0),
        (
            r"\b(necesito|quiero|quisiera|quería|me gustaría|busco|ocupo|solicitar)\b.{0,25}"
            r"\b(cita|consulta|turno|reservación|limpieza|revisión|chequeo|examen|valoración)\b",
            2.5,
        ),
        (r"\bcita\b", 1.0),
        (
            r"\b(pasar a verlos|que me atiendan|que me vean|que me revisen|ver al doctor|ver a la doctora|"
            r"ver al dentista|ver a la dentista|me pueden atender|me pueden ver)\b",
            2.0,
        ),
        (r"\b(tienen algo|tiene algo|tienen espacio|tiene espacio|hay espacio|hay algo)\b", 2.0),
        (r"\b(disponibilidad|disponible|disponibles|espacios?|horarios? libres?|algo libre)\b", 1.5),
        (r"\b(paciente|cliente) (nuevo|nueva)\b|\b(nuevo|nueva) (paciente|cliente)\b", 1.0),
        (rf"\b{_OWN}\b", -1.5),
        (rf"\bmi {_APPOINTMENT}\b", -1.5),
    ),
    "reschedule_appointment": _patterns(
        (r"\b(reprogramar|reagendar|reprogramarla|reagendarla|posponer|aplazar)\b", 4.0),
        (
            rf"\b(cambiar|mover|pasar|recorrer|adelantar|atrasar|cambiarla|moverla)\b.{{0,25}}"
            rf"\b({_APPOINTMENT[1:-1]}|hora|fecha|día|horario|limpieza)\b",
            3.0,
        ),
        (r"\b(cambiar|mover) (la|mi) (cita|consulta)\b|\bcambiar de (fecha|día|hora)\b", 1.0),
        (r"\b(otra|otro|diferente|distinta|distinto|nueva|nuevo) (hora|día|fecha|horario)\b", 1.0),
        (rf"\b{_OWN}\b", 1.0),
        (rf"\bmi {_APPOINTMENT}\b", 1.0),
    ),
    "cancel_appointment": _patterns(
        (r"\b(cancelar|cancelarla|cancelarlo|cancele|cancelo|cancélela|cancelación|anular|anularla)\b", 4.0),
        (r"\bno (voy a poder|puedo|podré|voy a|vamos a poder) (ir|llegar|asistir|venir|acudir)\b", 2.5),
        (r"\b(política|políticas|cargo|costo|cuota|multa) (de|por) cancelación\b", -4.0),
        (rf"\b(quitar|borrar|eliminar)\b.{{0,15}}\b{_APPOINTMENT}\b", 3.0),
        (rf"\b{_OWN}\b", 1.0),
        (rf"\bmi {_APPOINTMENT}\b", 1.0),
    ),
    "ask_hours": _patterns(
        (r"\b(horario|horarios|horas de atención|horario de atención|hora de apertura)\b", 3.0),
        (r"\b(están|está|siguen|sigue) (abiertos|abierto|abierta|abiertas)\b", 3.5),
        (r"\b(a qué hora|qué hora|cuándo|hasta qué hora) (abren|cierran|abre|cierra|atienden)\b", 4.0),
        (
            r"\b(abren|cierran|abre|cierra|abierto|abiertos|cerrado|cerrados)\b (hoy|mañana|ahora|el|los|"
            r"a|temprano|este|esta|hasta|tarde)\b",
            2.5,
        ),
        (r"\b(abren|cierran|abre|cierra|abierto|abiertos|cerrado|cerrados)\b", 1.0),
    ),
    "ask_location": _patterns(
        (r"\b(dirección|domicilio|cómo llegar|cómo llego)\b", 3.5),
        (r"\bdónde (están|está|quedan|queda|se encuentran|se ubican|los encuentro)\b", 3.0),
        (r"\b(ubicados|ubicada|ubicado|ubicación|en qué calle|qué calle|entre qué calles)\b", 3.0),
    ),
    "ask_services": _patterns(
        (r"\bqué (servicios|tratamientos|procedimientos|tipo de (servicios|trabajos|tratamientos))\b", 4.0),
        (r"\b(servicios|tratamientos|procedimientos)\b", 2.0),
        (r"\bqué (hacen|ofrecen|ofrece|hace|manejan)\b", 3.5),
        (r"^(ustedes )?(hacen|ofrecen|realizan|manejan|arreglan|reparan)\b", 2.5),
        (r"\b(ofrecen|ofrece|realizan)\b", 1.0),
    ),
    "ask_price": _patterns(
        (r"\bcuánto (cuesta|cuestan|cobran|cobra|sale|salen|vale|valen|es|me cobran)\b|\bcuánto\b", 3.5),
        (
            r"\b(precio|precios|costo|costos|tarifa|tarifas|cobran|caro|cara|barato|barata|presupuesto|"
            r"cotización)\b",
            3.0,
        ),
    ),
    "ask_question": _patterns(
        (r"\b(seguro|seguros|aseguranza|aseguranzas|medicaid|medicare|ppo|hmo|copago|deducible)\b", 3.0),
        (r"\b(aceptan|acepta|reciben|recibe|trabajan con|toman)\b", 2.5),
        (
            r"\b(pregunta|preguntar|quería saber|quisiera saber|quiero saber|me puede decir|"
            r"me podría decir|información sobre|información de|una duda)\b",
            1.5,
        ),
        (
            r"\b(estacionamiento|parqueo|estacionar|silla de ruedas|pago|pagar|tarjeta|tarjetas|efectivo|"
            r"niños|niñas|niño|niña|mascotas|wifi|página web|sitio web|correo)\b",
            1.5,
        ),
        (
            r"\b(política|políticas|emergencia|emergencias|urgencia|urgencias|sin cita|financiamiento|"
            r"plan de pagos|planes de pago|plan de pago|pagos mensuales)\b",
            3.0,
        ),
        (r"^(qué|cómo|por qué|quién|cuál|cuáles|es|son|tienen|hay|puedo|pueden|atienden)\b", 0.5),
    ),
    "leave_message": _patterns(
        (r"\b(dejar|dejarle|deje|tomar|tome|tomarme|pasar|dar|darle|enviar|mandar|grabar)\b.{0,15}"
         r"\b(mensaje|recado)\b", 4.0),
        (r"\b(mensaje|recado)\b", 2.0),
        (
            r"\b(que me (llame|llamen|devuelva|devuelvan|contacte|contacten|regrese|regresen|marque|"
            r"marquen)|me (devuelva|devuelvan|regrese|regresen) la llamada|devolverme la llamada)\b",
            3.0,
        ),
        (r"\b(llámenme|llámeme|contáctenme|regresar la llamada|devolver la llamada)\b", 2.5),
        (r"\b(dígale|díganle|dígales|avísele|avísenle|dile|avísale)\b", 3.0),
        (r"\b(buzón de voz|correo de voz)\b", 3.0),
    ),
    "talk_to_person": _patterns(
        (rf"\b(hablar|platicar|comunicarme|conversar)\b.{{0,20}}\b{_PERSON}\b", 4.0),
        (
            r"\b(representante|operador|operadora|humano|persona real|persona de verdad|agente en vivo|"
            r"recepcionista)\b",
            3.0,
        ),
        (
            r"\b(transfiérame|transferirme|transfiera|transferir|comuníqueme|comunicarme con|conécteme|"
            r"páseme|me pasa con|me comunica con|me transfiere)\b",
            3.0,
        ),
        (r"\bagente\b", 1.5),
        (r"\b(hablar|comunicarme) con (?!usted\b)", 2.0),
    ),
    "affirm": _patterns(
        (
            r"^(sí|claro|claro que sí|correcto|exacto|exactamente|por supuesto|está bien|ok|okey|okay|vale|"
            r"de acuerdo|perfecto|sale|órale|ándale|dale|así es|eso es|afirmativo|sí por favor)\b",
            3.0,
        ),
        (
            r"^(bien|muy bien|excelente|genial|por favor|adelante|ese|esa|ese mismo|esa misma|"
            r"me parece bien|me sirve|me funciona|me queda bien|es correcto)( por favor)?$",
            3.0,
        ),
        (
            r"\b(me funciona|me sirve|me queda bien|me parece bien|está perfecto|está bien|agéndela|"
            r"agéndelo|resérvela|resérvelo|la tomo|lo tomo|me quedo con (esa|ese)|hagámoslo|es correcto)\b",
            2.0,
        ),
        (r"\b(sí|claro|vale)\b", 1.0),
    ),
    "deny": _patterns(
        # "No voy a poder ir" negates a verb: it is not a "no" to what was asked.
        (
            r"^(no(?! (voy|vamos|puedo|podré|podemos|quiero|sé|tengo|me|le|lo|la|se|hay|estoy|creo|"
            r"necesito|llegaré|alcanzo))|nop|para nada|negativo|incorrecto)\b",
            3.0,
        ),
        (
            r"\b(no me (funciona|sirve|queda|conviene)|ninguna de esas|ninguno de esos|"
            r"no me funcionan|no me sirven)\b",
            3.0,
        ),
        (r"\b(no es (correcto|así|eso)|no está bien)\b", 2.5),
        (r"\b(ninguna|ninguno|ni una ni otra)\b", 3.0),
        (r"\bno\b", 0.5),
    ),
    "goodbye": _patterns(
        (
            r"\b(adiós|hasta luego|hasta pronto|nos vemos|chao|chau|bye|que (tenga|tengas|tengan) "
            r"(un )?(buen|bonito|lindo|excelente|feliz) (día|fin de semana|tarde|noche)|cuídese|cuídate)\b",
            4.0,
        ),
        (
            r"\b(eso es todo|es todo|sería todo|eso sería todo|ya es todo|no necesito nada más|"
            r"nada más por ahora|es todo por ahora|no tengo más preguntas|ya quedó todo|ya está todo)\b",
            3.0,
        ),
        (r"\bcolgar\b", 3.0),
    ),
    "thanks": _patterns(
        (r"\b(gracias|se lo agradezco|le agradezco|te agradezco|muy amable|qué amable)\b", 3.5),
    ),
    "repeat": _patterns(
        (
            r"\b(repetir|repita|repite|repítame|repítalo|repítamelo|cómo dijo|qué dijo|dígalo otra vez|"
            r"otra vez por favor|una vez más)\b",
            4.0,
        ),
        (r"\bno (le )?(entendí|escuché|oí|alcancé a oír|capté)\b", 3.5),
        (r"^(qué|perdón|disculpe|cómo|mande|eh)( qué| cómo| perdón)?$", 3.0),
    ),
    "greet": _patterns(
        (
            r"^(hola|buenos días|buenas tardes|buenas noches|buenas|buen día|qué tal|aló|bueno)"
            r"( qué tal| buenos días| buenas tardes)?$",
            2.0,
        ),
        (r"\b(hay alguien ahí|hay alguien|me escucha|me oye|está ahí|me escuchan|me oyen)\b", 3.0),
        (r"^(hola|buenas|buenos días|buenas tardes|buenas noches)\b", 0.3),
    ),
}  # fmt: skip

_NAME = r"(?P<name>[^\W\d_][\w\-]*(?: [^\W\d_][\w\-]*){0,2})"

_NUMBER_WORDS = with_plain(
    {
        "cero": 0, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
        "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
        "dieciséis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20,
        "veintiuno": 21, "veintiún": 21, "veintidós": 22, "veintitrés": 23, "veinticuatro": 24,
        "veinticinco": 25, "veintiséis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29,
        "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80,
        "noventa": 90,
    }
)  # fmt: skip
# "Cuarto" is left out: "las 3 y cuarto" is a quarter past, not a fourth.
_ORDINAL_WORDS = with_plain(
    {
        "primero": 1, "primera": 1, "primer": 1, "segundo": 2, "segunda": 2, "tercero": 3, "tercera": 3,
        "tercer": 3, "cuarta": 4, "quinto": 5, "quinta": 5, "sexto": 6, "sexta": 6, "séptimo": 7,
        "séptima": 7, "octavo": 8, "octava": 8, "noveno": 9, "novena": 9, "décimo": 10, "décima": 10,
    }
)  # fmt: skip

# Spanish words for what tenants often name in English (services, departments), so "una limpieza"
# finds the tenant's "Teeth cleaning"; the first word for a name is how it is said back.
GLOSSARY: dict[str, str] = with_plain(
    {
        "limpieza dental": "teeth cleaning", "visita de emergencia": "emergency visit",
        "examen de paciente nuevo": "new patient exam",
        "limpieza": "cleaning", "limpiezas": "cleaning", "examen": "exam", "revisión": "exam",
        "chequeo": "exam", "radiografías": "x-rays", "radiografía": "x-rays", "rayos x": "x-rays",
        "empaste": "filling", "empastes": "filling", "relleno": "filling", "resina": "filling",
        "corona": "crown", "coronas": "crown", "endodoncia": "root canal", "blanqueamiento": "whitening",
        "blanqueamientos": "whitening", "emergencia": "emergency", "urgencia": "emergency",
        "consulta": "consultation", "visita": "visit", "valoración": "consultation", "dientes": "teeth",
        "facturación": "billing", "cobranza": "billing", "reparación": "repair", "inspección": "inspection",
        "instalación": "installation", "mantenimiento": "maintenance", "plomería": "plumbing",
        "hipoteca": "mortgage", "refinanciamiento": "refinance",
    }
)  # fmt: skip

SPANISH = Language(
    code="es",
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
    negations=frozenset({"no", "nunca", "nada", "sin", "tampoco", "ni"}),
    fillers=accented(
        r"^(eh+|em+|este|pues|bueno|o sea|mm+|ah+|ok|okey|vale|sí|claro|hola|oiga|mire|a ver|buenas)\b[\s,.]*"
    ),
    name_trigger=accented(
        rf"\b(?:mi nombre es|me llamo|nombre es|a nombre de|póngala a nombre de|póngalo a nombre de) {_NAME}"
    ),
    name_weak_trigger=accented(rf"\b(?:soy|habla|le habla|les habla|con|de parte de) {_NAME}"),
    name_stopwords=frozenset(
        with_plain(
            dict.fromkeys(
                """a al de del el la los las lo le les un una unos unas y o u e pero para por con sin en
                mi mis su sus tu tus yo usted ustedes él ella ellos nosotros me te se nos es soy estoy está
                están son era fue ser estar llamo llamando llamaba llamé quiero quería necesito quisiera
                gustaría puedo podría tengo tenía hola buenos buenas días tardes noches gracias sí si no
                nuevo nueva paciente cliente cita mensaje pregunta doctor doctora señor señora señorita dr
                dra sr sra srta aquí ahí allí hoy mañana ahora ahorita que qué quien quién como cómo cuando
                cuándo donde dónde bien mal bueno ok okey favor tarde temprano todo nada algo alguien
                persona uno primero primera último última mismo misma otra otro nombre apellido parte
                disculpe perdón oiga mire pues este esta eso esa ese muy más también solo sólo ya
                todavía entonces porque llamada teléfono número hablar correcto claro perfecto listo
                urgente importante cancelar cambiar agendar dejar saber acerca sobre regresando
                devolviendo""".split(),
                0,
            )
        )
    ),
    number_words=_NUMBER_WORDS,
    tens=frozenset(
        {"veinte", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"}
    ),
    # "Uno"/"una" are articles and pronouns far more often than numbers: never converted (the hour
    # is rewritten as "la 1" first; in phone numbers they are digits, see ``phone_digit_words``).
    pronoun_numbers=frozenset(),
    determiners=frozenset(
        {"el", "la", "los", "las", "ese", "esa", "este", "esta", "otro", "otra", "cualquier"}
    ),
    ordinal_words=_ORDINAL_WORDS,
    phone_digit_words={"uno": "1", "una": "1"},
    phone_repeats={"doble": 2, "triple": 3},
    hundred="cien",
    phone_separators=frozenset({"guion", "guión"}),
    function_words=frozenset(
        {
            "a",
            "al",
            "de",
            "del",
            "el",
            "la",
            "los",
            "las",
            "un",
            "una",
            "y",
            "o",
            "para",
            "con",
            "en",
            "mi",
            "por",
        }
    ),
    # "(pressed 2)" is how the host writes a keypad answer, in every language.
    choices=(
        (
            accented(
                r"\b(primero|primera|primer|1th|el más temprano|la más temprano|cualquiera|"
                r"cualquiera de (esos|esas|los dos|las dos)|la que sea|el que sea|pressed 1|opción (1|uno)|"
                r"número (1|uno))\b"
            ),
            0,
        ),
        (
            accented(r"\b(segundo|segunda|2th|el otro|la otra|pressed 2|opción (2|dos)|número (2|dos))\b"),
            1,
        ),
        (accented(r"\b(tercero|tercera|3th|pressed 3|opción (3|tres)|número (3|tres))\b"), 2),
        (accented(r"\b(último|última|el más tarde|la más tarde)\b"), -1),
    ),
    abandon=accented(r"\b(olvídelo|olvídalo|mejor no|déjelo así|déjalo así|cancele eso|ya no quiero)\b"),
    later=accented(r"\b(más tarde|después de eso|algo después|más tardecito|algo más tarde)\b"),
    earlier=accented(r"\b(más temprano|antes de eso|algo antes|más tempranito|algo más temprano)\b"),
    other_day=accented(r"\b(otro|otra|diferente|distinto|distinta) (día|fecha)\b"),
    department=accented(
        r"\b(?:con|al|a|en|del|de) (?:el |la )?(?:departamento|área|oficina) de "
        r"(?P<department>[^\W\d_]+(?: [^\W\d_]+)?)\b"
    ),
    contact_topics={
        "email": accented(r"\b(correo electrónico|correo|email|e mail|mail)\b"),
        "website": accented(r"\b(página web|página de internet|sitio web|página|sitio|en línea|internet)\b"),
        "phone": accented(r"\b(número de teléfono|teléfono|fax|número para llamar|número principal)\b"),
    },
    message_content=accented(
        r"\b(dígale|díganle|dígales|dile|avísele|avísenle|que (le|les) diga|para decirle|que voy|que no|"
        r"que mi|que llegaré|es sobre|se trata de|acerca de|respecto a|porque)\b"
    ),
    callback_phrase=accented(
        r"\b(?:(?:me )?(?:puede|pueden|puedes|podría|podrían) (?:llamar|localizar|marcar|contactar)(?:me)?"
        r"(?: al| en)?|(?:llámeme|llámenme|llámame|márqueme|márcame|localíceme|localízame)(?: al| en)?|"
        r"(?:mi|el) (?:número|teléfono|celular|móvil)(?: de (?:teléfono|celular|casa|trabajo))?(?: es)?|"
        r"es el|al|en)\b"
    ),
    message_recipient=accented(
        r"\b(?:mensaje|recado) (?:para|a) (?P<who>(?:dr|dra|doctor|doctora|señor|señora|sr|sra|enfermera) "
        r"[^\W\d_]+|[^\W\d_]+(?: [^\W\d_]+)?)"
    ),
    titles={
        "dr": "Dr.",
        "doctor": "Dr.",
        "dra": "Dra.",
        "doctora": "Dra.",
        "señor": "Sr.",
        "senor": "Sr.",
        "sr": "Sr.",
        "señora": "Sra.",
        "senora": "Sra.",
        "sra": "Sra.",
        "enfermera": "Enfermera",
    },
    acknowledgement=accented(
        r"^((sí|claro|ok|okey|vale|bueno|está bien|de acuerdo|correcto|por supuesto|por favor|adelante|"
        r"perfecto|este|pues|eh+|mm+|a ver|o sea)\s*)+$"
    ),
    asks_now=accented(r"\b(ahora|ahorita|en este momento|siguen abiertos|todavía|hoy|esta noche)\b"),
    specific_service=accented(r"\b(?:hacen|ofrecen|realizan|manejan) (?P<thing>[^\W\d_][\w ]*)"),
    dates=DATES,
    replies=REPLIES,
    intent_phrases=INTENT_PHRASES,
    weekday_names=("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    month_names=(
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    conjunction_and="y",
    conjunction_or="o",
    serial_comma=False,
    part_names={
        "mañana": "en la mañana",
        "manana": "en la mañana",
        "tarde": "en la tarde",
        "noche": "en la noche",
        "madrugada": "en la madrugada",
        "mediodía": "al mediodía",
        "mediodia": "al mediodía",
    },
    glossary=GLOSSARY,
)
