from tests.conftest import login


def test_five_failures_a_minute_lock_that_account_from_that_address(client, member):
    for _ in range(5):
        assert login(client, member, "wrong").status_code == 401
    response = login(client, member, "wrong")
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "1分ほど待ってから" in page
    # Nothing typed is wrong: the summary says the sign-in could not go ahead, not "check".
    assert "お手続きを完了できませんでした" in page
    assert "入力内容を確認してください" not in page
    # Even the right password waits: otherwise the limit would leak which guess was right.
    assert login(client, member).status_code == 429


def test_the_limit_is_per_account_not_per_address(client, member, make_user):
    other = make_user("member")
    for _ in range(6):
        login(client, member, "wrong")
    assert login(client, other).status_code == 302


def test_successful_sign_ins_do_not_count(client, member):
    for _ in range(8):
        assert login(client, member).status_code == 302
        client.post("/account/logout")


def test_the_throttled_page_in_english_says_it_could_not_go_ahead(client, member):
    client.set_cookie("lang", "en")
    for _ in range(5):
        login(client, member, "wrong")
    page = login(client, member, "wrong").get_data(as_text=True)
    assert "We could not complete this" in page
    assert "Please check" not in page
