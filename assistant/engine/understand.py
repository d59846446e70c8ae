"""Recognising subjects, indicators, years and the operation in a Chinese question.

Names and indicator words come from the lexicon (documents + corpus data file); the words for
operations and time are ordinary Chinese, the same for every plan.
"""

from __future__ import annotations

import itertools
import re

from assistant.engine.abbreviations import CHINESE
from assistant.engine.clauses import FIVE_YEAR_PERIOD, LISTED, TOPIC_MARKER, asking_clause, clauses, questioned_clauses, without_asker_scene
from assistant.engine.intent import ChangeKind, Direction, Intent, Operation, Period
from assistant.engine.meaning import LISTED_MARGIN, LISTED_SHARED_RUN, IndicatorMeaning
from assistant.engine.measures import PER_AREA, PREVIOUS_YEAR, asked_measures
from assistant.engine.names import MASK, NAMED_WORD, AliasMatcher, in_order
from assistant.lexicon import Lexicon
from assistant.quantities import AREA, asked_unit, kindred, unit_dimension
from assistant.tokenizer import EVERYDAY_SHARE, SPEECH_FLAGS, PlanTokenizer

FIVE_YEAR_PLANS = {"十一五": 2010, "十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030}
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
SHORT_YEAR = re.compile(r"(?<![\d.近来去多几前后第每约])([12]\d)年(?![代间来内前后])")  # 20年底 is 2020, not twenty years
CENTURY = 2000
# the plan speaks from the year after its latest actuals: 去年 is that latest year, whatever it is
RELATIVE_YEAR = re.compile(r"(今年|明年|前年|后年)")
PLANNED_WORDS = re.compile(r"(目标|计划|预期|预计|原定|(?<![认确规制决鉴指])定的)")  # 认定的 says who is counted, not a target
NOW_WORDS = re.compile(r"(现在|目前|当前|眼下|现阶段|现状|去年|上一年|近几年|近年来|最近一年)")  # the plan's latest actual figures
TARGET_WORDS = re.compile(r"(目标|预计|计划|预期|规划到|要达到|达到多少|到期末|期末)")
MAX_WORDS = re.compile(
    r"(最多|最大|最高|最强|最领先|排第一|第一名|更多|更高|更大|多一些|高一些|大一些|还多|还高|还大|超过|超没超过|超出|高于|多于|大于)"
)
MIN_WORDS = re.compile(r"(最少|最小|最低|最弱|垫底|倒数第一|更少|更低|更小|少一些|低一些|小一些|还少|还低|还小|不如|低于|少于|小于|不到)")
RANK_WORDS = re.compile(r"(排名|排序|排行|名次|从高到低|从大到小|从多到少)")
# a wish to compare: with one named subject, the other side is the asker's own (想跟我们的园区对比一下)
COMPARE_WISH = re.compile(r"(比一下|比较一下|对比一下|比一比|比比)")
WHICH = re.compile(r"(哪个|哪家|哪一个|哪一家|哪边|哪里|谁)")
WHICH_WAY = re.compile(  # 哪个项目投资大 / 谁的税收低: a clause asking which ends on the way compared (多少, 多大 ask amounts)
    r"(哪个|哪一个|哪家|哪一家|谁)[^，,。；;？?！!]{0,10}?(?<!多)(?P<way>[多高大少低小])(一点|一些|些)?(呢|啊)?(?=[，,。；;？?！!]|$)"
)
CHANGE_COMPARED = re.compile(  # 增加得多 asks how much more in amount, not which grew faster
    r"(增长|增速|增幅|增得|涨得?|提升|提高)(?:得|率)?[^，,。？?]{0,3}?(?:更|要|比较|最)?(?P<way>快|慢|大|小|高|低)"
)
SLOWER = "慢小低"
MIN_HEAD_CHARS = 2
COMPARED_BY = re.compile(
    r"(增长|增速|增幅)[^，,。？?]{0,12}比(?!较|例|重|上一?年|去年|前一年)"
)  # 甲的增速比乙(的增速)高: one change set against the other
YEAR_ON_YEAR = re.compile(r"同比|上一?年|去年|前一年")  # a change the prose states beside its figure
SET_AGAINST = re.compile(r"(比怎么样|比如何|比较一下|对比一下|相比怎么样|比一比|比起来|\bvs\b|PK)", re.IGNORECASE)
TWO_WAY = re.compile(r"(多|高|大|少|低|小)")
MORE_WAY = "多高大"
MARKED_END = re.compile(f"({TOPIC_MARKER})$")
PRICE_ASKED = re.compile(r"多少钱|几块钱|价(?!值)")  # what something costs, not how many 万 of a figure (价值链 prices nothing)
SHARE_WORD = re.compile(r"占|比重|份额")
SUM_WORDS = re.compile(r"(一共|总共|合计|加起来|加在一起|加一起|加一块|加到一起|总和|之和|总计|共计|累计)")
DIFFERENCE_WORDS = re.compile(
    r"(多出|多多少|少多少|差距|相差|差多少|差了多少|差了几|净增|增加多少|增加了多少|增加几|新增多少|新增几|多几|少几|高出|低多少|增量|要增加|增长多少[亿万家个件人]|多[收赚卖招产交缴挣拿做长]了?(多少|几))"  # 多收多少: how much more
)
COMPARATIVE_AMOUNT = re.compile(r"比.{1,12}(多|少|高|低)(多少|几)")
CAGR_WORDS = re.compile(r"(年均|每年平均|平均每年)")
# a rise asked as a part of the base (高出百分之多少, 多几成): growth, whatever comparative verb says it
RELATIVE_RISE = re.compile(r"(涨|增长|增加|提高|提升|上升|高出|多出|超出|高|多)了?(百分之|多少个?百分(?!点)|百分(?!点)|几成|多少%|几%)")
GROWTH_WORDS = re.compile(rf"(涨多少|涨了多少|涨幅|增长率|增幅|增速|增长多少|百分之几|{RELATIVE_RISE.pattern})")
RATIO_WORDS = re.compile(r"(几倍|多少倍|倍数|几分之几|是.{1,20}的多少|的(百分之几|百分之多少|几成)|利润率|比率|比值)")
SHARE_WORDS = re.compile(r"(占比|比重|占(?!地).{0,16}(比例|百分之|多少|几成|几个点|份额|份量|分量)|份额)")
PER_UNIT_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("平方公里", re.compile(r"(每平方公里|地均|单位面积|每平方千米|(?<![\d.])[一1]平方(?:公里|千米)(?![以左多的地]))")),
    ("亩", re.compile(r"(亩均|每亩|(?<![\d.])[一1]亩地?(?![以左多的]))")),
    ("人", re.compile(r"(人均|每人|每个人|每名员工|每位员工|每个员工)")),
)
DENSITY_WORDS = re.compile("|".join(pattern.pattern for _, pattern in PER_UNIT_WORDS))
LIST_WORDS = re.compile(
    r"(哪些|哪几|有哪|包括哪|包含哪|列举|列一下|列出|罗列|列个|几个部分|几类|几大|哪三|哪四|哪五|哪六|哪两"
    r"|[两二三四五六七八九十\d]+[个项条大类].{0,16}(分别|各自|都)(是|叫|指)(什么|啥|哪))"  # 三个方向分别是什么: the items counted
)
ALL_SUBPARKS = re.compile(
    r"(各子园|各个子园|各园区|各分园|所有子园|全部子园|[两二三四五六七八九十\d]+个(子园|分园|园区|部分|板块|区块)|各部分|子园|各板块|哪个园|哪个子|各区块|分园)"
)
PLURAL_REFERENCE = re.compile(r"(两个|这两|二者|两者|它们|他们|这几个|两家|两园)")
PRONOUN = re.compile(r"^(那|那么|还有|另外)?(它|他|她|其|该园|这个园|那个园|这里|那里)?")
AMOUNT_EITHER = "多不多|大不大|高不高|少不少|(?:不|很|挺|蛮|太)[大小高低多少]吧"  # how much, asked as yes or no (占地不大吧: a guess put to be confirmed)
FIGURES_WORD = r"(?<!大)数据(?!中心|库|要素|资源|产业|平台|交易|安全|治理|流通|机房)"  # 数据中心 asks no figures
QUANTITY_WORDS = re.compile(
    rf"(多少|(?<!哪)几(?![年天月个]?[后内前])[个家件位名项所倍成]?|多大|多高|多重|{AMOUNT_EITHER}|数量|规模|{FIGURES_WORD}|数值|是多|有多|达到|目标|预计|比例|占比|比重|份额|排名|金额|总额|合计|指标)"
)
RESIDUE = re.compile(r"[\0\s的呢吗了是有为和与及,，。?？!！、]")
ELLIPSIS_END = re.compile(r"(呢|的呢|怎么样|如何)[？?。!！]*$")
PLACE = re.compile(
    r"([\u4e00-\u9fffA-Za-z0-9]{2,12}?(?:科技园|产业园|工业园|创业园|科创园|开发区|高新区|科技城|产业基地|基地|工业区|园区|谷|新城|村|园))"
)
PLACE_BREAK = re.compile(
    r"方面|这块|那块|这边|那边|怎么|如何|什么|听说|想问|请问|我们|我司|咱们|老|(?<![A-Za-z\d])\d+|[的是和与或在里对从把被跟同及年到有比、,，。?？!！\s]|"
    + FIVE_YEAR_PERIOD
    + "|期间|时期|年底|年末"
)
MIN_PARAPHRASE_CHARS = 4
SPOKEN_PLACE = re.compile(r"([\u4e00-\u9fff]{2,6}?)(那边|这边|那里|这里|那儿|这儿|那块|那一带|一带)")  # 湖光那边
SPOKEN_FILLER = re.compile(
    r"(?<=[\u4e00-\u9fffA-Za-z\d])((边上|旁边|附近|周边)(的|那个|这个)?|那个|这个|那边的|这边的)(?=[\u4e00-\u9fff])"
)  # 湖畔边上那个科技园
PLACE_SUFFIX = re.compile(r"(科技园|产业园|工业园|创业园|科创园|开发区|高新区|科技城|产业基地|基地|工业区|园区|谷|新城|村|园)$")
COMMON_TAGS = frozenset({"n", "vn", "v", "a", "an", "ad", "d", "c", "r", "p", "u", "f"})  # jieba's tags of common words
GENERIC_NAME = re.compile(r"[哪各每几最个该本这那全所其子啥么]")
MAX_NAME_HEAD_USES = 5  # a name's head is rare in the plan; 生产 of 生产基地 is written everywhere
MIN_ABBREVIATION_HEAD = 2
MIN_SHARE_PARTS = 2
PLACE_ENDINGS = frozenset("区园城港谷")
MIN_PLACE_CHARS = 4
MAX_PLACE_CHARS = 20
PLACE_SIZE = re.compile(r"\0(总共|一共|总体|整体|大概|大约|到底|究竟)?(有)?(占地)?多大")  # a place named, then how big it is
OCCUPIED_SIZE = re.compile(r"占地(面积)?(有)?多(大|少)")
GROUND_SIZE = re.compile(r"(?<![基占])地盘?(有)?多大|地盘(有)?多少")  # everyday for the ground a place governs
SIZE_WORDS = re.compile(r"(最大|最小|更大|更小|大一些|小一些|(哪个|哪一个|谁)(比较)?[大小])")
SHARE_OF = "占"
MAX_MODIFIER_CHARS = 4
MIN_MODIFIER_CHARS = 2  # one character (区 of 园区) is too little to name a longer indicator
CJK_RUN_END = re.compile(r"[\u4e00-\u9fff]+$")
TIME_BETWEEN = re.compile(rf"(到|至|在)?(\d{{2,4}}年?|{FIVE_YEAR_PERIOD})(底|末|期末|期间)?(的|目标)?$")
NAME_RUN = r"[\u4e00-\u9fffA-Za-z0-9]{0,14}?"  # the rest of a place's name, up to its place character
SPEECH_SHARE = 1e-5  # a word this common is the asker's speech, not part of a place's name (腾飞, 启迪 are rarer)
DESCRIBED_PLACE = re.compile(r"^(国家级|省级|市级|区级|全国|首个|首批|一批|大型|新型|特色|综合|专业)")
WHEN_WORDS = re.compile(r"(什么时候|何时|哪年|哪一年|几月|哪天|多久|时间表)")
POINTS_BACK = re.compile(r"(它|那边|那里|这边|这里|里面|该园|这个园|那个园|园区里|园里|园区内)")
EVERY_YEAR = re.compile(r"(两个年份|两个年|两年|各年|历年|每一年)")
ASKS_WHAT = re.compile(r"(哪里|在哪|哪儿|什么地方|啥地方|位置|是什么|是啥|干什么|干嘛|做什么|为什么|有哪些|哪几)")
HOW_MANY_PEOPLE = re.compile(r"(多少|几)[个名位]?人")
ASKS_WHETHER = re.compile(r"(有没有|有无|是否|哪些|什么(?!时候)|啥(?!时候)|怎么|如何|吗)")
WHETHER = re.compile(r"(是不是|是否|会不会)(已经|还在|在|被|要)?")  # 有没有X的Y asks about Y, not X
SAYS_WORDS = re.compile(
    r"(怎么|咋)(写|说|讲)|(写|说)了(什么|啥)"
)  # 营收这些规划咋说的: what the plan states of an indicator is its figures
NUMBER_WORDS = re.compile(r"(多少|(?<!哪)几[个家件位名项所倍成]?|多大|多高|是多|有多|百分之|占比|比重|比例|排名|第几)")
REASON_WORDS = re.compile(r"(为什么|为啥|为何|原因|怎么回事|差在哪|问题在哪|短板|瓶颈)")
AMOUNT_WORDS = re.compile(
    r"(多少钱|几块钱|多少块|多少万|多少元|几万|补多少|奖多少|给多少|拿多少|金额|额度|标准(?:是|一样|相同|不同)|什么标准|多少一)"
)
SUPPORT_WORDS = re.compile(r"(补贴|奖励|奖补|扶持资金|资助|补助|优惠|减免|贴息)")
MEASURE_WORDS = re.compile(
    r"(举措|措施|机制|保障|政策|思路|设想|怎么做|怎么办|怎么支持|如何|打算|准备|方向|支持|扶持|计划|规划了|要做|发展哪些|发展什么|定位|有哪些方面|哪几方面|动作|安排|部署|怎么搞|怎么弄|做什么|做些什么|做哪些|抓手|手段|办法|做法|招数|路径|什么招|啥招|怎么写|怎么说|怎么讲|咋说|咋写|(哪些|什么|啥|哪种)服务|写了什么|说了什么|写了啥|说了啥|(怎么|如何|咋)(往上|才能)?(提|增|扩|做大|实现|达到|完成|突破|推进|落实))"
)
INTENT_WORDS = frozenset({"打算", "准备", "计划"})  # as a verb before an amount: 打算设多大, 计划投多少
INTENDED_AMOUNT = re.compile(r"[^，,。？?；;]{0,4}?(多少|多大|几(?!个?(?:方面|条|项|步|点|类|种|大)))")  # 从几个方面: measures
BACK_TO_TOPIC = re.compile(r"^(?:那么?|还有|另外)?到?(?:\d{4}年)?(?:这块|这一块|这方面)")  # 到2025年这块…: nothing of its own before it
PROCEDURE_WORDS = re.compile(r"(怎么|如何|咋)(申请|申报|报名|办理)|(申请|申报)(条件|流程|程序|方式|渠道)|找谁(申请|办)")
NAMED_INSIDE = re.compile(r"里|中|内")  # 某计划里: inside a named thing
NAME_HEAD = 2  # the characters before a measure word that make it a name (甲乙计划)
PART_BREAK = re.compile(r"[？?！!；;。]+|\s+|[,，](?=哪[几些个一])")  # ，哪几个…: a second question
SENTENCE_BREAK = re.compile(r"([？?！!；;。]+)")
QUESTION_MARK = re.compile(r"[？?]")
REFERS_BACK = re.compile(r"(这个|这些|这块|这方面|这种|这类|这样|此|上述)")
ASKS_SOMETHING = re.compile(
    r"(吗|呢|多少|几|哪|什么|啥|怎么|怎样|如何|是否|是不是|有没有|多大|多高|多长|咋|谁|"
    rf"{AMOUNT_EITHER}"
    r"|给我|列一下|列出|说一下|说说|讲一下|讲讲|告诉我|介绍一下|查一下|查查)"  # a request asks too (面积、产值给我一下)
)
MIN_PART_CHARS = 3
TOPIC_SAYING_TAGS = frozenset("vad")  # what a clause of names must lack: verbs, adjectives, adverbs (和 joins names)
SAYING_TAGS = frozenset("vadcp")  # jieba's verbs, adjectives, adverbs, conjunctions, prepositions: a clause that says something
SCENE_MARK = "\n"  # between a part's scene (context for finding text) and its question (what is understood)
MAX_RECONSIDERED = 2  # two indicator words may together name one indicator (出口 + 营收 → 出口额占营收比例)
SPECIFIC_OCCURRENCES = 12  # a word the plan writes this often or less says what a question is about
OVERVIEW_WORDS = re.compile(r"(情况|概况|介绍|简介|怎么样|如何|数据|指标|是(?:做|干|搞)(?:什么|啥)|(?:做|干|搞)些?(?:什么|啥)的)")
AVERAGE_WORDS = re.compile(r"(平均|均值|人均|每[个家年])")
RESULT_FORM_WORDS = re.compile(
    r"((换算|折算|折合|转换|写)成?|用|按|以)?(百分比|百分数|小数|分数)(表示|来算|算)?"
)  # how the result is written
OPERATION_VOCABULARY = (
    YEAR,
    SHORT_YEAR,
    RELATIVE_YEAR,
    TARGET_WORDS,
    MAX_WORDS,
    MIN_WORDS,
    RANK_WORDS,
    COMPARE_WISH,
    WHICH,
    SUM_WORDS,
    DIFFERENCE_WORDS,
    CAGR_WORDS,
    GROWTH_WORDS,
    RATIO_WORDS,
    SHARE_WORDS,
    DENSITY_WORDS,
    LIST_WORDS,
    ALL_SUBPARKS,
    PLURAL_REFERENCE,
    QUANTITY_WORDS,
    AVERAGE_WORDS,
    RESULT_FORM_WORDS,
    MEASURE_WORDS,
    re.compile("|".join(FIVE_YEAR_PLANS)),
    re.compile(rf"{PREVIOUS_YEAR}|同比|上年|(?<![A-Za-z\d])\d+(?![A-Za-z\d])|比"),  # 5G and A1 are names, not figures
)


def _without(text: str, places: list[str]) -> str:
    """The text less masked names and the places given."""
    text = text.replace(MASK, " ")
    for place in places:
        text = text.replace(place, " ")
    return text


def _after_scene(text: str) -> str:
    """One question after sentences that only set the scene (我们是做物流的。园区有啥政策？): the
    scene marked off, so that what is asked is read from the question alone."""
    pieces = SENTENCE_BREAK.split(text)  # sentences, each followed by the marks that ended it
    ended = [(pieces[n].strip(), pieces[n + 1] if n + 1 < len(pieces) else "") for n in range(0, len(pieces), 2)]
    sentences = [sentence for sentence, _ in ended if sentence]
    asks = [bool(ASKS_SOMETHING.search(sentence)) or bool(QUESTION_MARK.search(marks)) for sentence, marks in ended if sentence]
    first = next((n for n, asking in enumerate(asks) if asking), 0)  # 是在湖光园吧？ asks by its question mark
    if not first or REFERS_BACK.search(sentences[first]):
        return text  # 规划咋看这个问题: the question is about what the scene says
    return SCENE_MARK.join(["，".join(sentences[:first]), "，".join(sentences[first:])])


def _named_chars(remaining: str) -> int:
    """How many characters of a text a name match consumed (they are masked in what remains)."""
    return remaining.count(MASK)


def _direction(text: str) -> Direction | None:
    if MIN_WORDS.search(text):
        return "min"
    if MAX_WORDS.search(text):
        return "max"
    if way := WHICH_WAY.search(text):
        return "max" if way["way"] in MORE_WAY else "min"
    return None


class QuestionUnderstander:
    """Turns a normalised question into an ``Intent`` using one lexicon."""

    def __init__(self, lexicon: Lexicon, corpus_text: str, tokenizer: PlanTokenizer, meaning: IndicatorMeaning | None = None) -> None:
        self.lexicon = lexicon
        self.corpus_text = corpus_text
        self.tokenizer = tokenizer
        self.meaning = meaning
        self.subject_names = AliasMatcher(lexicon.alias_table(), corpus_text)
        self.concept_names = AliasMatcher([(word, concept.name) for concept in lexicon.concepts for word in concept.words()])
        self.alias_words = {word for concept in lexicon.concepts for word in concept.words()}
        self.single_aliases = {word for word in self.alias_words if len(word) == 1}
        self.concept_words = {word: concept.name for concept in lexicon.concepts for word in concept.words()}

    def understand(self, text: str) -> Intent:
        scene, _, text = text.rpartition(SCENE_MARK)
        intent = self._understand(text)
        if scene and not intent.subjects and (self._names_subparks(scene) or (not intent.concepts and self._names_indicators(scene))):
            # 甲与乙的员工总数相比，哪个更多？ / 2020年甲指标和乙指标，哪个增长更快？: an opening clause
            # naming sub-parks, or naming only indicators, is what is asked about
            return self._understand(f"{scene}，{text}")
        return intent.model_copy(update={"context": f"{scene} {intent.context}".strip()}) if scene else intent

    def _names_indicators(self, text: str) -> bool:
        """Indicators and nothing said of them (2020年甲指标和乙指标): no verb, adjective or adverb
        besides their names, so not the asker's own scene (我们研发投入很大)."""
        found = self.concept_names.match(text)
        rest = found.remaining.replace(MASK, " ")
        return bool(found.names) and not any(flag[:1] in TOPIC_SAYING_TAGS for _, flag in self.tokenizer.tags(rest))

    def _names_subparks(self, text: str) -> bool:
        parks = self.lexicon.park_names()
        return any(name not in parks for name in self.subject_names.match(text).names)

    def _understand(self, text: str) -> Intent:
        found = self.subject_names.match(text, fuzzy=True)
        if not found.names and (spoken := SPOKEN_FILLER.sub("", text)) != text:
            expanded = self._expand_abbreviations(spoken, self.subject_names.match(spoken).remaining)
            if expanded != spoken or self.subject_names.match(spoken).names:
                text, found = expanded, self.subject_names.match(expanded, fuzzy=True)  # 湖畔那个科技园 → 湖畔科技园
        elif (spoken := SPOKEN_FILLER.sub("", text)) != text:
            joined = self.subject_names.match(spoken, fuzzy=True)
            if set(found.names) <= set(joined.names) and _named_chars(joined.remaining) > _named_chars(found.remaining):
                text, found = spoken, joined  # 湖光那个科技园: the filler split one name, read as 湖光科技园
        if (expanded := self._expand_abbreviations(text, found.remaining)) != text:
            text, found = expanded, self.subject_names.match(expanded, fuzzy=True)  # A1园 → A1数字创新园
        subjects, rest = found.names, found.remaining
        written_places = [p for p in self._places(rest) if p in self.corpus_text]  # a project's name paraphrases no indicator
        per_unit = next((unit for unit, pattern in PER_UNIT_WORDS if pattern.search(rest)), None)
        density = per_unit is not None
        concept_text = DENSITY_WORDS.sub("\0", rest)
        ratio = next((word for word in sorted(self.lexicon.ratios, key=len, reverse=True) if word in concept_text), None)
        if ratio is not None:
            concept_text = concept_text.replace(ratio, "\0" * len(ratio))
        masked = self._mask_inside_words(concept_text)
        indicators = self.concept_names.match(masked)
        said = "".join(ch for ch, kept in zip(masked, indicators.remaining, strict=True) if kept == MASK and ch != MASK)
        written_concepts = bool(indicators.names) and not HOW_MANY_PEOPLE.fullmatch(said)  # 多少人 names no indicator
        if not indicators.names:  # 利闰 for 利润: by sound, only when no indicator word is written (pinyin loads lazily)
            indicators = self.concept_names.match(masked, fuzzy=True, slips=False)
        concepts = self._abbreviated_indicators(masked, indicators.remaining, indicators.names)
        concepts += self._shared_head(masked, indicators.remaining, concepts)
        rest = "".join(
            kept if kept != m else original for original, m, kept in zip(concept_text, masked, indicators.remaining, strict=True)
        )
        if ratio is not None:
            concepts = list(self.lexicon.ratios[ratio])
            written_concepts = True
        asks_figure = bool(QUANTITY_WORDS.search(text)) or self._terse_figure(text)
        if (
            not concepts
            and asks_figure
            and (paraphrased := self.concept_names.closest(QUANTITY_WORDS.sub(" ", _without(rest, written_places))))
        ):
            concepts = [paraphrased]
        rate_indicator = self._rate(concepts)
        parks_only = all(s in self.lexicon.park_names() for s in subjects)  # a sub-park's profile has no per-area rows
        if (
            per_unit is not None
            and concepts
            and parks_only
            and not rate_indicator
            and (stated := self._stated_per_unit(concepts, per_unit))
        ):
            concepts, rate_indicator = [stated], True  # 地均X: the park table's own per-area row of X, not a division
        if len(concepts) >= 2 and SHARE_WORDS.search(rest) and (stated := self._stated_share(concepts, text)):
            # 出口占营收的比重: the table's own share row, not a division; an indicator another clause asks
            # of itself (出口额多少，出口占营收比例呢) is asked beside it
            concepts, rate_indicator = [*self._asked_apart(concepts, text), stated], True
        years, period = self._years(text)
        places = self._places(rest)  # read again once indicator words are masked: they end no place's name
        unknown = found.look_alikes + [p for p in places if p not in self.corpus_text and not self._generic_head(p)]
        alike = len(concepts) >= 2 and len({tuple(self._units(name)) for name in concepts}) == 1  # 甲和乙的产值哪个大
        operation, direction = self._operation(
            rest, subjects + unknown, density and not rate_indicator, rate_indicator, found.remaining, alike
        )
        if (
            self.meaning is not None
            and ratio is None
            and asks_figure
            and (
                not concepts  # any question asking a figure may paraphrase an indicator
                or (operation == "lookup" and len(concepts) <= MAX_RECONSIDERED and self._says_more(rest))
            )  # a computation names its indicators; a lookup may name a broad one meaning a narrower
        ):
            if better := self.meaning.better(_without(found.remaining, written_places), concepts):
                if not concepts and self._rate([better]):  # 研发经费投入占比: the share is the indicator's own, not a division
                    operation, direction = self._operation(rest, subjects + unknown, False, True, found.remaining, alike)
                concepts = [better]
        if self.meaning is not None and operation == "lookup" and ratio is None and concepts and QUANTITY_WORDS.search(text):
            concepts += self._paraphrased_others(rest, found.remaining, concepts)
        if ratio is None:  # a named ratio's operands are set by its word, wherever the question explains them
            concepts = self._asked_concepts(text, self._outside_shares(concepts, text))
        area = self._area_concept()
        if operation == "compare" and not concepts and SIZE_WORDS.search(rest) and area is not None and self._measures_asked(rest, area):
            concepts = [area]  # 哪个子园最大 / 北湖是不是最大的: size is the area
        if area is not None and area not in concepts and concepts and subjects and not parks_only and PLACE_SIZE.search(rest):
            concepts = [area, *concepts]  # 湖光园多大，有多少企业: 多大 said of the place itself is its area
        elif area is not None and not concepts and subjects and set(subjects) <= self.lexicon.park_names() and PLACE_SIZE.search(rest):
            concepts = [area]  # 整个园区总共多大: how big the whole park is (a sub-park's profile gives all its areas)
        elif area is not None and area not in concepts and (concepts and OCCUPIED_SIZE.search(rest) or GROUND_SIZE.search(rest)):
            concepts = [*concepts, area]  # 那它税收多少，占地多大 / 地盘有多大: how much ground it takes is its area
        asking = asking_clause(text)
        changed = CHANGE_COMPARED.search(asking) if len(concepts) >= 2 or len(subjects) >= 2 else None
        compared_change = self._compared_change(text, changed)
        if changed is not None and compared_change is not None:
            direction = "min" if changed["way"] in SLOWER else "max"  # 甲和乙哪个同比增速更快: the changes are compared
        if ratio is not None:
            operation, direction = "ratio", None
        if operation == "share" and (POINTS_BACK.search(text) or not concepts) and subjects and set(subjects) <= self.lexicon.park_names():
            subjects = []  # 它在全园占多少 / 在全园占多大比重: the whole park is what the share is of, the place is the one asked before
        about = ""
        if (
            concepts
            and operation == "lookup"
            and MEASURE_WORDS.search(text)
            and not (NUMBER_WORDS.search(text) or years or SAYS_WORDS.search(text))
        ):
            about, concepts = " ".join(concepts), []  # 高企数量怎么往上提: how to raise it is sought beside its name, not its figure
        own_topic = not concepts and not QUANTITY_WORDS.search(text) and self._specific_topic(text)
        residue = rest
        for pattern in OPERATION_VOCABULARY:
            residue = pattern.sub(" ", residue)
        residue = f"{about} {residue}".strip()
        price_asked = bool(PRICE_ASKED.search(asking))
        return Intent(
            text=text,
            subjects=subjects,
            concepts=concepts,
            years=years,
            period=period,
            relative_year=(match.group(1) if (match := RELATIVE_YEAR.search(text)) else None),
            operation=operation,
            direction=direction,
            per_unit=per_unit if operation == "density" else None,
            all_subparks=bool(ALL_SUBPARKS.search(found.remaining)),  # 某学子园 names one place, not 子园 all
            unknown_subjects=unknown,
            # a place in the asker's own scene (我在做某区的研究) is not what a figure is asked of; one the plan
            # lacks stays unknown wherever it is said (我们想去某园投资，那边…: the trap is the place)
            mentioned=[p for p in self._places(without_asker_scene(rest)) if p in self.corpus_text],
            elliptical=self._elliptical(text, subjects, concepts, own_topic),
            own_topic=own_topic,
            topic_words=self._specific_words(MEASURE_WORDS.sub(" ", text)) if own_topic else [],
            plural_reference=bool(PLURAL_REFERENCE.search(text)),
            asks_planned=bool(PLANNED_WORDS.search(text)),
            asks_quantity=bool(QUANTITY_WORDS.search(text))
            or len(RESIDUE.sub("", rest)) <= 2
            or asked_unit(text) is not None
            or (bool(concepts) and bool(COMPARE_WISH.search(text))),  # 想跟甲对比一下乙指标: its figure is asked
            asks_overview=bool(OVERVIEW_WORDS.search(without_asker_scene(text))),
            asks_measures=self._asks_measures(text),
            asks_when=bool(WHEN_WORDS.search(text)),
            asks_support=bool(SUPPORT_WORDS.search(text)),
            # 价格大概多少: a price asked with a quantity word is an amount of money, however it is said
            asks_amount=bool(AMOUNT_WORDS.search(text)) or (price_asked and bool(QUANTITY_WORDS.search(asking))),
            asks_reason=bool(REASON_WORDS.search(text)),
            context=about,
            paraphrased=bool(concepts) and not written_concepts,
            whether=self._whether(text),
            supposed=self._supposed(text, subjects) if operation == "compare" else None,
            asks_price=price_asked,
            each_share=operation == "share" and len(concepts) >= 2 and self._listed_before_share(text, concepts),
            asks_procedure=bool(PROCEDURE_WORDS.search(asking)),
            asks_what=bool(ASKS_WHAT.search(text)),
            asks_whether=bool(ASKS_WHETHER.search(text)),
            compared_change=compared_change,
            every_year=bool(EVERY_YEAR.search(text)),
            points_back=bool(POINTS_BACK.search(text)),
            residue=" ".join(residue.replace("\0", " ").split()),
            strange_words=self._strange_words(residue),
        )

    def _asks_measures(self, text: str) -> bool:
        """A measure word asks for measures unless it ends a name the plan writes inside which an
        amount is asked (甲乙计划里…补多少钱: the 计划 is the thing, what is asked is its amount)."""
        asking = [m for m in MEASURE_WORDS.finditer(text) if not (m.group() in INTENT_WORDS and INTENDED_AMOUNT.match(text, m.end()))]
        if not AMOUNT_WORDS.search(text):
            return bool(asking)  # 规模打算设多大: what is intended is asked as a figure, not the measures
        return any(
            not (NAMED_INSIDE.match(text, match.end()) and self._ends_written_name(text[max(0, match.start() - NAME_HEAD) : match.end()]))
            for match in asking
        )

    def _ends_written_name(self, name: str) -> bool:
        return len(name) > NAME_HEAD and CHINESE.fullmatch(name) is not None and name in self.corpus_text

    @staticmethod
    def _compared_change(text: str, changed: re.Match[str] | None) -> ChangeKind | None:
        """Which of two things grew more (``changed``: the asking clause's change and its way), and
        how the change is meant: yearly (年均), as the plan states it (同比, 比上年), else to the target."""
        if changed is None or not (WHICH.search(text) or "还是" in text or COMPARED_BY.search(text)):
            return None
        if CAGR_WORDS.search(text):
            return "cagr"
        return "stated" if YEAR_ON_YEAR.search(text) else "growth"

    @staticmethod
    def parts(text: str) -> list[str]:
        """The questions a message asks (“某项目做啥？投多少钱？” is two); a piece that asks nothing
        by itself (我们是做物流的。) sets the scene for every question after it, even for one question."""
        pieces = [p.strip() for p in PART_BREAK.split(text) if p.strip()]
        asking = [len(p) >= MIN_PART_CHARS and bool(ASKS_SOMETHING.search(p)) for p in pieces]
        if sum(asking) < 2:
            return [_after_scene(text)]
        parts: list[str] = []
        scene: list[str] = []  # 我们是做…的: what the asker says of themselves frames every question after it
        for piece, asks in zip(pieces, asking, strict=True):
            if asks:
                parts.append(SCENE_MARK.join(["，".join(scene), piece]) if scene else piece)
            elif parts and not scene:
                parts[-1] = f"{parts[-1]}，{piece}"
            else:
                scene.append(piece)
        return parts

    def _asked_concepts(self, text: str, concepts: list[str]) -> list[str]:
        """An indicator named only in a clause that asks nothing (想拿大块工业用地，哪个子园面积最大) is the
        asker's scene when the asking clauses name an indicator of their own."""
        asking = [clause for clause in clauses(text) if ASKS_SOMETHING.search(clause)]
        asking += [clause for clause in questioned_clauses(text) if self._terse(clause)]  # 甲 20年税收？ asks too
        if len(concepts) < 2 or not asking or len(set(asking)) == len(clauses(text)):
            return concepts
        named = set(self.concept_names.match(self._mask_inside_words(text)).names)
        asked = set(self.concept_names.match(self._mask_inside_words("，".join(asking))).names)
        kept = [c for c in concepts if c not in named or c in asked]
        return kept if asked and kept else concepts

    def _terse_figure(self, text: str) -> bool:
        """A terminal-style query of names, numbers and a year, asking nothing in words (甲指标 人数 2020),
        asks a figure; one with a verb or asking for an overview or measures (2020年甲产业发展情况) does not."""
        return (
            bool(YEAR.search(text))
            and not ASKS_SOMETHING.search(text)
            and not OVERVIEW_WORDS.search(text)
            and not MEASURE_WORDS.search(text)
            and self._terse(text)
        )

    def _terse(self, clause: str) -> bool:
        """Names and numbers only (甲园 20年税收): a terminal query; a clause that says something
        (听说甲面积不大但很能赚钱？) is the asker's scene, whatever mark closes it."""
        return not any(flag[:1] in SAYING_TAGS for _, flag in self.tokenizer.tags(clause))

    def _paraphrased_others(self, rest: str, named: str, concepts: list[str]) -> list[str]:
        """Two figures asked at once, one by its words and one in other words (甲类机构和乙类
        中心分别几家): each listed piece with no indicator word is matched by meaning; ``named`` is the
        text with only the sub-parks' names masked."""
        found: list[str] = []
        aligned = len(rest) == len(named)  # a density word replaced by one mask shortens the text
        unnamed = "".join(" " if r == MASK and n == MASK else r for r, n in zip(rest, named, strict=True)) if aligned else rest
        # a sub-park's name masked is no indicator word in a piece; the asker's own scene (我在做某类指标的研究) asks none
        for piece in LISTED.split(without_asker_scene(unnamed)):
            words = "".join(NAMED_WORD.findall(QUANTITY_WORDS.sub(" ", piece)))
            if "\0" in piece or len(words) < MIN_PARAPHRASE_CHARS or self.meaning is None:
                continue
            better = self.meaning.better(piece, [], LISTED_MARGIN, LISTED_SHARED_RUN)
            if better is not None and better not in concepts and better not in found:
                found.append(better)
        return found

    def _stated_per_unit(self, concepts: list[str], per_unit: str) -> str | None:
        """An indicator that states one of ``concepts`` per ``per_unit`` itself (单位面积X in
        亿元/平方公里 for X per 平方公里): the plan's own figure answers, no division is made."""
        return next(
            (
                concept.name
                for concept in self.lexicon.concepts
                if concept.name not in concepts
                and any(unit.endswith(f"/{per_unit}") for unit in concept.units)
                and any(name in concept.name for name in concepts)
            ),
            None,
        )

    def _abbreviated_indicators(self, text: str, remaining: str, concepts: list[str]) -> list[str]:
        """An indicator word with a shortened modifier before it (规上产值: 规上 + 产值) means the one
        indicator whose word holds them all in order and ends the same (规上工业总产值)."""
        found = list(concepts)
        for run in re.finditer(f"{MASK}+", remaining):
            word = text[run.start() : run.end()]
            owner = self.concept_words.get(word)
            if owner is None or owner not in found:
                continue
            listed = [piece for piece in LISTED.split(self._modifier(remaining, run.start())) if piece]
            longer = [name for piece in listed if (name := self._lengthened(word, owner, piece))]
            if longer:  # 甲和乙的产值: the indicator of each modifier listed before the shared word
                at = found.index(owner)
                found[at : at + 1] = longer
        return list(dict.fromkeys(found))

    def _shared_head(self, text: str, remaining: str, concepts: list[str]) -> list[str]:
        """A word the question writes without the head an indicator before it has (甲类授权增速比申请增速高:
        申请 is 甲类申请): the indicator the head and the word name together, when the plan has it."""
        runs = list(re.finditer(f"{MASK}+", remaining))
        heads = {text[r.start() : r.end()][:end] for r in runs for end in range(MIN_HEAD_CHARS, r.end() - r.start() - 1)}
        if not heads:
            return []
        after = remaining[runs[0].end() :]  # the word comes after the indicator whose head it leaves out
        words = [w for piece in after.split(MASK) for w in self.tokenizer.cut(piece) if len(w) >= 2 and CHINESE.fullmatch(w)]
        found = [
            self.concept_words[f"{head}{word}"]
            for word in words
            for head in sorted(heads)
            if f"{head}{word}" in self.concept_words and f"{head}{word}" in self.corpus_text  # the plan writes the pair
        ]
        return [name for name in dict.fromkeys(found) if name not in concepts]

    @staticmethod
    def _modifier(remaining: str, end: int) -> str:
        """The characters written right before an indicator word, past a time said between them
        (湖光产业到25年产值: 湖光产业); 年 of 2020年 belongs to the year."""
        written = MARKED_END.sub("", TIME_BETWEEN.sub("", remaining[:end]))  # 湖光这块到25年产值: 湖光
        before = CJK_RUN_END.search(written)
        if before is None or (before.start() and written[before.start() - 1] == MASK):
            return ""  # 湖光科技成2020年税收: the rest of a name typed with a slip, no modifier
        run = before.group()[1:] if before.start() and written[before.start() - 1].isdigit() else before.group()
        return run.removesuffix("的")  # 湖光的产值

    def _lengthened(self, word: str, owner: str, modifier: str) -> str | None:
        """The one longer indicator ending like ``word`` (or its indicator's own name: 年产值 is 产值)
        whose word holds the modifier's last characters in order, else one opening with its first
        ones (甲产业乙领域产值: the head 甲 names the indicator 甲产业产值, 乙 only narrows the talk)."""
        sizes = range(min(MAX_MODIFIER_CHARS, len(modifier)), MIN_MODIFIER_CHARS - 1, -1)
        pieces = [(modifier[-size:], "") for size in sizes] + [(modifier[:size], modifier[:size]) for size in sizes]
        for piece, head in pieces:
            for tail in dict.fromkeys((word, owner)):
                shortened = piece + tail
                longer = {
                    name
                    for alias, name in self.concept_words.items()
                    if name != owner
                    and len(alias) > len(shortened)
                    and alias.startswith(head)
                    and alias.endswith(tail)
                    and in_order(shortened, alias)
                }
                if len(longer) == 1:
                    return longer.pop()
        return None

    def _supposed(self, text: str, subjects: list[str]) -> str | None:
        """The one subject a yes-or-no comparison names right before its direction word (税收是不是也是
        甲多; not 是不是比甲多, which supposes the other)."""
        asked = asking_clause(text)
        word = self._whether(asked)
        if not word or not re.search(rf"(?<!比){re.escape(word)}{TWO_WAY.pattern}", asked):
            return None
        found = [s for s in subjects if word in self.lexicon.label(s)]
        return found[0] if len(found) == 1 else None

    def _listed_before_share(self, text: str, concepts: list[str]) -> bool:
        """Every indicator is written before the share word (甲和乙占…), none after it (甲占乙的…)."""
        at = SHARE_WORD.search(text)
        if at is None:
            return False
        places = sorted(min((i for word in self._words_of(name) if (i := text.find(word)) >= 0), default=-1) for name in concepts)
        if not all(0 <= place < at.start() for place in places):
            return False
        # 甲在乙里占比: one within the other (甲 over 乙), not each of the whole; listed ones are joined (甲和乙)
        return all(LISTED.search(text[first:second]) for first, second in itertools.pairwise(places))

    def _whether(self, text: str) -> str:
        """The word a yes-or-no question asks about (某项目是不是停工了 → 停工)."""
        match = WHETHER.search(text)
        if match is None:
            return ""
        return next((word for word in self.tokenizer.cut(text[match.end() :]) if len(word) >= 2), "")

    def _area_concept(self) -> str | None:
        """The first indicator kept in an area unit: the one a bare 最大 of places compares."""
        return next((c.name for c in self.lexicon.concepts if any(unit_dimension(unit)[0] == AREA for unit in c.units)), None)

    def _strange_words(self, residue: str) -> list[str]:
        """Words the plan never writes and general Chinese seldom uses: something asked that no
        figure of the plan is about (单位产值能耗 holds 能耗). Read without part-of-speech tags, so
        a plain lookup never loads the tagger."""
        return [
            word
            for word in self.tokenizer.cut(residue.replace(MASK, " "))
            if len(word) >= 2
            and NAMED_WORD.match(word)
            and word not in self.corpus_text
            and self.tokenizer.general_share(word) < EVERYDAY_SHARE
        ]

    def _stated_share(self, concepts: list[str], text: str) -> str | None:
        """An indicator in % whose own label names two or more of ``concepts`` (高新技术企业出口额占
        营业收入比例 for 出口 and 营收), each on the side of 占 the question puts it: the plan
        states the share; most concepts named wins."""
        named = {
            concept.name: sum(1 for name in concepts if self._same_side(name, text, concept.name))
            for concept in self.lexicon.concepts
            if concept.name not in concepts and "%" in concept.units
        }
        best = max(named.items(), key=lambda pair: (pair[1], -len(pair[0])), default=None)
        return best[0] if best is not None and best[1] >= MIN_SHARE_PARTS else None

    def _asked_apart(self, concepts: list[str], text: str) -> list[str]:
        """The concepts a clause without the share word (or 占) names and asks a figure of."""
        apart = [c for c in clauses(text) if not SHARE_WORDS.search(c) and SHARE_OF not in c and ASKS_SOMETHING.search(c)]
        return [name for name in concepts if any(word in clause for clause in apart for word in self._words_of(name) if len(word) >= 2)]

    def _outside_shares(self, concepts: list[str], text: str) -> list[str]:
        """An indicator named inside a share indicator also named (甲出口额占营业收入… with 营业收入)
        is that share's part, not a second figure asked."""
        shares = [name for name in concepts if SHARE_OF in name and SHARE_OF in text and "%" in self._units(name)]
        apart = self._asked_apart(concepts, text) if shares else []  # 出口额多少，占营收比例呢: asked of itself too
        return [name for name in concepts if name in shares or name in apart or not any(self._inside(name, text, s) for s in shares)]

    def _inside(self, concept_name: str, text: str, share: str) -> bool:
        """A word of the concept the question writes on the side of 占 where the share's label has it."""
        return any(
            (text.find(word) > text.index(SHARE_OF)) == (share.find(word) > share.index(SHARE_OF))
            for word in self._words_of(concept_name)
            if len(word) >= 2 and word in text and word in share
        )

    def _same_side(self, concept_name: str, text: str, label: str) -> bool:
        """The concept's word stands in the label, before 占 there iff before 占 in the question."""
        words = [word for word in self._words_of(concept_name) if len(word) >= 2]
        in_label = [label.find(word) for word in words if word in label]
        in_text = [text.find(word) for word in words if word in text]
        if not in_label:
            return False
        if SHARE_OF not in text or SHARE_OF not in label or not in_text:
            return True
        return (min(in_text) < text.index(SHARE_OF)) == (min(in_label) < label.index(SHARE_OF))

    def _words_of(self, concept_name: str) -> list[str]:
        concept = self.lexicon.concept(concept_name)
        return concept.words() if concept else [concept_name]

    def _says_more(self, rest: str) -> bool:
        """Beside the indicator words matched, the question holds a word the plan uses only a few
        times (博士, 每百名): it may mean a narrower indicator than the one its words named."""
        return self._holds_specific_word(QUANTITY_WORDS.sub(" ", rest.replace("\0", " ")))

    def _holds_specific_word(self, text: str) -> bool:
        return bool(self._specific_words(text))

    def _specific_words(self, text: str) -> list[str]:
        """Words (two characters or more, no stop word) the plan writes only a few times."""
        return [
            w
            for w in self.tokenizer.cut(text)
            if len(w) >= 2 and 0 < self.corpus_text.count(w) <= SPECIFIC_OCCURRENCES and w not in self.tokenizer.stopwords
        ]

    def _mask_inside_words(self, text: str) -> str:
        """A one-character indicator alias inside a longer word the plan writes (税 in a 保税仓, as
        jieba cuts the question) is part of that word, not the indicator."""
        masked = list(text)
        offset = 0
        for word in self.tokenizer.cut(text):
            offset = text.find(word, offset)
            if offset < 0:
                break
            if len(word) >= 2 and word not in self.alias_words and word in self.corpus_text:
                for index, char in enumerate(word):
                    if char in self.single_aliases:
                        masked[offset + index] = " "
            offset += len(word)
        for start, end in self._written_places_holding_aliases(text):
            masked[start:end] = " " * (end - start)
        return "".join(masked)

    def _written_places_holding_aliases(self, text: str) -> list[tuple[int, int]]:
        """Places the plan writes that hold an indicator word (出口 in 出口加工区): a name, not the
        indicator; the longest such span at each start."""
        spans: list[tuple[int, int]] = []
        start = 0
        while start < len(text):
            end = next(
                (
                    end
                    for end in range(min(len(text), start + MAX_PLACE_CHARS), start + MIN_PLACE_CHARS - 1, -1)
                    if text[end - 1] in PLACE_ENDINGS
                    and text[start:end] in self.corpus_text
                    and any(alias in text[start : end - 1] for alias in self.alias_words if len(alias) >= 2)
                ),
                None,
            )
            if end is None:
                start += 1
                continue
            spans.append((start, end))
            start = end
        return spans

    def _measures_asked(self, text: str, concept_name: str) -> bool:
        """An indicator found by meaning or by a size word measures what the question asks, when it
        names a measure (哪个项目投资更大 asks money: never an area)."""
        asked = {d for measure in asked_measures(text) if not measure.computed for d in measure.dimensions}
        measured = {PER_AREA if "/" in d else d.split(":")[0] for d in (unit_dimension(u)[0] for u in self._units(concept_name))}
        return not asked or any(kindred(one, other) for one in asked for other in measured)

    def _units(self, concept_name: str) -> list[str]:
        concept = self.lexicon.concept(concept_name)
        return concept.units if concept else []

    def _years(self, text: str) -> tuple[list[int], Period | None]:
        written = [(m.start(), int(m.group(1))) for m in YEAR.finditer(text)]
        written += [(m.start(), CENTURY + int(m.group(1))) for m in SHORT_YEAR.finditer(text)]
        years = [year for _, year in sorted(written)]
        if not years:
            years = [year for name, year in FIVE_YEAR_PLANS.items() if name in text]
        period: Period | None = "target" if TARGET_WORDS.search(text) else "actual" if NOW_WORDS.search(text) else None
        return years, period

    def _operation(
        self, text: str, subjects: list[str], density: bool, rate_indicator: bool, unmasked: str, alike_measures: bool
    ) -> tuple[Operation, Direction | None]:
        """The operation, read from the question with its names and indicator words masked; a
        comparative (比…多多少) from the question with only names masked, since an indicator's
        words may hold its quantity word (多少人)."""
        direction = _direction(text)
        if density:
            return "density", None
        if SHARE_WORDS.search(text) and not rate_indicator:
            return "share", None
        if RATIO_WORDS.search(text):
            return "ratio", None
        if CAGR_WORDS.search(text) and GROWTH_WORDS.search(text):
            return "cagr", None
        if RELATIVE_RISE.search(text) or (GROWTH_WORDS.search(text) and not DIFFERENCE_WORDS.search(text)):
            return "growth", None
        if DIFFERENCE_WORDS.search(text) or COMPARATIVE_AMOUNT.search(unmasked):
            return "difference", None
        if SUM_WORDS.search(text):
            return "sum", None
        if direction is not None and (WHICH.search(text) or len(subjects) >= 2 or "最" in text):
            return "compare", direction
        if RANK_WORDS.search(text) or (COMPARE_WISH.search(text) and (len(subjects) != 1 or ALL_SUBPARKS.search(text))):
            return "compare", "max"
        if (len(subjects) >= 2 or alike_measures) and ((WHICH.search(text) and TWO_WAY.search(text)) or SET_AGAINST.search(text)):
            return "compare", "max"
        asked = asking_clause(text)
        whether = WHETHER.search(asked)
        if len(subjects) >= 2 and whether and (way := TWO_WAY.search(asked[whether.end() :])):
            return "compare", "max" if way.group() in MORE_WAY else "min"  # 甲是不是也比乙多: whether one is the larger
        if LIST_WORDS.search(text):
            return "list", None
        return "lookup", None

    def _rate(self, concepts: list[str]) -> bool:
        """An indicator that is itself a rate or share (its unit a % or a per-unit)."""
        return any("/" in unit or unit == "%" for name in concepts for unit in self._units(name))

    def _places(self, rest: str) -> list[str]:
        """Place-like names left after known names were masked (e.g. 某某园, 某某开发区); a kind of
        place described by its rank or type (国家级AI基地, 特色产业园) is not a name."""
        places = []
        for match in PLACE.finditer(rest.replace("\0", " ")):
            name = PLACE_BREAK.split(match.group(1))[-1]
            if GENERIC_NAME.search(name):
                continue
            name = self._after_speech(name)
            if len(name) >= 3 and not DESCRIBED_PLACE.match(name):
                places.append(name)
        return places

    def _expand_abbreviations(self, text: str, remaining: str) -> str:
        """A place written as the start of one sub-park's name and a place word (A1园 for
        A1数字创新园, 南湖园) is that sub-park; else the one place the plan writes with
        that start and place character (湖光产业园); a start several share, or none, is left."""
        for place in self._places(remaining):
            head = PLACE_SUFFIX.sub("", place)
            if place in self.corpus_text or len(head) < MIN_ABBREVIATION_HEAD:
                continue
            owners = self._owners(head)
            if len(owners) == 1:
                text = text.replace(place, owners.pop())
            elif not owners and self.corpus_text.count(head) <= MAX_NAME_HEAD_USES and len(written := self._written_places(place)) == 1:
                text = text.replace(place, written.pop())  # 湖光产业园 → 湖光高科技生物医药产业园 (生产基地 is no name)
        for match in SPOKEN_PLACE.finditer(remaining):
            head = self._after_speech(match.group(1))
            if len(head) < MIN_ABBREVIATION_HEAD or head not in text:
                continue
            owners = self._owners(head)
            if len(owners) == 1 and self._only_within(head, owners):
                text = text.replace(head, next(iter(owners)), 1)  # 湖光那边: the one sub-park whose name starts so
        return text

    def _owners(self, head: str) -> set[str]:
        """The sub-parks one of whose names starts with ``head``."""
        return {name for alias, name in self.lexicon.alias_table() if alias.startswith(head) and name not in self.lexicon.park_names()}

    def _only_within(self, head: str, owners: set[str]) -> bool:
        """The plan writes ``head`` only inside the owner's names: a name's start, not a word of its own."""
        rest = self.corpus_text
        for alias in sorted((alias for alias, name in self.lexicon.alias_table() if name in owners), key=len, reverse=True):
            rest = rest.replace(alias, MASK)
        return head not in rest

    def _written_places(self, place: str) -> set[str]:
        """Places the plan writes that start as ``place`` does and end in its place word, holding all
        its characters in order (湖光高科技生物医药产业园 for 湖光生物医药产业园 or 湖光产业园) or ending
        in the same place word (湖光药业产业园: the company's name before it, not the plan's words)."""
        pattern = re.compile(re.escape(place[:MIN_ABBREVIATION_HEAD]) + NAME_RUN + re.escape(place[-1]))
        own = PLACE_SUFFIX.search(place)
        return {
            match.group()
            for match in pattern.finditer(self.corpus_text)
            if (suffix := PLACE_SUFFIX.search(match.group()))
            and (in_order(place, match.group()) or (own is not None and own.group() == suffix.group() and len(own.group()) > 1))
        }

    def _after_speech(self, name: str) -> str:
        """The name after the asker's own words (想了解下园区 → 园区, 我想去西湖园 → 西湖园): a name
        starts after the last common verb, adverb or function word, as jieba tags them."""
        words = self.tokenizer.tags(name)
        cut = 0
        for position, (word, flag) in enumerate(words):
            if flag in SPEECH_FLAGS and self.tokenizer.general_share(word) >= SPEECH_SHARE:
                cut = position + 1
        return "".join(word for word, _ in words[cut:])

    def _generic_head(self, place: str) -> bool:
        """A place word whose head is no name (另外园区, 芯片设计园区, 厂房园区): the head is everyday
        words, or common words the plan writes (no place, person, organisation or Latin name in
        it: 规划预计园区), so the question is about a topic, not about a park the plan lacks."""
        head = PLACE_SUFFIX.sub("", place)
        if not head:
            return True
        tags = self.tokenizer.tags(head)
        if all(word in self.tokenizer.stopwords or self.tokenizer.everyday(word) for word, _ in tags):
            return True
        return all(flag in COMMON_TAGS for _, flag in tags) and (
            head in self.corpus_text or all(word in self.corpus_text for word, _ in tags)
        )

    def _elliptical(self, text: str, subjects: list[str], concepts: list[str], own_topic: bool) -> bool:
        """Leaves out what an earlier turn said: a pronoun, a trailing 呢, or a short question naming
        neither subject nor indicator, unless it asks for measures on a topic of its own
        (除了交通还有啥配套政策 is not about the turn before)."""
        pronoun = PRONOUN.match(text)
        if (pronoun and pronoun.group(2)) or ELLIPSIS_END.search(text) or BACK_TO_TOPIC.search(text):
            return True
        if (subjects and concepts) or len(text) > 16:
            return False
        if own_topic:
            return False  # 另外5G这块有啥规划 opens a question on a topic of its own; 占全市多少 goes on
        return not (MEASURE_WORDS.search(text) and self._own_topic(text))

    def _specific_topic(self, text: str) -> bool:
        """A word the plan writes only a few times (5G, 营商环境): a topic of the question's own,
        unlike the words asking about an earlier topic's attributes (投资多大, 面积呢)."""
        return any(
            not self.tokenizer.speech(w) for w in self._specific_words(MEASURE_WORDS.sub(" ", text))
        )  # 怎么申请 acts on the topic before

    def _own_topic(self, text: str) -> bool:
        """A word of the plan beside the measure words (交通 in 除了交通还有啥政策); a verb or an
        adjective (实现, 落实, 配套) says how, not what about."""
        return any(
            len(w) >= 2
            and w in self.corpus_text
            and w not in self.tokenizer.stopwords
            and not MEASURE_WORDS.search(w)
            and not self.tokenizer.speech(w)
            for w in self.tokenizer.cut(MEASURE_WORDS.sub(" ", text))
        )
