"""Lead sources in words: the codes leads carry (`paid_search`) as people read them
("Paid search"), declared once for every table and card a person reads. JSON, CSV,
filters and the agreement keep the codes."""

from __future__ import annotations

# The sources the default agreement and the demo name; any other code is read by
# `source_words` from its own letters.
SOURCE_WORDS = {
    "web_form": "Web form",
    "demo_request": "Demo request",
    "webinar": "Webinar",
    "trade_show": "Trade show",
    "content_download": "Content download",
    "referral": "Referral",
    "paid_search": "Paid search",
}


def source_words(source: str) -> str:
    """'Paid search' for 'paid_search'; a code of one case ('ORGANIC_SEARCH',
    'linkedin-ads') in words the same way; a name already written for people, such
    as a CRM's 'Phone Inquiry', as it is."""
    if source in SOURCE_WORDS:
        return SOURCE_WORDS[source]
    letters = [character for character in source if character.isalpha()]
    one_case = all(c.islower() for c in letters) or all(c.isupper() for c in letters)
    if not letters or not one_case:
        return source
    spoken = " ".join(source.replace("_", " ").replace("-", " ").split()).lower()
    return spoken[:1].upper() + spoken[1:]
