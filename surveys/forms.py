"""The questionnaire as a form: what a posted form holds, and the rows the shared template
renders for respondents, for the back office's preview and for typing in paper answers."""

from congress.cleaning import clean_text

from .services import Sheet


def field_name(question) -> str:
    return f"q{question.pk}"


def posted_answers(sheet: Sheet, post) -> dict[str, list[str]]:
    """The answers posted, by question, cleaned like any typed text (a NUL pasted into an open
    answer is removed, not stored)."""
    return {str(q.pk): [clean_text(v, multiline=True) for v in post.getlist(field_name(q))] for q in sheet.questions}


def sheet_sections(sheet: Sheet, values: dict[str, list[str]]) -> list[dict]:
    """Questions grouped under their sections (in order), each with the values to show."""
    sections: list[dict] = []
    units = list(sheet.units.values())
    for number, question in enumerate(sheet.questions, start=1):
        section = question.section
        if not sections or sections[-1]["section"] != section:
            sections.append({"section": section, "rows": []})
        chosen = values.get(str(question.pk), [])
        sections[-1]["rows"].append(
            {
                "number": number,
                "question": question,
                "name": field_name(question),
                "chosen": set(chosen),
                "text": chosen[0] if chosen else "",
                "scale": range(1, question.scale + 1),
                "units": units,
            }
        )
    return sections
