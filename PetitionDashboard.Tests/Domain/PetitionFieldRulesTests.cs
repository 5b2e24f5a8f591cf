using PetitionDashboard.Domain;

namespace PetitionDashboard.Tests.Domain;

/// <summary>The one set of petition field rules registration and the ledger import share (issue 17 defect 4).</summary>
public sealed class PetitionFieldRulesTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("13812345678", null)]
    [InlineData("0794-8201234", null)]
    [InlineData("+86 138 1234 5678", null)]
    [InlineData("(0794)8201234", null)]
    [InlineData("１３８１２３４５６７８", null)]                 // full-width digits
    [InlineData("abc", "应为7至20位数字")]
    [InlineData("138123456x8", "应为7至20位数字")]          // a letter among digits
    [InlineData("123456", "应为7至20位数字")]              // 6 digits
    [InlineData("1234567", null)]                        // 7 digits
    [InlineData("123456789012345678901", "应为7至20位数字")] // 21 digits
    [InlineData("1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6", "不能超过30个字符")]
    public void Phone(string? phone, string? expected) => Assert.Equal(expected, PetitionFieldRules.Phone(phone));

    [Theory]
    [InlineData(null, null)]
    [InlineData("11010519491231002X", null)]
    [InlineData("11010519491231002x", null)]
    [InlineData("110105194912310021", "校验位不正确")]
    [InlineData("110105194913310021", "出生日期无效")]
    [InlineData("1101051949123", "应为18位（末位可为X）")]
    [InlineData("11010519491231002Y", "校验位不正确")]
    [InlineData("A1010519491231002X", "前17位应为数字")]
    public void IdNumber(string? id, string? expected) => Assert.Equal(expected, PetitionFieldRules.IdNumber(id));

    [Theory]
    [InlineData("临川区", null)]
    [InlineData(" 临川区 ", null)]
    [InlineData("", "必填")]
    [InlineData(null, "必填")]
    [InlineData("火星", "“火星”不是已登记的县（市、区），应为：东乡区 / 临川区")]
    [InlineData("临川", "“临川”不是已登记的县（市、区），应为：东乡区 / 临川区")]
    public void Locality_IsOneOfTheCodeTable(string? locality, string? expected) =>
        Assert.Equal(expected, PetitionFieldRules.Locality(locality, ["临川区", "东乡区"]));

    [Fact]
    public void Locality_WithAnEmptyCodeTable_SaysWhatIsMissing() =>
        Assert.Equal("“临川区”不是已登记的县（市、区）：系统中还没有县区单位，请管理员先添加", PetitionFieldRules.Locality("临川区", []));

    [Theory]
    [InlineData("劳动和社会保障", null)]
    [InlineData("", "必选")]
    [InlineData("其它事项", "“其它事项”不是内容分类代码表中的一级分类")]
    public void Category_IsA一级CategoryOfTheCodeTable(string category, string? expected) =>
        Assert.Equal(expected, PetitionFieldRules.Category(category, DomainText.Categories));

    [Theory]
    [InlineData(0, "必填")]
    [InlineData(1, null)]
    [InlineData(2000, null)]
    [InlineData(2001, "不能超过2000字")]
    public void Demand_Length(int length, string? expected) =>
        Assert.Equal(expected, PetitionFieldRules.Demand(new string('诉', length)));

    [Theory]
    [InlineData("", "必填")]
    [InlineData("张三", null)]
    [InlineData(50, null)]
    [InlineData(51, "不能超过50字")]
    public void PersonName_Length(object name, string? expected) =>
        Assert.Equal(expected, PetitionFieldRules.PersonName(name is int n ? new string('张', n) : (string)name));

    [Theory]
    [InlineData(200, null)]
    [InlineData(201, "不能超过200字")]
    public void Address_Length(int length, string? expected) =>
        Assert.Equal(expected, PetitionFieldRules.Address(new string('路', length)));
}
