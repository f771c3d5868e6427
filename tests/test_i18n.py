from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from config import ROOT


def test_every_message_has_an_english_translation():
    with open(ROOT / "booking/translations/en/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f, locale="en")
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    method_map = [("booking/**.py", "python"), ("templates/**.html", "jinja2"),
                  ("templates/**.txt", "jinja2")]  # fmt: skip
    keywords = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}
    missing = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(ROOT), method_map, keywords=keywords
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid and msgid not in translated:
            missing.add(msgid)
    assert not missing, "untranslated (run `make translations`):\n" + "\n".join(sorted(missing))


def test_switching_to_english_is_remembered_by_the_browser(client):
    response = client.post("/lang/en", data={"next": "/account/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/account/login"
    html = client.get("/account/login").get_data(as_text=True)
    assert '<html lang="en">' in html and "Sign in" in html
    client.post("/lang/ja", data={"next": "/"})
    assert '<html lang="ja">' in client.get("/").get_data(as_text=True)


def test_a_signed_in_persons_language_is_kept_on_the_account(member_client, member):
    member_client.post("/lang/en", data={"next": "/"})
    assert member.locale == "en"


def test_the_language_switch_never_redirects_off_site(client):
    response = client.post("/lang/en", data={"next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_an_unknown_language_falls_back_to_japanese(client):
    client.post("/lang/xx", data={"next": "/"})
    assert '<html lang="ja">' in client.get("/").get_data(as_text=True)


def test_english_mail_for_an_english_speaker(client, make_user, sent_mail):
    user = make_user("member")
    user.locale = "en"
    client.post("/account/reset", data={"email": user.email})
    [mail] = sent_mail()
    assert mail["Subject"] == "【Tokyo Chamber of Commerce】Resetting your password"
    assert "Dear" in mail.get_body(("plain",)).get_content()
