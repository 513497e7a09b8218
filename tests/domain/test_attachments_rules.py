import pytest

from domain.attachments.rules import UploadLimits, check_upload, safe_name, sniff
from domain.errors import ErrorCode, RuleViolation

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 12
PDF = b"%PDF-1.7\n" + b"\x00" * 7
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 "
EXE = b"MZ\x90\x00" + b"\x00" * 12
LIMITS = UploadLimits(max_bytes=1000)


@pytest.mark.parametrize(("_case", "head", "expected"), [
    ("png", PNG, "image/png"), ("jpeg", JPEG, "image/jpeg"), ("pdf", PDF, "application/pdf"),
    ("webp", WEBP, "image/webp"), ("windows executable", EXE, None), ("html", b"<html><script>", None),
])
def test_the_content_decides_the_type(_case, head, expected):
    assert sniff(head) == expected


@pytest.mark.parametrize(("_case", "declared", "stored"), [
    ("matching label", "image/png", "image/png"),
    ("no label", None, "image/png"),
    ("generic label", "application/octet-stream", "image/png"),
    ("label with parameters and case", "IMAGE/PNG; charset=binary", "image/png"),
])
def test_an_honest_or_missing_label_is_accepted(_case, declared, stored):
    assert check_upload(size=500, declared_type=declared, head=PNG, limits=LIMITS) == stored


@pytest.mark.parametrize(("_case", "size", "declared", "head", "code"), [
    ("one byte over the limit", 1001, "image/png", PNG, ErrorCode.UPLOAD_TOO_LARGE),
    ("empty", 0, "image/png", b"", ErrorCode.UPLOAD_TYPE_NOT_ALLOWED),
    ("an executable", 500, "application/octet-stream", EXE, ErrorCode.UPLOAD_TYPE_NOT_ALLOWED),
    ("an executable labelled as a photo", 500, "image/jpeg", EXE, ErrorCode.UPLOAD_TYPE_NOT_ALLOWED),
    ("a pdf labelled as a photo", 500, "image/jpeg", PDF, ErrorCode.UPLOAD_TYPE_MISMATCH),
])
def test_refusals_are_typed(_case, size, declared, head, code):
    with pytest.raises(RuleViolation) as refused:
        check_upload(size=size, declared_type=declared, head=head, limits=LIMITS)

    assert refused.value.code == code
    assert refused.value.field == ("file",)


def test_a_type_outside_the_allowed_set_is_refused_even_if_recognised():
    with pytest.raises(RuleViolation) as refused:
        check_upload(size=10, declared_type=None, head=PDF, limits=UploadLimits(allowed_types=frozenset({"image/png"})))

    assert refused.value.code == ErrorCode.UPLOAD_TYPE_NOT_ALLOWED


@pytest.mark.parametrize(("_case", "name", "shown"), [
    ("plain", "收据.pdf", "收据.pdf"), ("a path", "../../etc/passwd", "passwd"), ("windows path", "C:\\a\\b.png", "b.png"),
    ("control characters", "a\x00b\n.png", "ab.png"), ("nothing", None, "attachment"),
])
def test_the_client_file_name_is_only_a_label(_case, name, shown):
    assert safe_name(name) == shown
