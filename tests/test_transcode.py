"""UTF-8 validation and transcoding of text exports (connectors/readers/transcode.py)."""
from __future__ import annotations

import pytest

from connectors.readers import transcode


@pytest.mark.parametrize("data,valid", [
    (b"abc\xd0" + b"abcd", False),      # a two-byte letter cut at a chunk end, then a pure-ASCII chunk
    (b"abc\xd0abcd\x96xyz", False),     # ... its lead byte must not pair with a byte two chunks on
    (b"abc\xd0\x96bcdefgh", True),      # the same letter completed in the next chunk
    (b"abcdefgh", True),
    (b"abcdefg\xd0", False),            # cut at the end of the file
    (b"\xd0\x96\xd0\x96ab\xffcd", False),
    (b"ab\ncd\nef\n", True),
])
def test_validate_utf8_across_chunks(tmp_path, monkeypatch, data, valid):
    monkeypatch.setattr(transcode, "CHUNK", 4)
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    newlines, bad_at, _ = transcode._validate_utf8(path)
    assert (bad_at is None) == valid
    assert newlines == data.count(b"\n")


def test_ensure_utf8_replaces_broken_bytes_in_a_copy(tmp_path):
    path = tmp_path / "cdr.csv"
    original = "a,b\n\"Иван\",1\n".encode() + b"x\xff,2\n"
    path.write_bytes(original)
    out = transcode.ensure_utf8(path, "utf-8", tmp_path)
    assert out.transcoded and out.replaced == 1 and out.newlines == 3
    assert out.path.read_text(encoding="utf-8") == "a,b\n\"Иван\",1\nx\ufffd,2\n"
    assert path.read_bytes() == original
