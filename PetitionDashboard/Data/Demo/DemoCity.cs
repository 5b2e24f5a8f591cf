using PetitionDashboard.Domain;

namespace PetitionDashboard.Data.Demo;

/// <summary>A county or district of the fictional 临川市, with its townships and how much of the city's petitions it brings.</summary>
public sealed record DemoCounty(string Name, int Weight, string AreaCode, IReadOnlyList<string> Townships);

/// <summary>A demand pattern of one category; slots in braces are filled from the place and person of the case.</summary>
public sealed record DemandTemplate(string Text, PetitionPurpose Purpose);

/// <summary>
/// The fictional prefecture-level city the demo data describes: its counties and districts, city departments, leaders,
/// the people's names and the kinds of matters they petition about. Pure data, no randomness.
/// </summary>
public static class DemoCity
{
    public static readonly IReadOnlyList<DemoCounty> Counties =
    [
        new("临川区", 16, "361102", ["文昌街道", "荆公路街道", "上顿渡镇", "云山镇", "罗针镇"]),
        new("东湖区", 14, "361103", ["湖滨街道", "洪都街道", "扬子洲镇", "新港镇"]),
        new("西山区", 11, "361104", ["西岭街道", "梅岭镇", "罗亭镇", "太平镇"]),
        new("青山县", 9, "361121", ["青山镇", "石溪乡", "龙潭镇", "白沙乡"]),
        new("白水县", 8, "361122", ["白水镇", "马渡乡", "杨桥镇", "沙湾乡"]),
        new("清溪县", 9, "361123", ["清溪镇", "港口镇", "双塘乡", "大桥镇"]),
        new("云岭县", 7, "361124", ["云岭镇", "茶山乡", "高坪乡", "枫林镇"]),
        new("石门县", 8, "361125", ["石门镇", "三江镇", "黄坑乡", "塘湾乡"]),
        new("双河县", 9, "361126", ["双河镇", "古城镇", "柳溪乡", "金竹乡"]),
        new("凤鸣县", 9, "361127", ["凤鸣镇", "桃源乡", "长岗镇", "樟树乡"]),
    ];

    /// <summary>城市直属部门 (市直部门) that receive petitions.</summary>
    public static readonly IReadOnlyList<string> Departments =
    [
        "市住建局", "市人社局", "市自然资源局", "市教育局", "市卫健委", "市公安局", "市市场监管局", "市生态环境局",
        "市交通运输局", "市农业农村局", "市民政局", "市城管局", "市司法局", "市财政局", "市发改委", "市商务局",
        "市文广旅局", "市应急管理局", "市水利局", "市医保局", "市退役军人事务局", "市科技局", "市工信局", "市国资委",
        "市林业局",
    ];

    /// <summary>A few townships that handle petitions themselves (乡镇街道), with the county they belong to.</summary>
    public static readonly IReadOnlyList<(string County, string Township)> TownshipUnits =
    [
        ("临川区", "文昌街道"), ("东湖区", "湖滨街道"), ("西山区", "梅岭镇"), ("青山县", "青山镇"), ("清溪县", "港口镇"),
        ("双河县", "古城镇"),
    ];

    /// <summary>The city departments that handle each category; a category without one goes to the county.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> DepartmentsByCategory = new Dictionary<string, string[]>
    {
        ["农村农业"] = ["市农业农村局", "市林业局", "市水利局"],
        ["自然资源"] = ["市自然资源局"],
        ["城乡建设"] = ["市住建局", "市城管局"],
        ["住房保障与房地产"] = ["市住建局"],
        ["劳动和社会保障"] = ["市人社局", "市医保局"],
        ["卫生健康"] = ["市卫健委", "市医保局"],
        ["教育"] = ["市教育局"],
        ["文体旅游"] = ["市文广旅局"],
        ["民政与应急"] = ["市民政局", "市应急管理局"],
        ["政法"] = ["市公安局", "市司法局"],
        ["经济管理"] = ["市财政局", "市发改委", "市国资委"],
        ["市场监管"] = ["市市场监管局"],
        ["交通运输"] = ["市交通运输局"],
        ["商贸"] = ["市商务局"],
        ["科技与信息产业"] = ["市科技局", "市工信局"],
        ["生态环境"] = ["市生态环境局"],
        ["党务政务"] = ["市发改委"],
        ["组织人事"] = ["市人社局"],
        ["军队事务"] = ["市退役军人事务局"],
    };

    /// <summary>How often each category occurs (relative weights; the order is that of <see cref="DomainText.Categories"/>).</summary>
    public static readonly IReadOnlyDictionary<string, int> CategoryWeights = new Dictionary<string, int>
    {
        ["农村农业"] = 9, ["自然资源"] = 10, ["城乡建设"] = 15, ["住房保障与房地产"] = 12, ["劳动和社会保障"] = 14,
        ["卫生健康"] = 5, ["教育"] = 5, ["文体旅游"] = 1, ["民政与应急"] = 4, ["政法"] = 8, ["经济管理"] = 2,
        ["市场监管"] = 4, ["交通运输"] = 3, ["商贸"] = 1, ["科技与信息产业"] = 1, ["生态环境"] = 4, ["党务政务"] = 1,
        ["组织人事"] = 1, ["纪检监察"] = 2, ["军队事务"] = 1, ["其他"] = 2,
    };

    public static readonly IReadOnlyDictionary<string, DemandTemplate[]> Demands = new Dictionary<string, DemandTemplate[]>
    {
        ["农村农业"] =
        [
            new("反映{town}{village}土地承包经营权被村委会收回另行发包，要求恢复其承包地{n}亩", PetitionPurpose.Request),
            new("反映{town}{village}村集体收益分配不公开，未向其发放征地补偿款{amount}元，要求依法发放", PetitionPurpose.Request),
            new("反映{village}农田灌溉水渠年久失修，影响{n}余户农户春耕生产，要求尽快维修", PetitionPurpose.Request),
        ],
        ["自然资源"] =
        [
            new("反映{town}{village}宅基地被邻居侵占，多次协调未果，要求依法确权", PetitionPurpose.Request),
            new("反映{road}片区征地补偿标准过低，要求按新标准补足补偿款{amount}元", PetitionPurpose.Request),
            new("反映{town}{village}有人非法占用耕地建房约{n}平方米，要求依法查处", PetitionPurpose.Accusation),
        ],
        ["城乡建设"] =
        [
            new("反映{road}{compound}周边道路施工夜间施工至凌晨，噪音扰民，要求规范施工时间", PetitionPurpose.Request),
            new("反映{compound}老旧小区改造工程质量差，外墙脱落、管网漏水，要求整改", PetitionPurpose.Request),
            new("反映{road}棚户区改造安置房逾期{years}年未交付，要求尽快安置", PetitionPurpose.Request),
            new("反映{compound}物业服务不到位、电梯频繁故障，要求督促物业企业整改", PetitionPurpose.Request),
        ],
        ["住房保障与房地产"] =
        [
            new("反映{company}开发的{compound}逾期交房{years}年，要求开发商按合同交房并支付违约金", PetitionPurpose.Request),
            new("反映购买的{compound}商品房至今无法办理不动产权证，要求协调办证", PetitionPurpose.Request),
            new("反映申请公共租赁住房已{years}年仍未轮候到位，要求尽快解决住房困难", PetitionPurpose.Request),
        ],
        ["劳动和社会保障"] =
        [
            new("反映{company}拖欠其等{n}名农民工工资共计{amount}元，要求督促支付", PetitionPurpose.Request),
            new("反映在{company}工作{years}年，单位未依法缴纳养老保险，要求补缴", PetitionPurpose.Request),
            new("反映工伤认定申请已提交{n}个月仍未作出认定，要求尽快依法认定", PetitionPurpose.Request),
            new("反映{company}解除劳动合同未支付经济补偿金{amount}元，要求依法支付", PetitionPurpose.Request),
        ],
        ["卫生健康"] =
        [
            new("反映其家属在{hospital}治疗期间发生医疗纠纷，要求查明原因并依法赔偿", PetitionPurpose.Request),
            new("反映{town}卫生院乡村医生待遇偏低，要求落实乡村医生补助政策", PetitionPurpose.Request),
        ],
        ["教育"] =
        [
            new("反映{school}违规收取补课费用每生{amount}元，要求查处并退费", PetitionPurpose.Accusation),
            new("反映{compound}适龄儿童入学划片不合理，要求安排就近入学", PetitionPurpose.Request),
            new("反映在{school}代课{years}年未落实代课教师待遇，要求解决", PetitionPurpose.Request),
        ],
        ["文体旅游"] =
        [
            new("反映{road}广场舞音响噪音扰民，要求规范活动时间和音量", PetitionPurpose.Suggestion),
            new("反映{company}组织旅游途中强制购物，要求退还团费{amount}元", PetitionPurpose.Request),
        ],
        ["民政与应急"] =
        [
            new("反映其家庭困难符合低保条件，申请{n}个月未获批准，要求纳入最低生活保障", PetitionPurpose.Request),
            new("反映{village}{n}户房屋受洪灾损毁，救灾补助未发放到位，要求落实", PetitionPurpose.Request),
            new("反映{company}仓库堆放易燃物品存在消防安全隐患，要求检查整改", PetitionPurpose.Accusation),
        ],
        ["政法"] =
        [
            new("反映{years}年前被他人殴打致伤，公安机关立案后至今未破案，要求尽快侦破", PetitionPurpose.Appeal),
            new("反映{county}人民法院民事判决执行款{amount}元至今未执行到位，要求督促执行", PetitionPurpose.Appeal),
            new("反映{company}涉嫌非法集资，其投入{amount}元无法取回，要求立案追赃", PetitionPurpose.Accusation),
        ],
        ["经济管理"] =
        [
            new("反映{company}改制时职工身份置换补偿未落实，要求按政策补偿", PetitionPurpose.Request),
            new("反映为政府工程垫资施工，工程款{amount}元拖欠{years}年未付，要求支付", PetitionPurpose.Request),
        ],
        ["市场监管"] =
        [
            new("反映在{company}购买的商品存在质量问题，商家拒绝退换，要求依法处理", PetitionPurpose.Request),
            new("反映{road}{company}无证经营餐饮且卫生条件差，要求查处", PetitionPurpose.Accusation),
        ],
        ["交通运输"] =
        [
            new("反映{village}通村公路路面破损严重，雨天无法通行，要求修缮", PetitionPurpose.Request),
            new("反映{town}至市区公交班次减少，群众出行不便，要求恢复原班次", PetitionPurpose.Suggestion),
        ],
        ["商贸"] =
        [
            new("反映{company}预付卡商家停业，{n}名消费者预付款{amount}元无法退还，要求处理", PetitionPurpose.Request),
        ],
        ["科技与信息产业"] =
        [
            new("反映{town}{village}移动网络信号差、宽带无法接入，要求增设通信基站", PetitionPurpose.Suggestion),
        ],
        ["生态环境"] =
        [
            new("反映{company}夜间偷排废水污染{village}河道，要求依法查处", PetitionPurpose.Accusation),
            new("反映{town}{company}粉尘污染严重，影响周边居民生活，要求整改", PetitionPurpose.Request),
        ],
        ["党务政务"] =
        [
            new("反映{town}便民服务中心办事效率低，多次往返未能办结，要求改进作风", PetitionPurpose.Suggestion),
        ],
        ["组织人事"] =
        [
            new("反映其{years}年工龄认定有误影响退休待遇，要求重新核定工龄", PetitionPurpose.Request),
        ],
        ["纪检监察"] =
        [
            new("反映{village}村干部在项目建设中优亲厚友、侵占集体资金，要求调查处理", PetitionPurpose.Accusation),
            new("反映{town}有关工作人员违规收受好处费，要求纪检监察机关查处", PetitionPurpose.Accusation),
        ],
        ["军队事务"] =
        [
            new("反映其为退役军人，退役安置待遇至今未落实，要求按政策安置", PetitionPurpose.Request),
        ],
        ["其他"] =
        [
            new("反映{compound}邻里纠纷长期未解决，要求有关部门协调处理", PetitionPurpose.Other),
            new("对{county}城市管理和便民服务工作提出意见建议", PetitionPurpose.Suggestion),
        ],
    };

    /// <summary>What a repeat petition adds to the demand of the first (the same matter, said again).</summary>
    public static readonly IReadOnlyList<(string Prefix, string Suffix)> RepeatWordings =
    [
        ("再次", "，至今未解决"),
        ("再次", "，问题仍未得到解决"),
        ("多次", "，对原答复不满意"),
        ("再次", "，要求加快办理"),
        ("仍", "，诉求未得到落实"),
    ];

    public static readonly IReadOnlyList<string> Villages =
    [
        "张家村", "李家庄", "王坊村", "刘家湾", "陈家岭", "杨柳村", "黄泥塘村", "赵家洲", "周坊村", "吴家桥村", "徐家垄",
        "孙家坪", "胡家山村", "朱家店", "高坑村", "林溪村", "何家湾", "郭家庄", "马鞍村", "罗家坳", "梁坊村", "宋家村",
        "郑家湖", "谢家源", "韩坊村", "唐家岭", "冯家村", "于家坞", "董家巷村", "萧家坑",
    ];

    public static readonly IReadOnlyList<string> Roads =
    [
        "学府路", "迎宾大道", "赣东大道", "人民路", "解放路", "中山路", "青云大道", "滨江路", "建设路", "文化路", "站前路",
        "玉茗大道", "荷花路", "团结路", "金巢大道",
    ];

    public static readonly IReadOnlyList<string> Compounds =
    [
        "锦绣花园", "翡翠湾小区", "阳光新城", "丽景苑", "御景华庭", "紫荆园小区", "桂花苑", "滨江一号", "凤凰城",
        "金色家园", "书香名邸", "南湖新村", "幸福里小区", "翠微苑", "东方明珠小区", "盛世华府",
    ];

    public static readonly IReadOnlyList<string> Companies =
    [
        "临川宏达建筑工程有限公司", "东湖鑫源置业有限公司", "青山华盛纺织有限公司", "清溪腾飞物流有限公司",
        "临川恒通房地产开发有限公司", "双河兴旺食品有限公司", "凤鸣金鼎化工有限公司", "石门永安建材有限公司",
        "白水润丰农业开发有限公司", "云岭天成矿业有限公司", "西山博远商贸有限公司", "临川佳美超市有限公司",
        "东湖顺达汽车服务有限公司", "临川国泰旅行社有限公司", "青山同心电子有限公司",
    ];

    public static readonly IReadOnlyList<string> Schools =
    [
        "市第三中学", "临川区实验小学", "东湖区育才中学", "青山县第二中学", "清溪县城关小学", "双河县实验中学",
        "凤鸣县第一小学", "石门县民族中学",
    ];

    public static readonly IReadOnlyList<string> Hospitals =
    [
        "市第一人民医院", "市中医院", "临川区人民医院", "青山县人民医院", "清溪县中医院", "双河县妇幼保健院",
    ];

    /// <summary>Common surnames, most frequent first (earlier ones are drawn more often).</summary>
    public static readonly IReadOnlyList<string> Surnames =
    [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马",
        "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾",
        "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪",
        "田", "任", "姜", "范", "方", "石", "姚", "谭", "廖", "邹", "熊", "金", "陆", "郝", "孔", "白", "崔", "康", "毛",
        "邱", "秦", "江", "史", "顾", "侯", "邵", "孟", "龙", "万", "段", "向", "钱", "汤", "尹", "黎", "易", "常", "武",
        "乔", "贺", "赖", "龚", "文",
    ];

    public static readonly string GivenMaleChars =
        "伟强军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳建国志文斌海峰磊亮成东兵春荣德福贵生祥发";

    public static readonly string GivenFemaleChars =
        "芳娜敏静丽艳娟霞秀英华慧巧美玲桂珍凤红梅琳素云莲真环雪荣爱妹香月莺媛艳瑞凡佳嘉琼勤珍贞莉兰燕萍";

    /// <summary>The 40 leaders who can own a case (包案领导): city leaders, the bureau's leaders, county leaders.</summary>
    public static IReadOnlyList<string> LeaderTitles()
    {
        var titles = new List<string>
        {
            "市委书记", "市长", "市委副书记", "市委常委、常务副市长", "副市长", "副市长", "副市长", "副市长", "副市长", "副市长",
            "市委常委、政法委书记", "市委常委、市纪委书记", "市委常委、组织部部长", "市委常委、宣传部部长", "市委常委、秘书长",
            "市人大常委会副主任", "市人大常委会副主任", "市政协副主席", "市政协副主席", "市信访局局长", "市信访局副局长",
            "市信访局副局长", "市信访局副局长",
        };
        foreach (var county in Counties) titles.Add(county.Name[^1] == '区' ? $"{county.Name[..^1]}区委书记" : $"{county.Name[..^1]}县委书记");
        foreach (var county in Counties.Take(7)) titles.Add(county.Name[^1] == '区' ? $"{county.Name}区长" : $"{county.Name}县长");
        return titles;
    }

    /// <summary>Units in the order they get their ids: counties, city departments, townships.</summary>
    public static IReadOnlyList<(string Name, UnitKind Kind)> Units() =>
    [
        .. Counties.Select(c => (c.Name, UnitKind.County)),
        .. Departments.Select(d => (d, UnitKind.CityDepartment)),
        .. TownshipUnits.Select(t => (t.County + t.Township, UnitKind.Township)),
    ];

    public static readonly IReadOnlyList<string> ExtensionReasons =
    [
        "案情复杂，需进一步调查核实", "涉及多个部门，需协调会商", "需委托第三方鉴定评估", "需等待司法机关出具结论",
        "历史遗留问题，需查阅档案资料", "信访人诉求较多，需逐项核实",
    ];

    public static readonly IReadOnlyList<string> ApproverTitles = ["局长", "分管副局长", "主任", "分管副主任"];

    public static readonly IReadOnlyList<string> PlanTemplates =
    [
        "成立工作专班，由{leader}牵头，{unit}负责调查核实，{days}日内提出化解方案并当面答复信访人；属地落实稳控责任。",
        "{leader}接访约谈信访人，{unit}逐项梳理诉求、明确政策依据，依法依规分类处理，定期向包案领导报告进展。",
        "召开专题协调会，{unit}牵头会同相关部门现场核查，制定“一案一策”化解方案，{days}日内办结。",
    ];

    public static readonly IReadOnlyList<string> ProgressActions =
    [
        "包案领导主持召开专题协调会，明确责任分工", "责任单位赴现场调查核实，形成调查报告", "包案领导接访约谈信访人，听取诉求",
        "组织相关部门会商，提出初步化解意见", "向信访人当面反馈办理进展", "落实属地稳控措施，开展思想疏导",
        "聘请律师参与，开展法律释明", "形成化解方案并报包案领导审定",
    ];

    public static readonly IReadOnlyList<string> ResolutionResults =
    [
        "经协调，责任单位落实诉求，信访人签字息诉罢访", "依法依规答复并做好解释说明，信访人表示认可",
        "通过司法途径解决，信访人已撤回信访诉求", "落实帮扶救助措施，信访人家庭困难得到缓解，息诉",
        "补发相关款项，问题得到解决",
    ];

    public static readonly IReadOnlyList<string> OfficerTitles = ["副局长", "科长", "主任", "副主任", "所长", "站长"];
}
