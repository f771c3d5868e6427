from datetime import UTC, datetime

from booking.timefmt import format_deadline, format_when, parse_local


def test_japanese_date_and_time_range(app):
    start = datetime(2022, 6, 1, 5, 0, tzinfo=UTC)  # 14:00 in Tokyo
    end = datetime(2022, 6, 1, 7, 0, tzinfo=UTC)
    assert format_when(start, end, "ja") == "2022年6月1日(水) 14:00〜16:00"


def test_english_date_and_time_range(app):
    start = datetime(2022, 6, 1, 5, 0, tzinfo=UTC)
    end = datetime(2022, 6, 1, 7, 0, tzinfo=UTC)
    assert format_when(start, end, "en") == "Wed, 1 June 2022 14:00–16:00"


def test_a_range_over_midnight_names_both_days(app):
    start = datetime(2022, 6, 1, 12, 0, tzinfo=UTC)  # 21:00 Tokyo
    end = datetime(2022, 6, 1, 16, 0, tzinfo=UTC)  # 01:00 next day
    assert format_when(start, end, "ja") == "2022年6月1日(水) 21:00〜2022年6月2日(木) 01:00"


def test_naive_times_from_sqlite_are_read_as_utc(app):
    assert format_when(datetime(2022, 6, 1, 5, 0), None, "ja") == "2022年6月1日(水) 14:00"


def test_deadline_format(app):
    assert format_deadline(datetime(2022, 5, 31, 8, 0, tzinfo=UTC), "ja") == "5月31日(火) 17:00"


def test_times_without_offset_are_tokyo_time(app):
    assert parse_local("2022-06-01T14:00") == datetime(2022, 6, 1, 5, 0, tzinfo=UTC)
    assert parse_local("2022-06-01T14:00+00:00") == datetime(2022, 6, 1, 14, 0, tzinfo=UTC)


def test_reminder_offsets_read_as_words_not_iso_8601():
    from booking.timefmt import offset_words

    assert offset_words("P3D", "ja") == "3日" and offset_words("P3D", "en") == "3 days"
    assert offset_words("PT1H30M", "ja") == "1時間30分"
    assert offset_words("PT1H", "en") == "1 hour"
    assert offset_words("P1DT2H", "en") == "1 day 2 hours"
    assert offset_words("P1W", "ja") == "1週間"
    assert offset_words("soon", "en") == "soon"  # not an offset: as written
