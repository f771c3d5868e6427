"""English names of the chamber's reference data, for English mode.

chamber.json names units, themes and channels in Japanese only. The demo adds an English
name to each entry that has none (`with_english_names`); a structure file that carries its own
`name_en` keeps it.
"""

from __future__ import annotations

import copy

SECTIONS = {
    "commerce": "Commerce Section", "wholesale": "Wholesale Section", "trade": "Trade Section",
    "transport": "Transport Section", "services": "Services Section",
    "industry": "Industry Section", "energy": "Resources and Energy Section",
    "finance": "Finance Section", "construction": "Construction and Real Estate Section",
    "ict": "Information and Communications Section",
}  # fmt: skip

COMMITTEES = {
    "総合政策委員会": "General Policy Committee",
    "事業・会員サービス向上委員会": "Member Services Committee",
    "労働委員会": "Labour Committee",
    "教育・人材育成委員会": "Education and Human Resources Committee",
    "事業承継対策委員会": "Business Succession Committee",
    "国際経済委員会": "International Economy Committee",
    "エネルギー・環境委員会": "Energy and Environment Committee",
    "知的財産戦略委員会": "Intellectual Property Committee",
    "災害対策委員会": "Disaster Preparedness Committee",
    "ものづくり推進委員会": "Manufacturing Committee",
    "中小企業のデジタルシフト推進委員会": "SME Digital Shift Committee",
    "東京の将来を考える懇談会": "Future of Tokyo Round Table",
    "組織委員会": "Organisation Committee",
    "税制委員会": "Taxation Committee",
    "多様な人材活躍委員会": "Diversity and Inclusion Committee",
    "中小企業委員会": "Small and Medium Enterprises Committee",
    "新事業・イノベーション創出委員会": "New Business and Innovation Committee",
    "社会保障委員会": "Social Security Committee",
    "経済法規委員会": "Economic Law Committee",
    "首都圏問題委員会": "Greater Tokyo Committee",
    "観光委員会": "Tourism Committee",
    "流通・サービス委員会": "Distribution and Services Committee",
    "健康づくり・スポーツ振興委員会": "Health and Sports Committee",
}

GROUPS = {"womens": "Women's Association", "yeg": "Young Entrepreneurs Group"}

THEMES = {
    "management": "Management", "succession": "Business succession", "startup": "Starting a business",
    "digital": "Digital shift and IT", "bcp": "Business continuity planning (BCP)",
    "finance": "Financing and Marukei loans", "subsidy": "Subsidies and grants",
    "turnaround": "Business turnaround", "overseas": "Overseas expansion",
    "hr": "Hiring and labour", "ip": "Intellectual property",
}  # fmt: skip

CHANNELS = {"branch": "At a branch office", "online": "Online", "phone": "By phone"}

# Zones of the demo fair, by their Japanese name (booking/demo/exhibitions.py).
ZONES = {
    "食品・商業": "Food and Commerce", "ものづくり・エネルギー": "Manufacturing and Energy",
    "IT・情報通信": "IT and Communications", "サービス・物流": "Services and Logistics",
    "建設・不動産": "Construction and Real Estate", "金融・貿易": "Finance and Trade",
}  # fmt: skip

HQ = "Headquarters"


def branch_name_en(slug: str) -> str:
    """`shibuya` → `Shibuya Branch` (branches are named after their ward)."""
    return f"{slug.capitalize()} Branch"


def with_english_names(data: dict) -> dict:
    """A copy of chamber.json's data where every unit, theme and channel has a `name_en` (and
    every theme its intake example in both languages)."""
    data = copy.deepcopy(data)
    data.setdefault("hq", {}).setdefault("name_en", HQ)
    for b in data.get("branches", []):
        b.setdefault("name_en", branch_name_en(b["slug"]))
    for kind, names, key in (("sections", SECTIONS, "slug"), ("committees", COMMITTEES, "name"),
                             ("groups", GROUPS, "slug"), ("consultation_themes", THEMES, "slug"),
                             ("consultation_channels", CHANNELS, "slug")):  # fmt: skip
        for row in data.get(kind, []):
            if row.get(key) in names:
                row.setdefault("name_en", names[row[key]])
    for row in data.get("consultation_themes", []):
        row.setdefault("intake_hint", INTAKE_HINTS.get(row["slug"], ""))
        row.setdefault("intake_hint_en", INTAKE_HINTS_EN.get(row["slug"], ""))
    return data


# What the intake page suggests writing, per theme (the demo's; staff edit them per theme).
INTAKE_HINTS = {
    "management": "例：売上が伸び悩んでおり、販路の見直しについて相談したい",
    "succession": "例：5年以内に長男へ事業を引き継ぎたい。株式の移し方と税金が心配",
    "startup": "例：来春に飲食店を開業予定。創業融資と開業届の手順を知りたい",
    "digital": "例：受発注をFAXから切り替えたい。使えるクラウドサービスを知りたい",
    "bcp": "例：地震で工場が止まったときの代替生産と連絡体制を整えたい",
    "finance": "例：設備更新に約800万円。マル経融資の条件と必要書類を知りたい",
    "subsidy": "例：ものづくり補助金の申請を検討中。事業計画の書き方を見てほしい",
    "turnaround": "例：借入の返済が厳しくなってきた。金融機関との交渉の進め方を知りたい",
    "overseas": "例：台湾の小売店から引き合いがあり、輸出の手続きと代金回収が不安",
    "hr": "例：パート社員の社会保険の加入条件と就業規則の見直しについて",
    "ip": "例：自社ブランドの商標登録をしたい。出願の手順と費用を知りたい",
}

INTAKE_HINTS_EN = {
    "management": "e.g. Sales have stalled and I would like to rethink our sales channels",
    "succession": (
        "e.g. I want to hand the business to my eldest son within five years; "
        "I am unsure how to transfer the shares and what the taxes will be"
    ),
    "startup": (
        "e.g. I plan to open a restaurant next spring and want to know about start-up loans "
        "and how to register the business"
    ),
    "digital": "e.g. We want to take orders without fax; which cloud services could we use?",
    "bcp": (
        "e.g. We want a plan for producing elsewhere and staying in touch if an earthquake "
        "stops our factory"
    ),
    "finance": (
        "e.g. Replacing equipment costs about 8 million yen; what are the terms of a Marukei "
        "loan and which documents are needed?"
    ),
    "subsidy": (
        "e.g. We are considering the Monozukuri subsidy and would like our business plan reviewed"
    ),
    "turnaround": (
        "e.g. Repaying our loans is getting hard; how should we negotiate with the banks?"
    ),
    "overseas": (
        "e.g. A retailer in Taiwan has enquired; I am worried about export procedures and "
        "getting paid"
    ),
    "hr": "e.g. Social insurance for part-time staff, and reviewing our work rules",
    "ip": "e.g. We want to register a trademark for our own brand; what are the steps and costs?",
}
