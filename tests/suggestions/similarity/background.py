"""Unrelated county suggestions, as many as asked for, to hide the labelled series among
(tests/suggestions/similarity/series.txt): every field of county life, in every township and
village, on the county town's streets, and the same kinds of matter as the series in other
places (other villages' drainage stations, other schools' classrooms, other streets'
parking), which is what makes finding a series hard. Deterministic for a given seed.

A matter is a template and the place it is about; each matter is drawn once while unused ones
remain, so the set holds no unlabelled repeat of a matter (beyond a few thousand suggestions
repeats are unavoidable, and realistic: the bench uses them)."""

import random

TOWNS = [
    "城关镇",
    "龙泉镇",
    "桃源乡",
    "清河镇",
    "石门乡",
    "白沙镇",
    "新华镇",
    "青山乡",
    "双河镇",
    "永安镇",
    "太平乡",
    "金山镇",
    "马鞍镇",
    "柳林乡",
    "黄岗镇",
    "三岔镇",
    "高桥镇",
    "长乐乡",
    "大坪乡",
    "古城镇",
    "平安镇",
    "凤凰乡",
    "向阳镇",
    "红旗街道",
    "东湖街道",
    "礼乐街道",
]
VILLAGE_STEMS = [
    "张家",
    "李家",
    "王庄",
    "柳树",
    "杨柳",
    "红星",
    "先锋",
    "胜利",
    "和平",
    "光明",
    "新民",
    "团结",
    "前进",
    "五一",
    "长岭",
    "石岭",
    "枫树",
    "竹园",
    "桂花",
    "荷花",
    "大塘",
    "小塘",
    "上湾",
    "下湾",
    "东坪",
    "西坪",
    "沙坝",
    "河口",
    "梅子",
    "桥头",
    "黄泥",
    "青龙",
    "白马",
    "金鸡",
    "凤山",
    "龙潭",
    "松林",
    "茶园",
    "岩口",
    "田心",
    "新屋",
    "老屋",
    "大湾",
    "中湾",
    "栗树",
    "杉木",
    "铁炉",
    "陈家",
    "刘家",
    "赵家",
    "周家",
    "吴家",
    "郑家",
    "孙家",
    "马家",
    "朱家",
    "胡家",
    "郭家",
    "何家",
    "高家",
]
ROADS = [
    "人民路",
    "建设路",
    "解放街",
    "文化路",
    "滨河大道",
    "幸福街",
    "育才路",
    "中山路",
    "新华路",
    "民主街",
    "北门街",
    "南环路",
    "东环路",
    "西环路",
    "迎宾大道",
    "工业大道",
    "站前路",
    "府前路",
    "健康路",
    "和平路",
]
RIVERS = ["清河", "柳河", "白沙河", "金山河", "双河", "桃花溪", "龙溪", "黄岗河", "古城河", "凤凰溪"]
UNITS_ = ["县交通运输局", "县水利局", "县教育局", "县卫健委", "县住建局", "县农业农村局", "县自然资源局", "县城管局"]

# (topic, title templates, text templates). Slots: {town} {village} {road} {river}.
TEMPLATES = [
    (
        "drainage",
        ["关于建设{village}电排站的建议", "关于解决{village}农田排涝问题的建议"],
        [
            "{town}{village}地势低洼，汛期农田常被水淹，现有排水沟渠淤塞，建议建设电排站，疏浚排水渠。",
            "每逢雨季{village}一带积水难排，稻田受浸减产，建议水利部门规划建设排涝设施。",
        ],
    ),
    (
        "school_building",
        ["关于修缮{town}{village}小学教学楼的建议", "关于改善{village}小学办学条件的建议"],
        [
            "{village}小学教学楼建于上世纪八十年代，墙体开裂，屋面漏雨，存在安全隐患，建议列入校舍改造计划。",
            "{town}{village}小学运动场是泥土地，没有食堂，学生在教室吃饭，建议改善办学条件。",
        ],
    ),
    (
        "parking",
        ["关于在{road}增设停车位的建议", "关于规范{road}停车秩序的建议"],
        [
            "{road}周边机动车停车位严重不足，车辆乱停乱放，建议施划停车位，利用闲置地块建设停车场。",
            "{road}沿街车辆占道停放，公交车通行困难，建议加强停车管理，设置限时停车位。",
        ],
    ),
    (
        "bus",
        ["关于开通{village}至{town}集镇客运班车的建议", "关于方便{village}群众出行的建议"],
        [
            "{village}距{town}集镇十余公里，没有客运班车，群众赶集、看病出行不便，建议开通农村客运班线。",
            "{town}{village}村民外出只能步行或搭乘三轮车，建议将城乡公交延伸到村。",
        ],
    ),
    (
        "clinic",
        ["关于加强{village}村卫生室建设的建议", "关于配备{village}村医的建议"],
        [
            "{town}{village}村卫生室房屋破旧，只有一名年过七旬的村医，建议新建标准化卫生室，配备村医。",
            "{village}村卫生室缺少基本药品和设备，村民小病也要跑到集镇，建议加强村卫生室建设。",
        ],
    ),
    (
        "garbage",
        ["关于规范{village}农村生活垃圾处理的建议", "关于增设{village}垃圾收集点的建议"],
        [
            "{town}{village}垃圾收集点设置不足，垃圾随意倾倒焚烧，建议增设垃圾桶，完善村收集、镇转运体系。",
            "{village}沿路垃圾成堆，保洁员只有一人，建议增加保洁人员，定期清运。",
        ],
    ),
    (
        "water_supply",
        ["关于解决{village}饮水水压不足的建议", "关于改造{village}供水管网的建议"],
        [
            "{town}{village}自来水水压不足、水质浑浊，夏季高峰经常停水，建议改造供水管网，增设加压泵。",
            "{village}供水管道老化破裂，漏损严重，村民经常断水，建议更换供水主管道。",
        ],
    ),
    (
        "road_village",
        ["关于硬化{village}通组公路的建议", "关于修复{town}{village}村道的建议"],
        [
            "{town}{village}通组公路仍是泥土路，雨天泥泞，农产品运不出去，建议列入通组公路硬化计划。",
            "{village}村道被重车压坏，坑洼不平，建议修复并限制超载车辆通行。",
        ],
    ),
    (
        "market",
        ["关于规划建设{town}集贸市场的建议", "关于整治{town}集镇马路市场的建议"],
        [
            "{town}集镇没有正规市场，逢集日商贩沿街摆摊，交通堵塞，建议规划建设集贸市场。",
            "{town}赶集日街道两侧摆满摊位，车辆无法通行，建议整治马路市场，引导入市经营。",
        ],
    ),
    (
        "elder",
        ["关于建设{village}农村幸福院的建议", "关于加强{town}居家养老服务的建议"],
        [
            "{town}{village}留守老人多，日间照料设施简陋，建议建设农村幸福院，引入社会力量运营。",
            "{town}独居老人多，助餐、助医服务缺乏，建议建设养老服务站，开展居家养老上门服务。",
        ],
    ),
    (
        "bridge",
        ["关于在{village}修建便民桥的建议", "关于改造{village}漫水桥的建议"],
        [
            "{town}{village}群众过河只能走漫水桥，汛期桥面被淹，学生上学危险，建议修建便民桥。",
            "{village}{river}上的漫水桥年久失修，雨季无法通行，建议改建为平桥。",
        ],
    ),
    (
        "river",
        ["关于治理{river}{town}段污染的建议", "关于整治{river}沿岸养殖污染的建议"],
        [
            "{river}{town}段沿岸养殖场污水直排，河水发黑发臭，建议开展综合整治，关停违规养殖场。",
            "{river}沿岸生活污水和垃圾入河，水质下降，建议建设污水收集设施，落实河长制。",
        ],
    ),
    (
        "old_housing",
        ["关于改造{road}老旧小区的建议", "关于{road}老旧小区加装电梯的建议"],
        [
            "{road}老旧小区管网老化、路面破损、无物业管理，建议纳入老旧小区改造计划。",
            "{road}老旧住宅楼多为七层，老人上下楼困难，建议出台政策支持加装电梯。",
        ],
    ),
    (
        "school_traffic",
        ["关于{road}学校门口设置斑马线和信号灯的建议", "关于保障{road}学生上下学安全的建议"],
        [
            "{road}学校门口车流量大，学生过马路没有斑马线和信号灯，建议增设交通安全设施。",
            "{road}学校上下学时段车辆和学生混行，建议设置护学岗和减速带。",
        ],
    ),
    (
        "signal",
        ["关于改善{village}手机信号的建议", "关于{village}宽带网络覆盖的建议"],
        [
            "{town}{village}地处山区，手机信号时有时无，建议运营商增设基站。",
            "{village}没有通光纤宽带，学生上网课困难，建议实施宽带进村。",
        ],
    ),
    (
        "agri_industry",
        ["关于扶持{town}{crop}产业发展的建议", "关于建设{town}{crop}加工基地的建议"],
        [
            "{town}盛产{crop}，但缺少加工企业，农产品附加值低，建议出台扶持政策招引企业，打造品牌。",
            "{town}{crop}种植面积大，但销售渠道单一，价格波动大，建议建设冷链仓储和电商服务站。",
        ],
    ),
    (
        "sand",
        ["关于整治{river}{village}段乱挖乱采的建议", "关于保护{river}河道的建议"],
        [
            "{river}{village}段有人私挖河砂、侵占河道，堤岸受损，建议加强河道执法巡查。",
            "{river}{town}段河道被违章建筑和垃圾侵占，行洪不畅，建议清理整治。",
        ],
    ),
    (
        "hospital",
        ["关于提高{town}卫生院急诊能力的建议", "关于{town}卫生院设置夜间门诊的建议"],
        [
            "{town}卫生院没有急诊科，夜间群众急病只能送县城，延误救治，建议设置急诊，配备救护车。",
            "{town}卫生院晚上无医生值班，建议设置夜间门诊，方便群众就医。",
        ],
    ),
    (
        "night_market",
        ["关于规范{road}流动摊贩经营的建议", "关于整治{road}占道经营的建议"],
        [
            "{road}沿街商户和流动摊贩占道经营，早晚高峰交通拥堵，建议城管部门加强管理，规划临时疏导点。",
            "{road}早市摊贩占满人行道，行人被迫走机动车道，建议规范经营区域和时间。",
        ],
    ),
    (
        "rail_crossing",
        ["关于{road}与铁路交叉口安全的建议"],
        ["{road}与铁路交叉处没有防护栏，行人穿越铁路存在安全隐患，建议设置防护设施。"],
    ),
    (
        "fitness",
        ["关于在{village}安装健身器材的建议", "关于建设{town}文体广场的建议"],
        [
            "{town}{village}村民没有健身活动场所，建议安装健身器材，建设篮球场。",
            "{town}集镇没有文体活动广场，群众跳广场舞只能在马路边，建议建设文体广场。",
        ],
    ),
    (
        "shanty",
        ["关于{road}危旧房改造的建议"],
        ["{road}一带危旧房集中，房屋墙体开裂，消防通道狭窄，建议纳入城镇危旧房改造计划。"],
    ),
    (
        "street_light",
        ["关于在{village}安装路灯的建议", "关于{village}路灯维修的建议"],
        [
            "{town}{village}主干道夜间照明不足，行人和车辆通行存在安全隐患，建议安装太阳能路灯。",
            "{village}已安装的路灯大多损坏，晚上一片漆黑，建议维修并落实管护责任。",
        ],
    ),
    (
        "tourism",
        ["关于开发{village}乡村旅游的建议", "关于打造{town}{village}古村落旅游的建议"],
        [
            "{town}{village}山清水秀，古民居保存完好，建议规划发展乡村旅游，完善游客服务设施。",
            "{village}古村落具有开发价值，但道路、停车、厕所等配套缺乏，建议统一规划开发。",
        ],
    ),
    (
        "cemetery",
        ["关于规划建设{town}公益性公墓的建议"],
        ["{town}乱埋乱葬现象突出，青山白化，建议规划建设乡镇公益性公墓，推进殡葬改革。"],
    ),
    (
        "reservoir",
        ["关于{village}山塘除险加固的建议", "关于清淤{village}山塘的建议"],
        [
            "{town}{village}山塘坝体渗漏，溢洪道堵塞，汛期威胁下游农户安全，建议除险加固。",
            "{village}山塘淤积严重，蓄水能力下降，干旱时灌溉用水不足，建议清淤扩容。",
        ],
    ),
    (
        "county_road",
        ["关于拓宽{town}至{town2}公路的建议", "关于{town}至{town2}公路养护的建议"],
        [
            "{town}至{town2}公路路面窄，弯道多，会车困难，交通事故时有发生，建议拓宽改造。",
            "{town}至{town2}公路路面破损严重，养护不及时，建议加强日常养护，修补坑槽。",
        ],
    ),
    (
        "aquaculture",
        ["关于规范{village}畜禽养殖污染治理的建议", "关于{village}养猪场臭气扰民的建议"],
        [
            "{town}{village}养猪场粪污直排沟渠，臭气熏天，建议督促养殖户建设粪污处理设施。",
            "{village}规模养殖场离村民住房太近，夏季臭气难闻、蚊蝇滋生，建议依法整治或搬迁。",
        ],
    ),
    (
        "toilet",
        ["关于推进{village}农村改厕的建议"],
        ["{town}{village}仍有大量旱厕，卫生条件差，建议加大改厕补助，同步建设污水处理设施。"],
    ),
    (
        "flood_street",
        ["关于解决{road}雨天积水的建议", "关于改造{road}排水设施的建议"],
        [
            "{road}地势低洼，每逢暴雨路面积水，车辆无法通行，建议改造雨水管网。",
            "{road}下水道经常堵塞，雨天污水外溢，建议疏通下水道，实施雨污分流。",
        ],
    ),
    (
        "dorm",
        ["关于改善{town}中学寄宿条件的建议"],
        ["{town}中学寄宿生多，宿舍拥挤，冬天没有热水洗澡，建议改善寄宿条件。"],
    ),
    (
        "highway",
        ["关于{town}高速公路连接线建设的建议"],
        ["{town}到高速公路出入口的连接线路面窄、坡陡，大车通行困难，建议提级改造。"],
    ),
    (
        "library",
        ["关于建设{town}综合文化站的建议", "关于{village}农家书屋管理的建议"],
        [
            "{town}综合文化站没有独立场地，文化活动难以开展，建议建设综合文化站。",
            "{village}农家书屋长期锁门，图书陈旧，建议安排专人管理，更新图书。",
        ],
    ),
    (
        "mine",
        ["关于治理{village}采石场粉尘污染的建议"],
        ["{town}{village}采石场粉尘大、放炮震裂民房，建议加强监管，督促整改。"],
    ),
    (
        "power",
        ["关于解决{village}低电压问题的建议", "关于{village}变压器增容的建议"],
        [
            "{town}{village}用电高峰电压不足，空调冰箱无法正常使用，建议增容变压器。",
            "{village}农网线路老化，大风天经常停电，建议改造农村电网。",
        ],
    ),
    (
        "employment",
        ["关于加强{town}农村劳动力技能培训的建议", "关于在{town}建设就业帮扶车间的建议"],
        [
            "{town}外出务工人员多但技能单一，收入不高，建议开展订单式技能培训。",
            "{town}留守妇女和老人有就业意愿，建议引进来料加工企业，建设就业帮扶车间。",
        ],
    ),
    (
        "business",
        ["关于优化{town}企业审批服务的建议", "关于解决{town}小微企业融资难的建议"],
        [
            "{town}企业反映审批环节多、跑腿多，建议在镇便民服务中心设立企业服务窗口。",
            "{town}小微企业缺少抵押物，贷款难、贷款贵，建议设立县级应急转贷资金。",
        ],
    ),
    (
        "fire",
        ["关于在{town}建设消防站的建议"],
        ["{town}距县消防救援大队较远，火灾救援不及时，建议建设乡镇专职消防站。"],
    ),
    ("stray", ["关于治理{road}流浪犬的建议"], ["{road}一带流浪犬成群，多次咬伤行人，建议开展流浪犬收容治理。"]),
    (
        "kindergarten",
        ["关于{village}村办幼儿园的建议"],
        ["{town}{village}幼儿只能到集镇入园，接送困难，建议利用村小闲置校舍开办幼儿班。"],
    ),
]
CROPS = ["油茶", "脐橙", "中药材", "生猪", "蜂蜜", "竹笋", "蔬菜", "香菇", "葡萄", "黄桃", "茶油", "花生"]
OPENERS = ["", "", "", "群众反映强烈。", "本人在走访中了解到，", "据调查，", "近年来，", "经实地调研，"]
CLOSERS = ["", "", "", "请有关部门予以重视。", "恳请县政府统筹安排资金。", "希望早日解决。", "建议列入年度民生实事。"]
# Series matters: the background never draws the same kind of matter in the same place.
SERIES_MATTERS = {
    ("drainage", "礼乐街道"),
    ("parking", "滨河大道"),
    ("parking", "解放街"),
    ("old_housing", "人民路"),
    ("school_traffic", "文化路"),
    ("night_market", "解放街"),
    ("rail_crossing", "建设路"),
    ("flood_street", "幸福街"),
    ("hospital", "清河镇"),
    ("garbage", "白沙镇"),
    ("water_supply", "青山乡"),
    ("market", "新华镇"),
    ("elder", "永安镇"),
    ("bridge", "太平乡"),
    ("river", "金山镇"),
    ("signal", "黄岗镇"),
    ("agri_industry", "马鞍镇"),
    ("sand", "柳林乡"),
    ("river", "东湖街道"),
    ("kindergarten", "桃源乡"),
    ("shanty", "红旗街道"),
    ("street_light", "双河镇"),
    ("tourism", "龙泉镇"),
    ("reservoir", "石门乡"),
    ("county_road", "青山乡"),
    ("county_road", "马鞍镇"),
    ("aquaculture", "白沙镇"),
    ("dorm", "清河镇"),
    ("highway", "永安镇"),
    ("mine", "金山镇"),
    ("power", "城关镇"),
    ("bus", "石门乡"),
    ("school_building", "龙泉镇"),
}


def villages(rng: random.Random) -> list[tuple[str, str]]:
    """(town, village) pairs: every stem a village of two or three towns."""
    pairs = []
    for stem in VILLAGE_STEMS:
        for town in rng.sample(TOWNS, 3):
            pairs.append((town, f"{stem}村"))
    return pairs


def generate(n: int, *, seed: int = 2026, years=(2006, 2025)) -> list[tuple[int, str, str]]:
    """``n`` (year, title, text) suggestions on unrelated matters."""
    rng = random.Random(seed)
    places = villages(rng)
    used: set = set()
    rows = []
    attempts = 0
    while len(rows) < n:
        attempts += 1
        topic, titles, texts = rng.choice(TEMPLATES)
        town, village = rng.choice(places)
        slots = {
            "town": town,
            "village": village,
            "road": rng.choice(ROADS),
            "river": rng.choice(RIVERS),
            "crop": rng.choice(CROPS),
            "town2": rng.choice(TOWNS),
        }
        if slots["town2"] == town:
            continue
        where = {slots["town"], slots["road"], slots["town2"]}
        if any((topic, place) in SERIES_MATTERS for place in where):
            continue
        title_i, text_i = rng.randrange(len(titles)), rng.randrange(len(texts))
        # The matter: its kind and every place its words name, however it is worded.
        said = titles[title_i] + texts[text_i]
        key = (topic, *(value for slot, value in sorted(slots.items()) if "{" + slot + "}" in said))
        if key in used and attempts < 50 * n:
            continue
        used.add(key)
        text = rng.choice(OPENERS) + texts[text_i].format(**slots) + rng.choice(CLOSERS)
        rows.append((rng.randint(*years), titles[title_i].format(**slots), text))
    return rows
