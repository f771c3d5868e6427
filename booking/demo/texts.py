"""What the demo's sample events say: Japanese titles, summaries and descriptions.

chamber.json names the events of the chamber's plan with one line of English facts for us;
the demo shows members natural Japanese instead. A name in the plan may carry the year of
that plan (中小企業マーケットTOKYO2023): the demo dates its events from today on, so such a
name would contradict its own date. Names are shown without a year (`demo_title`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

# A year written into an event's name: 2023, ２０２３, 2023年 (not a longer number).
_YEAR = re.compile(r"\s*(?<![0-9０-９])(?:20|２０)[0-9０-９]{2}(?![0-9０-９])年?")


# Plan names that read as a note to ourselves rather than an event's name.
# The plan's 連続セミナー is the demo's three-session series (booking/demo/events.py); its
# one-session sample is shown as a seminar of its own, so no two events share a name.
TITLES = {
    "ツーリズムEXPOジャパン2022 出展": "ツーリズムEXPOジャパン 区観光協会との共同出展",
    "イノベーション創出連続セミナー": "オープンイノベーション実践セミナー",
}


def demo_title(title: str) -> str:
    """The plan's name without a year of its own, e.g. `中小企業マーケットTOKYO`."""
    title = TITLES.get(title, title)
    return re.sub(r"\s{2,}", " ", _YEAR.sub(" ", title)).strip()


def new_year_party_day(today: date) -> date:
    """A new-year party (賀詞交歓会) is held in the first working days of January: the first
    weekday from 6 January on, this January while that is still ahead, else next January."""
    day = date(today.year if today < date(today.year, 1, 6) else today.year + 1, 1, 6)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def open_day(day: date) -> date:
    """The chamber is closed over the new year (年末年始, 29 December to 3 January): an event
    that would fall then is held on the first weekday after it instead."""
    if (day.month, day.day) >= (12, 29) or (day.month, day.day) <= (1, 3):
        day = date(day.year + (day.month == 12), 1, 4)
        while day.weekday() >= 5:
            day += timedelta(days=1)
    return day


# By the plan's title: (summary, description in Markdown). Summaries are one sentence for
# cards; descriptions are what the event page shows under 内容 (no heading of their own).
TEXTS: dict[str, tuple[str, str]] = {
    "中小企業マーケットTOKYO2023": (
        "約300社が出展する中小企業の展示商談会です。会場とオンラインで開催します。",
        "中小企業の販路開拓を応援する展示商談会です。食品、ものづくり、IT、サービスなど"
        "約300社が出展し、2日間で約1万人の来場を見込んでいます。\n\n"
        "- 出展者と事前に商談を予約できます（出展者一覧から）\n"
        "- 会場にお越しになれない方はオンラインでもご覧いただけます\n"
        "- 入場無料。来場登録をされた方には入場用のQRコードをお送りします",
    ),
    "ツーリズムEXPOジャパン2022 出展": (
        "区の観光協会と共同で、旅行・観光の総合展示会に出展します。",
        "旅行・観光の総合展示会に、各区の観光協会と共同でブースを出展します。"
        "地域の観光資源や名産品を紹介し、旅行会社・観光事業者との商談の機会を設けます。\n\n"
        "共同出展をご希望の会員企業の方は、会場来場のお申し込みとあわせてご相談ください。",
    ),
    "ものづくりゼミナール": (
        "自社製品の開発に取り組む製造業の方のための少人数ゼミナールです。",
        "自社製品の開発・販路開拓に取り組む中小製造業の方を対象に、少人数で学ぶゼミナールです。"
        "商品企画から試作、知的財産、販売戦略まで、専門家の講義と参加者同士の意見交換で進めます。",
    ),
    "大手企業とスタートアップ企業とのオンラインフォーラム": (
        "大手企業とスタートアップ企業の協業を考えるオンラインフォーラムです。",
        "大手企業の新規事業担当者とスタートアップ企業の経営者が、協業の進め方について"
        "事例を交えて話し合います。後半はテーマ別の交流セッションです。",
    ),
    "就職情報交換会（専門学校・専門高校）": (
        "採用をお考えの企業と専門学校・専門高校の先生方との情報交換会です。",
        "専門学校・専門高校の就職指導の先生方と、採用をお考えの会員企業との情報交換会です。"
        "学校ごとの専攻や就職活動の時期、企業が求める人材について直接お話しいただけます。",
    ),
    "女性・外国人等多様な人材の活躍推進シンポジウム": (
        "女性や外国人など多様な人材が活躍する職場づくりを考えるシンポジウムです。",
        "女性や外国人など多様な人材の採用・定着に取り組む企業の事例発表と、"
        "パネルディスカッションを行います。会場とオンラインのどちらでもご参加いただけます。",
    ),
    "しながわBizマッチ": (
        "品川区内の企業同士がオンラインで出会う商談会です。",
        "品川支部が開催するオンライン商談会です。事前に登録いただいた自社の強みや"
        "ニーズをもとに、1社20分程度の商談を組み合わせます。",
    ),
    "渋谷ビジネス交流会": (
        "渋谷区内の会員企業同士で新たな取引先と出会う交流会です。",
        "渋谷支部の会員企業による交流会です。自己紹介タイムのあと、自由にご歓談いただけます。"
        "名刺をお持ちください。",
    ),
    "eco検定受験対策セミナー": (
        "eco検定（環境社会検定試験）の受験対策セミナーです。",
        "eco検定（環境社会検定試験）の出題範囲のポイントを、公式テキストに沿って解説します。"
        "初めて受験される方にもわかりやすい内容です。",
    ),
    "身の丈BCP策定ワークショップ": (
        "小規模企業のための、身の丈に合ったBCP（事業継続計画）づくりのワークショップです。",
        "災害や感染症に備えるBCP（事業継続計画）を、小規模企業でも無理なく作れるよう"
        "ワークシートを使って一緒に作成します。前半は講義、後半はマイ・タイムラインの作成です。",
    ),
    "医療機器関連企業と大学・病院との連携シンポジウム": (
        "医療機器関連企業と大学・病院の連携を考えるシンポジウムです。",
        "医療機器分野への参入や製品開発に関心のある企業と、大学・病院の研究者が"
        "連携の事例を紹介します。講演のあとに情報交換会を行います。",
    ),
    "足立菓子博": (
        "足立区の菓子メーカーが集まる展示・即売会です。",
        "足立区内の和菓子・洋菓子メーカーが一堂に会する展示・即売会です。"
        "新商品の試食や、菓子づくりの実演もご覧いただけます。",
    ),
    "異業種交流会": (
        "業種を超えて新たなつながりをつくる交流会です。",
        "板橋支部の会員企業を中心に、さまざまな業種の経営者が集まる交流会です。"
        "1分間の自社紹介のあと、自由にご歓談いただけます。",
    ),
    "新年賀詞交歓会": (
        "部会の会員企業による新年の賀詞交歓会です。",
        "新年を迎え、部会の会員企業の皆さまが一堂に会する賀詞交歓会です。",
    ),
    "イノベーション創出連続セミナー": (
        "大手企業との協業や新規事業の進め方を、事例から学ぶセミナーです。",
        "新規事業の立ち上げからオープンイノベーションの実践まで、"
        "第一線で活躍する講師が事例を交えて解説します。",
    ),
    "としまイノベーションプランコンテスト": (
        "豊島区内で新しい事業に挑戦する方のビジネスプランコンテストです。",
        "豊島区内で創業・新事業に挑戦する方のビジネスプランを募集し、"
        "最終審査会で発表いただきます。当日は審査会の観覧と交流会にご参加いただけます。",
    ),
}


def texts_for(title: str) -> tuple[str, str]:
    """The sample event's (summary, description); a plain Japanese line when none is written."""
    return TEXTS.get(title, ("東京商工会議所の催しです。", "詳細は決まり次第お知らせします。"))
