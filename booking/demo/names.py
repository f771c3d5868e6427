"""Made-up exhibitor companies for the demo fair: names with furigana, products and PR text.

Deterministic (a seeded Random), so every `demo load` makes the same companies.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# Place and lucky-word stems with their reading.
STEMS = [
    ("大和", "ヤマト"), ("東都", "トウト"), ("丸の内", "マルノウチ"), ("日本橋", "ニホンバシ"),
    ("さくら", "サクラ"), ("富士", "フジ"), ("青葉", "アオバ"), ("城南", "ジョウナン"),
    ("江戸", "エド"), ("隅田", "スミダ"), ("北斗", "ホクト"), ("光", "ヒカリ"),
    ("みどり", "ミドリ"), ("あおい", "アオイ"), ("大江戸", "オオエド"), ("新宿", "シンジュク"),
    ("品川", "シナガワ"), ("葛飾", "カツシカ"), ("足立", "アダチ"), ("浅草", "アサクサ"),
    ("銀座", "ギンザ"), ("神田", "カンダ"), ("本郷", "ホンゴウ"), ("目黒", "メグロ"),
    ("若葉", "ワカバ"), ("朝日", "アサヒ"), ("ひまわり", "ヒマワリ"), ("共栄", "キョウエイ"),
    ("三光", "サンコウ"), ("昭和", "ショウワ"), ("平和", "ヘイワ"), ("誠和", "セイワ"),
    ("協和", "キョウワ"), ("大洋", "タイヨウ"), ("明星", "ミョウジョウ"), ("東洋", "トウヨウ"),
    ("中央", "チュウオウ"), ("武蔵野", "ムサシノ"), ("多摩", "タマ"), ("月島", "ツキシマ"),
    ("両国", "リョウゴク"), ("蔵前", "クラマエ"), ("高輪", "タカナワ"), ("深川", "フカガワ"),
]  # fmt: skip

# Per section (the chamber's 部会): business-word suffixes and what such companies show.
TRADES = {
    "commerce": ([("商店", "ショウテン"), ("食品", "ショクヒン"), ("商事", "ショウジ")],
                 ["老舗の和菓子", "地元野菜の加工品", "ギフト向け詰め合わせ", "無添加の調味料"]),
    "wholesale": ([("物産", "ブッサン"), ("商会", "ショウカイ"), ("産業", "サンギョウ")],
                  ["業務用食材の卸", "日用品の共同仕入れ", "地方の特産品", "包装資材"]),
    "trade": ([("貿易", "ボウエキ"), ("インターナショナル", "インターナショナル")],
              ["輸出入の代行", "海外向けEC支援", "アジア向け販路開拓", "輸入雑貨"]),
    "transport": ([("運輸", "ウンユ"), ("ロジスティクス", "ロジスティクス"), ("急送", "キュウソウ")],
                  ["小口配送", "倉庫管理システム", "冷凍・冷蔵輸送", "引越しサービス"]),
    "services": ([("サービス", "サービス"), ("企画", "キカク"), ("デザイン", "デザイン")],
                 ["販促物のデザイン", "清掃・設備管理", "人材育成研修", "イベント運営"]),
    "industry": ([("精工", "セイコウ"), ("製作所", "セイサクショ"), ("金属", "キンゾク"), ("工業", "コウギョウ")],
                 ["精密部品の試作", "金属加工", "樹脂成形", "検査治具", "産業用ロボットの導入支援"]),
    "energy": ([("エネルギー", "エネルギー"), ("電機", "デンキ"), ("電設", "デンセツ")],
               ["太陽光発電システム", "省エネ診断", "LED照明への更新", "蓄電池"]),
    "finance": ([("リース", "リース"), ("保険サービス", "ホケンサービス"), ("キャピタル", "キャピタル")],
                ["設備リース", "事業承継の相談", "損害保険", "資金調達の支援"]),
    "construction": ([("建設", "ケンセツ"), ("工務店", "コウムテン"), ("不動産", "フドウサン")],
                     ["店舗の内装", "耐震改修", "オフィス仲介", "住宅リフォーム"]),
    "ict": ([("システムズ", "システムズ"), ("ソフト", "ソフト"), ("情報システム", "ジョウホウシステム"),
             ("テック", "テック")],
            ["クラウド会計の導入", "業務アプリの開発", "セキュリティ診断", "ホームページ制作", "生成AIの活用支援"]),
}  # fmt: skip

FORMS = ["株式会社{}", "{}株式会社", "有限会社{}", "合同会社{}"]
PITCH = [
    "創業{year}年。{p1}を中心に、都内の中小企業を支えてきました。",
    "{p1}と{p2}を一社でご提供します。小ロット・短納期のご相談も歓迎です。",
    "当日は{p1}の事例をパネルでご紹介します。お気軽にブースへお立ち寄りください。",
    "{p1}の専門スタッフがご説明します。{p2}についてもご相談ください。",
]


@dataclass
class DemoCompany:
    name: str
    kana: str  # without the legal form, as directories sort them
    section: str
    products: list[str]
    pr_text: str


def companies(sections: list[str], n: int, seed: str = "tsunagu-fair") -> list[DemoCompany]:
    """`n` distinct companies; company i belongs to `sections[i % len(sections)]`."""
    rng = random.Random(seed)
    seen: set[str] = set()
    made = []
    for i in range(n):
        section = sections[i % len(sections)]
        suffixes, goods = TRADES[section]
        while True:
            (stem, stem_kana), (word, word_kana) = rng.choice(STEMS), rng.choice(suffixes)
            base = stem + word
            if base not in seen:
                break
        seen.add(base)
        products = rng.sample(goods, 2)
        text = rng.choice(PITCH).format(
            year=rng.randint(1950, 2018), p1=products[0], p2=products[1]
        )
        made.append(DemoCompany(rng.choice(FORMS).format(base), stem_kana + word_kana, section,
                                products, text))  # fmt: skip
    return made
