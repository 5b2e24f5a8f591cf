using PetitionDashboard.Domain;
using static PetitionDashboard.Tests.Domain.DomainTestData;

namespace PetitionDashboard.Tests.Domain;

/// <summary>Same person, same matter (docs/rules.md §6).</summary>
public class RepeatMatchingTests
{
    // 11010519491231002X, the sample of GB 11643-1999. Σ digit × weight:
    // 1·7 + 1·9 + 0·10 + 1·5 + 0·8 + 5·4 + 1·2 + 9·1 + 4·6 + 9·3 + 1·7 + 2·9 + 3·10 + 1·5 + 0·8 + 0·4 + 2·2 = 167;
    // 167 mod 11 = 2 → "10X98765432"[2] = 'X'.
    // 440524188001010014: Σ = 195; 195 mod 11 = 8 → '4'. Born 1880-01-01.
    // 110105194902300020: Σ = 155; 155 mod 11 = 1 → '0': the check digit is right but 1949-02-30 is no date.
    [Theory]
    [InlineData("11010519491231002X", true)]
    [InlineData("440524188001010014", true)]
    [InlineData("11010519491231002x", true)] // lower-case x
    [InlineData(" 1101 0519 4912 3100 2X ", true)] // spaces as typed in a form
    [InlineData("１１０１０５１９４９１２３１００２Ｘ", true)] // full-width digits from an IME
    [InlineData("110105194912310021", false)] // wrong check digit
    [InlineData("440524188001010015", false)]
    [InlineData("110105194902300020", false)] // Feb 30
    [InlineData("11010519491231002", false)] // 17 characters
    [InlineData("11010519491231002XX", false)] // 19 characters
    [InlineData("110105491231002", false)] // a 15-digit first-generation number has no check digit
    [InlineData("1101051949123100AX", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IdNumber_IsValidatedWithTheCheckDigitAndTheBirthDate(string? id, bool valid) =>
        Assert.Equal(valid, ChineseIdNumber.IsValid(id));

    [Fact]
    public void IdNumber_IsNormalized()
    {
        Assert.Equal("11010519491231002X", ChineseIdNumber.Normalize(" 11010519491231002x "));
        Assert.Equal("11010519491231002X", ChineseIdNumber.Normalize("１１０１０５１９４９１２３１００２ｘ"));
        Assert.Null(ChineseIdNumber.Normalize("  "));
    }

    [Theory]
    [InlineData("张三", "11010519491231002x", "138-0013-8000", "ID:11010519491231002X")]
    [InlineData(null, "11010519491231002X", null, "ID:11010519491231002X")]
    [InlineData(" 张 三 ", null, "138-0013-8000", "NP:张三|13800138000")]
    [InlineData("张　三", "110105194912310021", "(0791) 8888-6666", "NP:张三|079188886666")] // invalid ID → name + phone
    [InlineData("ＬＩ　Ｍｉｎｇ", "", "１３８ ００１３ ８０００", "NP:LIMing|13800138000")]
    [InlineData("张三", null, null, null)] // a bare name is not an identity
    [InlineData("张三", "110105194912310021", "", null)]
    [InlineData("张三", null, "--", null)]
    [InlineData("", null, "13800138000", null)]
    public void IdentityKey_IsTheIdOrElseNameAndPhone(string? name, string? id, string? phone, string? expected) =>
        Assert.Equal(expected, PetitionerIdentity.Key(name, id, phone));

    [Fact]
    public void IdentityKey_TheSamePersonTypedDifferently_GetsTheSameKey()
    {
        Assert.Equal(PetitionerIdentity.Key("王芳", null, "13912345678"), PetitionerIdentity.Key(" 王 芳", "", "139 1234 5678"));
        Assert.NotEqual(PetitionerIdentity.Key("王芳", null, "13912345678"), PetitionerIdentity.Key("王方", null, "13912345678"));
    }

    [Fact]
    public void Similarity_AboveHalf_NoiseComplaint()
    {
        // a → 小区楼下噪音扰民要求处理 (12 chars, 11 bigrams: 小区 区楼 楼下 下噪 噪音 音扰 扰民 民要 要求 求处 处理)
        // b → 小区楼下噪音扰民严重要求尽快处理 (16 chars, 15 bigrams)
        // shared: 小区 区楼 楼下 下噪 噪音 音扰 扰民 要求 处理 = 9; union 11 + 15 − 9 = 17; 9/17 ≈ 0.529.
        var j = DemandSimilarity.Jaccard("小区楼下噪音扰民，要求处理。", "小区楼下噪音扰民严重，要求尽快处理！");
        Assert.Equal(9.0 / 17, j, 12);
        Assert.True(RepeatRule.IsSameMatter("临川区", "城乡建设", "小区楼下噪音扰民，要求处理。",
            "临川区", "城乡建设", "小区楼下噪音扰民严重，要求尽快处理！", 0.5));
    }

    [Fact]
    public void Similarity_BelowHalf_DifferentWageComplaints()
    {
        // a → 拖欠工资三个月请求帮助讨薪 (13 chars, 12 bigrams); b → 公司拖欠工资要求补缴社保 (12 chars, 11 bigrams)
        // shared: 拖欠 欠工 工资 = 3; union 12 + 11 − 3 = 20; 3/20 = 0.15.
        var j = DemandSimilarity.Jaccard("拖欠工资三个月，请求帮助讨薪。", "公司拖欠工资，要求补缴社保。");
        Assert.Equal(0.15, j, 12);
        Assert.False(RepeatRule.IsSameMatter("临川区", "劳动和社会保障", "拖欠工资三个月，请求帮助讨薪。",
            "临川区", "劳动和社会保障", "公司拖欠工资，要求补缴社保。", 0.5));
    }

    [Fact]
    public void Similarity_ExactlyTheThreshold_CountsAsTheSameMatter()
    {
        // a → 征地补偿: 征地 地补 补偿 (3); b → 征地补偿不到位: 征地 地补 补偿 偿不 不到 到位 (6); 3/6 = 0.5 exactly.
        Assert.Equal(0.5, DemandSimilarity.Jaccard("征地补偿！", "征地，补偿不到位。"));
        Assert.True(RepeatRule.IsSameMatter("东乡区", "自然资源", "征地补偿！", "东乡区", "自然资源", "征地，补偿不到位。", 0.5));
        // b → 征地补偿款不到位: 7 bigrams, 3 shared; 3/7 ≈ 0.429 < 0.5.
        Assert.Equal(3.0 / 7, DemandSimilarity.Jaccard("征地补偿", "征地补偿款不到位"), 12);
        Assert.False(RepeatRule.IsSameMatter("东乡区", "自然资源", "征地补偿", "东乡区", "自然资源", "征地补偿款不到位", 0.5));
    }

    [Theory]
    [InlineData("“征地补偿”（东乡）……", "征地补偿东乡", 1.0)] // Chinese quotes, brackets, ellipsis removed
    [InlineData("ABC公司欠薪", "ａｂｃ 公司 欠薪！", 1.0)] // full-width and case folded, spaces removed
    [InlineData("征地补偿 ￥5000", "征地补偿5000", 1.0)] // currency symbol removed
    [InlineData("哈哈哈哈", "哈哈", 1.0)] // grams are a set
    [InlineData("好", "好", 1.0)] // one character: its own single gram
    [InlineData("好", "好的", 0.0)] // a single-character gram never equals a bigram
    [InlineData("，。！", "  ", 0.0)] // both empty after cleaning
    [InlineData("", "征地补偿", 0.0)]
    [InlineData(null, null, 0.0)]
    public void Similarity_EdgeCases(string? a, string? b, double expected) =>
        Assert.Equal(expected, DemandSimilarity.Jaccard(a, b), 12);

    [Fact]
    public void SameMatter_NeedsTheSameLocalityAndCategory()
    {
        const string demand = "小区楼下噪音扰民，要求处理。";
        Assert.True(RepeatRule.IsSameMatter(" 临川区", "城乡建设", demand, "临川区 ", "城乡建设", demand, 0.5));
        Assert.False(RepeatRule.IsSameMatter("临川区", "城乡建设", demand, "东乡区", "城乡建设", demand, 0.5));
        Assert.False(RepeatRule.IsSameMatter("临川区", "城乡建设", demand, "临川区", "生态环境", demand, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => RepeatRule.IsSameMatter("临川区", "城乡建设", demand, "临川区", "城乡建设", demand, 0));
    }

    [Fact]
    public void SamePerson_SharesAtLeastOneIdentityKey()
    {
        Assert.True(RepeatRule.SharesPetitioner(["ID:11010519491231002X", null], [null, "NP:王芳|13912345678", "ID:11010519491231002X"]));
        Assert.False(RepeatRule.SharesPetitioner(["NP:王芳|13912345678"], ["NP:王芳|13912345679"]));
        Assert.False(RepeatRule.SharesPetitioner([null], [null]));
    }

    [Theory]
    [InlineData("2026-11-01", "2026-12-01", true)] // 30 days apart
    [InlineData("2026-12-01", "2026-11-01", true)]
    [InlineData("2026-11-01", "2026-12-02", false)] // 31 days apart
    public void Cluster_WithinClusterDays(string a, string b, bool within) =>
        Assert.Equal(within, RepeatRule.WithinClusterWindow(D(a), D(b), new RepeatOptions().ClusterDays));

    [Theory]
    [InlineData(PetitionForm.Visit, 5, true)]
    [InlineData(PetitionForm.Visit, 4, false)]
    [InlineData(PetitionForm.Letter, 50, false)]
    [InlineData(PetitionForm.Online, 5, false)]
    public void GroupVisit_IsAVisitOfAtLeastGroupSizePeople(PetitionForm form, int people, bool expected) =>
        Assert.Equal(expected, GroupVisitRule.IsGroupVisit(form, people, new PetitionOptions().GroupSize));

    [Fact]
    public void Defaults_MatchDomainMd()
    {
        Assert.Equal(0.5, new RepeatOptions().Similarity);
        Assert.Equal(30, new RepeatOptions().ClusterDays);
        Assert.Equal(5, new PetitionOptions().GroupSize);
        Assert.Equal("Repeat", RepeatOptions.Section);
        Assert.Equal("Petition", PetitionOptions.Section);
        Assert.Equal(0, RepeatRule.RepeatCount(1));
        Assert.Equal(2, RepeatRule.RepeatCount(3));
    }
}
