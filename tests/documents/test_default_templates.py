"""The default templates shipped with the system are the ones their code draws (rebuild them
with ``manage.py build_document_templates``), and use only the placeholders their kind fills."""

import io
import zipfile

import pytest

from congress import documents
from congress.documents import layout

from .helpers import open_docx, text_of


@pytest.mark.parametrize("code", sorted(documents.KINDS))
def test_the_shipped_default_is_what_the_code_draws(code):
    kind = documents.get(code)
    drawn = layout.new_document()
    kind.build(drawn)
    out = io.BytesIO()
    layout.save(drawn, out)
    shipped = kind.default_path.read_bytes()
    assert text_of(open_docx(shipped)) == text_of(open_docx(out.getvalue())), "run build_document_templates"
    for docx in (shipped, out.getvalue()):  # each font declared with the one to fall back to
        fonts = zipfile.ZipFile(io.BytesIO(docx)).read("word/fontTable.xml").decode()
        assert 'w:name="仿宋_GB2312"' in fonts and "w:altName" in fonts
    documents.check_template(kind, shipped)  # no placeholder the kind does not fill
    assert documents.undeclared(shipped) <= set(kind.all_placeholders)


def test_every_kind_has_its_own_number_word():
    words = [k.word for k in documents.KINDS.values()]
    assert len(words) == len(set(words)) == 8
