using PetitionDashboard.Features.Import;

namespace PetitionDashboard.Tests.Features.Import;

/// <summary>The date shapes real ledgers carry (docs/rules.md §7), each read to its day, and the ones refused with their reason.</summary>
public class LedgerDateTests
{
    private static LedgerCell Text(string text) => new(text, null, false, false);

    private static LedgerCell Number(double n, bool isDate = false) => new(n.ToString("R", System.Globalization.CultureInfo.InvariantCulture), n, isDate, false);

    [Theory]
    [InlineData("2023-05-06", 2023, 5, 6)]
    [InlineData("2023-5-6", 2023, 5, 6)]
    [InlineData("2023-5-6 12:30", 2023, 5, 6)]
    [InlineData("2023-05-06 08:05:09", 2023, 5, 6)]
    [InlineData("2023-05-06T23:59:00", 2023, 5, 6)]
    [InlineData("2023/5/6", 2023, 5, 6)]
    [InlineData("2023/12/31 23:59", 2023, 12, 31)]
    [InlineData("2023.5.6", 2023, 5, 6)]
    [InlineData("2023.05.06 9:30", 2023, 5, 6)]
    [InlineData("2023年5月6日", 2023, 5, 6)]
    [InlineData("2023年05月06日 12:30", 2023, 5, 6)]
    [InlineData("2023年5月6日12:30", 2023, 5, 6)]
    [InlineData("2023年5月6日 12时30分", 2023, 5, 6)]
    [InlineData("２０２３年５月６日", 2023, 5, 6)]
    [InlineData("2023－05－06", 2023, 5, 6)]
    [InlineData("20230506", 2023, 5, 6)]
    [InlineData(" 2024-2-29 ", 2024, 2, 29)]
    [InlineData("45052", 2023, 5, 6)]
    [InlineData("45052.5208333", 2023, 5, 6)]
    public void TextDates_AreReadToTheirDay(string text, int year, int month, int day)
    {
        Assert.Equal(new DateOnly(year, month, day), LedgerValues.Date(Text(text), out var reason));
        Assert.Null(reason);
    }

    [Theory]
    [InlineData(45052, false, 2023, 5, 6)]      // a bare serial (the exporting system wrote no date format)
    [InlineData(45052.75, false, 2023, 5, 6)]   // with a time of day
    [InlineData(45052, true, 2023, 5, 6)]       // an Excel date
    [InlineData(45291, true, 2023, 12, 31)]
    [InlineData(20230506, false, 2023, 5, 6)]   // yyyyMMdd typed as a number
    public void Numbers_AreExcelSerials_OrCompactDates(double n, bool isDate, int year, int month, int day)
    {
        Assert.Equal(new DateOnly(year, month, day), LedgerValues.Date(Number(n, isDate), out var reason));
        Assert.Null(reason);
    }

    [Theory]
    [InlineData("2023-13-06")]
    [InlineData("2023.13.6")]
    [InlineData("2023年2月30日")]
    [InlineData("2023-5-6 25:00")]
    [InlineData("23-5-6")]
    [InlineData("5/6/2023")]
    [InlineData("明天")]
    [InlineData("45052天")]
    [InlineData("2023")]
    [InlineData("2023年5月")]
    public void BadTexts_AreRefused_QuotingTheCell_AndTheShapesThatWork(string text)
    {
        Assert.Null(LedgerValues.Date(Text(text), out var reason));
        Assert.Equal($"无法识别的日期“{text}”（可用 Excel 日期或 yyyy-M-d、yyyy/M/d、yyyy.M.d、yyyy年M月d日、yyyyMMdd，可带时间如 2023-5-6 12:30）", reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(2958466)]
    public void SerialsOutsideExcelsRange_AreRefused(double n)
    {
        Assert.Null(LedgerValues.Date(Number(n), out var reason));
        Assert.Equal($"无法识别的日期“{Number(n).Text}”（Excel 日期序号须在 1 至 2958465 之间）", reason);
    }

    [Fact]
    public void AFormula_IsRefused_NeverEvaluated()
    {
        Assert.Null(LedgerValues.Date(new LedgerCell("=TODAY()", null, false, true), out var reason));
        Assert.Equal("单元格是公式“=TODAY()”，台账须填写日期值（公式不会被计算）", reason);
    }
}
